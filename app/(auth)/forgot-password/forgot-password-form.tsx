"use client";

import { useLocale, useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useState, type FormEvent } from "react";
import { ActionError, useFieldError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { requestPasswordResetAction } from "@/lib/actions/account";
import { isLocale } from "@/lib/i18n/locales";

export function ForgotPasswordForm() {
  const t = useTranslations("account");
  const auth = useTranslations("auth");
  const locale = useLocale();
  const { execute, result, isPending } = useAction(requestPasswordResetAction);
  const fieldError = useFieldError(result);
  const [email, setEmail] = useState("");
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    execute({ email, locale: isLocale(locale) ? locale : undefined });
  };
  if (result.data?.sent) return <Alert tone="success">{t("forgotSent")}</Alert>;
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <ActionError result={result} />
      <TextField id="email" type="email" autoComplete="email" required label={auth("email")} value={email} error={fieldError("email")} onChange={(e) => setEmail(e.target.value)} />
      <Button type="submit" disabled={isPending} className="w-full">{t("sendLink")}</Button>
    </form>
  );
}
