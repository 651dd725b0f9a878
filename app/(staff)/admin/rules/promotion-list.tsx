"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { Badge } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { PromotionForm, type PromotionValues } from "./promotion-form";

export type PromotionRow = PromotionValues & { id: number; status: "active" | "scheduled" | "ended" | "paused"; summary: string; usage: string; window: string };

const tones = { active: "positive", scheduled: "info", ended: "neutral", paused: "warning" } as const;

/** Promotions with their status and budget use; each row opens its own edit form. */
export function PromotionList({ promotions, tiers }: { promotions: PromotionRow[]; tiers: { id: number; name: string }[] }) {
  const t = useTranslations("admin.rules");
  const common = useTranslations("common");
  const [editing, setEditing] = useState<number | null>(null);
  const statusLabel = { active: t("statusActive"), scheduled: t("statusScheduled"), ended: t("statusEnded"), paused: t("statusPaused") };
  return (
    <ul className="divide-y divide-stone-200">
      {promotions.map((promotion) => (
        <li key={promotion.id} className="py-3">
          {editing === promotion.id ? (
            <PromotionForm initial={promotion} tiers={tiers} onDone={() => setEditing(null)} />
          ) : (
            <div className="flex flex-wrap items-start justify-between gap-3">
              <div>
                <p className="font-semibold">
                  {promotion.name} <Badge tone={tones[promotion.status]}>{statusLabel[promotion.status]}</Badge>
                </p>
                <p className="text-sm text-stone-700">{promotion.summary}</p>
                <p className="text-sm text-stone-600">{promotion.window} · {promotion.usage}</p>
              </div>
              <Button variant="secondary" onClick={() => setEditing(promotion.id)}>
                {common("edit")}<span className="sr-only"> {promotion.name}</span>
              </Button>
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
