"use client";

import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useState, type FormEvent } from "react";
import { ActionError, useFieldError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { confirmJoinAction } from "@/lib/actions/account";

/** The owner of the address chooses the password here (never on the join form). */
export function ConfirmJoinForm({ token }: { token: string }) {
  const t = useTranslations("account");
  const auth = useTranslations("auth");
  const { execute, result, isPending } = useAction(confirmJoinAction);
  const fieldError = useFieldError(result);
  const [password, setPassword] = useState("");
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    execute({ token, password });
  };
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <ActionError result={result} />
      <TextField id="password" type="password" autoComplete="new-password" required label={t("choosePassword")} hint={auth("passwordHint")} value={password}
        error={fieldError("password")} onChange={(e) => setPassword(e.target.value)} />
      <Button type="submit" className="w-full" disabled={isPending}>{t("confirmJoinButton")}</Button>
    </form>
  );
}
