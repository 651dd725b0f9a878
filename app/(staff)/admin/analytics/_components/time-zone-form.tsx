"use client";

import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useState, type FormEvent } from "react";
import { ActionError, useFieldError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { SelectField } from "@/components/ui/field";
import { saveTimeZoneAction } from "@/lib/actions/save-time-zone";

/** Admins set the program's reporting time zone; the rollups are rebuilt in it within a minute. */
export function TimeZoneForm({ timeZone, zones }: { timeZone: string; zones: string[] }) {
  const t = useTranslations("admin.analytics");
  const common = useTranslations("common");
  const [value, setValue] = useState(timeZone);
  const { execute, result, isPending } = useAction(saveTimeZoneAction);
  const fieldError = useFieldError(result);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    execute({ timeZone: value });
  };
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-wrap items-end gap-3" aria-label={t("timeZoneForm")}>
      <div className="w-full">
        <ActionError result={result} />
        {result.data ? <Alert tone="success">{t("timeZoneSaved", { timeZone: result.data.timeZone })}</Alert> : null}
      </div>
      <div className="min-w-64">
        <SelectField id="time-zone" label={t("timeZone")} hint={t("timeZoneHint")} value={value} error={fieldError("timeZone")} onChange={(event) => setValue(event.target.value)}>
          {zones.map((zone) => (
            <option key={zone} value={zone}>{zone}</option>
          ))}
        </SelectField>
      </div>
      <Button type="submit" disabled={isPending}>{isPending ? common("saving") : common("save")}</Button>
    </form>
  );
}
