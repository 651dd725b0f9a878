"use client";

import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useState, type FormEvent } from "react";
import { ActionError, useFieldError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { SelectField, TextField } from "@/components/ui/field";
import { createStaffUserAction } from "@/lib/actions/create-staff-user";
import { setStaffActiveAction } from "@/lib/actions/set-staff-active";
import { sendStaffResetLinkAction } from "@/lib/actions/account";
import { staffRoles } from "@/lib/validations/console";

export function CreateStaffForm() {
  const t = useTranslations("admin.staff");
  const roles = useTranslations("admin.roles");
  const empty = { name: "", email: "", role: "MARKETER" as (typeof staffRoles)[number], password: "" };
  const [form, setForm] = useState(empty);
  const { execute, result, isPending } = useAction(createStaffUserAction, { onSuccess: () => setForm(empty) });
  const fieldError = useFieldError(result);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    execute(form);
  };
  return (
    <form onSubmit={onSubmit} className="grid gap-4 sm:grid-cols-2" noValidate>
      <div className="sm:col-span-2">
        <ActionError result={result} />
        {result.data ? <Alert tone="success">{t("created")}</Alert> : null}
      </div>
      <TextField id="staff-name" label={t("name")} value={form.name} error={fieldError("name")} onChange={(e) => setForm({ ...form, name: e.target.value })} />
      <TextField id="staff-email" type="email" label={t("email")} value={form.email} error={fieldError("email")} onChange={(e) => setForm({ ...form, email: e.target.value })} />
      <SelectField id="staff-role" label={t("role")} value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as typeof form.role })}>
        {staffRoles.map((role) => <option key={role} value={role}>{roles(role)}</option>)}
      </SelectField>
      <TextField id="staff-password" type="password" autoComplete="new-password" label={t("password")} hint={t("passwordHint")} value={form.password} error={fieldError("password")} onChange={(e) => setForm({ ...form, password: e.target.value })} />
      <div className="sm:col-span-2">
        <Button type="submit" disabled={isPending}>{t("add")}</Button>
      </div>
    </form>
  );
}

export function ToggleStaffButton({ userId, isActive, name }: { userId: number; isActive: boolean; name: string }) {
  const t = useTranslations("admin.staff");
  const { execute, result, isPending } = useAction(setStaffActiveAction);
  return (
    <div>
      <Button variant={isActive ? "secondary" : "primary"} disabled={isPending} onClick={() => execute({ userId, isActive: !isActive })}>
        {isActive ? t("deactivate") : t("activate")}<span className="sr-only"> {name}</span>
      </Button>
      <ActionError result={result} />
      {result.data && result.data.revokedKeys.length > 0 ? (
        <p role="status" className="mt-1 text-sm text-stone-700">{t("revokedKeys", { count: result.data.revokedKeys.length, names: result.data.revokedKeys.join(", ") })}</p>
      ) : null}
    </div>
  );
}

/** Sends the staff member a one-time link to set a new password; their sessions end now. */
export function SendStaffResetLinkButton({ userId, name }: { userId: number; name: string }) {
  const t = useTranslations("admin.staff");
  const { execute, result, isPending } = useAction(sendStaffResetLinkAction);
  return (
    <div>
      <Button variant="secondary" disabled={isPending} onClick={() => execute({ userId })}>
        {t("sendResetLink")}<span className="sr-only"> {name}</span>
      </Button>
      <ActionError result={result} />
      {result.data ? <p role="status" className="mt-1 text-sm text-stone-700">{t("resetSent", { email: result.data.email })}</p> : null}
    </div>
  );
}
