"use client";

import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { ActionError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { refreshImpactAction } from "@/lib/actions/refresh-impact";

export function RefreshImpactButton() {
  const t = useTranslations("admin.analytics.impact");
  const { execute, result, isPending } = useAction(refreshImpactAction);
  return (
    <div className="space-y-2">
      <ActionError result={result} />
      <Button variant="secondary" disabled={isPending} onClick={() => execute({})}>
        {isPending ? t("recomputing") : t("recompute")}
      </Button>
    </div>
  );
}
