"use client";

import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useState, type FormEvent } from "react";
import { ActionError, useFieldError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { changePasswordAction, signOutEverywhereAction } from "@/lib/actions/account";

/** Change your own password (current one required); your other sessions end. */
export function ChangePasswordForm() {
  const t = useTranslations("account");
  const { execute, result, isPending } = useAction(changePasswordAction);
  const fieldError = useFieldError(result);
  const [form, setForm] = useState({ currentPassword: "", newPassword: "" });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    execute(form);
  };
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <ActionError result={result} />
      <TextField id="current-password" type="password" autoComplete="current-password" required label={t("currentPassword")} value={form.currentPassword}
        error={fieldError("currentPassword")} onChange={(e) => setForm({ ...form, currentPassword: e.target.value })} />
      <TextField id="new-password" type="password" autoComplete="new-password" required label={t("newPassword")} hint={t("newPasswordHint")} value={form.newPassword}
        error={fieldError("newPassword")} onChange={(e) => setForm({ ...form, newPassword: e.target.value })} />
      <Button type="submit" disabled={isPending}>{t("changePassword")}</Button>
    </form>
  );
}

/** Ends every session of this account, on every device, this one included. */
export function SignOutEverywhereButton() {
  const t = useTranslations("account");
  const { execute, result, isPending } = useAction(signOutEverywhereAction);
  return (
    <div className="space-y-2">
      <ActionError result={result} />
      <p className="text-sm text-stone-700">{t("signOutEverywhereHint")}</p>
      <Button variant="secondary" disabled={isPending} onClick={() => execute()}>{t("signOutEverywhere")}</Button>
    </div>
  );
}
