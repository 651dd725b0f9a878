"use client";

import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useState, type FormEvent } from "react";
import { ActionError, useFieldError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { SelectField, TextField } from "@/components/ui/field";
import { setTierFloorAction } from "@/lib/actions/tiers";

export function TierFloorForm({ customerId, tiers, initialTierId, initialNote }: { customerId: number; tiers: { id: number; name: string }[]; initialTierId: number | null; initialNote: string }) {
  const t = useTranslations("admin.tiers");
  const common = useTranslations("common");
  const [tierId, setTierId] = useState(initialTierId === null ? "" : String(initialTierId));
  const [note, setNote] = useState(initialNote);
  const { execute, result, isPending } = useAction(setTierFloorAction);
  const fieldError = useFieldError(result);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    execute({ customerId, tierId: tierId === "" ? null : Number(tierId), note });
  };
  const chosen = tiers.find((tier) => String(tier.id) === tierId);
  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-3 sm:grid-cols-3" aria-label={t("floorTitle")}>
      <div className="sm:col-span-3">
        <ActionError result={result} />
        {result.data ? <Alert tone="success">{t("floorSaved", { tier: chosen?.name ?? t("floorNone") })}</Alert> : null}
      </div>
      <SelectField id="floor-tier" label={t("floorTier")} value={tierId} onChange={(e) => setTierId(e.target.value)}>
        <option value="">{t("floorNone")}</option>
        {tiers.map((tier) => (
          <option key={tier.id} value={tier.id}>
            {tier.name}
          </option>
        ))}
      </SelectField>
      <TextField id="floor-note" label={t("floorNote")} value={note} maxLength={200} error={fieldError("note")} onChange={(e) => setNote(e.target.value)} />
      <div className="flex items-end">
        <Button type="submit" disabled={isPending}>
          {isPending ? common("saving") : t("floorSave")}
        </Button>
      </div>
    </form>
  );
}
