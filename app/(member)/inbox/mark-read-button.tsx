"use client";

import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { ActionError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { markNotificationsReadAction } from "@/lib/actions/notifications";

export function MarkReadButton() {
  const t = useTranslations("notifications");
  const { execute, result, isPending } = useAction(markNotificationsReadAction);
  return (
    <div className="space-y-2">
      <ActionError result={result} />
      <Button variant="secondary" disabled={isPending} onClick={() => execute({})}>
        {t("markAllRead")}
      </Button>
    </div>
  );
}
