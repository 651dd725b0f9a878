"use client";

import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useState, type FormEvent } from "react";
import { ActionError, useFieldError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { setupAction } from "@/lib/actions/setup";

export function SetupForm({ token, timeZones }: { token: string; timeZones: string[] }) {
  const t = useTranslations("setup");
  const { execute, result, isPending } = useAction(setupAction);
  const fieldError = useFieldError(result);
  const [form, setForm] = useState({
    shopName: "", currency: "USD", timeZone: "UTC", adminName: "", adminEmail: "", adminPassword: "",
  });
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => setForm({ ...form, [key]: event.target.value });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    execute({ ...form, token });
  };
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <ActionError result={result} />
      <TextField id="shop-name" required label={t("shopName")} value={form.shopName} error={fieldError("shopName")} onChange={set("shopName")} />
      <TextField id="currency" required label={t("currency")} hint={t("currencyHint")} value={form.currency} error={fieldError("currency")} onChange={set("currency")} maxLength={3} />
      <SelectField id="time-zone" label={t("timeZone")} hint={t("timeZoneHint")} value={form.timeZone} error={fieldError("timeZone")} onChange={set("timeZone")}>
        {(timeZones.includes(form.timeZone) ? timeZones : [form.timeZone, ...timeZones]).map((zone) => <option key={zone} value={zone}>{zone}</option>)}
      </SelectField>
      <TextField id="admin-name" required autoComplete="name" label={t("adminName")} value={form.adminName} error={fieldError("adminName")} onChange={set("adminName")} />
      <TextField id="admin-email" type="email" required autoComplete="email" label={t("adminEmail")} value={form.adminEmail} error={fieldError("adminEmail")} onChange={set("adminEmail")} />
      <TextField id="admin-password" type="password" required autoComplete="new-password" label={t("adminPassword")} hint={t("passwordHint")} value={form.adminPassword}
        error={fieldError("adminPassword")} onChange={set("adminPassword")} />
      <Button type="submit" disabled={isPending} className="w-full">{t("submit")}</Button>
    </form>
  );
}
