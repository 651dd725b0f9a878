"use client";

import { CheckboxField } from "@/components/ui/field";

/** One checkbox per tier; ticking adds the tier's id to the selection, unticking removes it. */
export function TierCheckboxes({ idPrefix, tiers, selected, onChange }: { idPrefix: string; tiers: { id: number; name: string }[]; selected: number[]; onChange: (tierIds: number[]) => void }) {
  return tiers.map((tier) => (
    <CheckboxField
      key={tier.id}
      id={`${idPrefix}-${tier.id}`}
      label={tier.name}
      checked={selected.includes(tier.id)}
      onChange={(e) => onChange(e.target.checked ? [...selected, tier.id] : selected.filter((id) => id !== tier.id))}
    />
  ));
}
