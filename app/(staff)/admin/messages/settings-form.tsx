"use client";

import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useState, type FormEvent } from "react";
import { ActionError, useFieldError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { saveMessageSettingsAction } from "@/lib/actions/message-settings";

export function MessageSettingsForm({ expiringSoonDays }: { expiringSoonDays: number }) {
  const t = useTranslations("admin.messages");
  const common = useTranslations("common");
  const [days, setDays] = useState(String(expiringSoonDays));
  const { execute, result, isPending } = useAction(saveMessageSettingsAction);
  const fieldError = useFieldError(result);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    execute({ expiringSoonDays: days.trim() === "" ? Number.NaN : Number(days) });
  };
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-wrap items-end gap-3" aria-label={t("settings")}>
      <div className="w-full">
        <ActionError result={result} />
        {result.data ? <Alert tone="success">{t("saved", { days: result.data.expiringSoonDays })}</Alert> : null}
      </div>
      <TextField id="expiring-days" label={t("expiringSoonDays")} hint={t("expiringSoonHint")} type="number" inputMode="numeric" min={1} max={90} value={days} error={fieldError("expiringSoonDays")} onChange={(e) => setDays(e.target.value)} />
      <Button type="submit" disabled={isPending}>
        {isPending ? common("saving") : common("save")}
      </Button>
    </form>
  );
}
