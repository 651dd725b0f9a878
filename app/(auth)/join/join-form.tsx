"use client";

import { useLocale, useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useState, type FormEvent } from "react";
import { ActionError, useFieldError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { CheckboxField, TextField } from "@/components/ui/field";
import { signUpAction } from "@/lib/actions/sign-up";
import { isLocale } from "@/lib/i18n/locales";

export function JoinForm({ referralCode, outboxOnly }: { referralCode?: string; outboxOnly: boolean }) {
  const t = useTranslations("auth");
  const account = useTranslations("account");
  const locale = useLocale();
  const { execute, result, isPending } = useAction(signUpAction);
  const fieldError = useFieldError(result);
  const [form, setForm] = useState({ name: "", email: "", acceptTerms: false });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    execute({ ...form, acceptTerms: form.acceptTerms as true, locale: isLocale(locale) ? locale : undefined, ...(referralCode ? { referralCode } : {}) });
  };
  // the same answer for every address, known or not (lib/services/join-program.ts)
  if (result.data?.sent) {
    return (
      <div className="space-y-2" data-testid="join-check-email">
        <Alert tone="success">{account("checkEmail", { email: form.email.trim().toLowerCase() })}</Alert>
        {outboxOnly ? <p className="text-sm text-stone-700">{account("outboxHint")}</p> : null}
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <ActionError result={result} />
      <TextField id="name" autoComplete="name" required label={t("name")} value={form.name} error={fieldError("name")} onChange={(e) => setForm({ ...form, name: e.target.value })} />
      <TextField id="email" type="email" autoComplete="email" required label={t("email")} value={form.email} error={fieldError("email")} onChange={(e) => setForm({ ...form, email: e.target.value })} />
      <CheckboxField id="acceptTerms" label={t("acceptTerms")} checked={form.acceptTerms} error={fieldError("acceptTerms")} onChange={(e) => setForm({ ...form, acceptTerms: e.target.checked })} />
      <Button type="submit" disabled={isPending} className="w-full">
        {isPending ? t("joining") : t("joinButton")}
      </Button>
    </form>
  );
}
