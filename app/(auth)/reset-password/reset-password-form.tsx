"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useState, type FormEvent } from "react";
import { ActionError, useFieldError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { resetPasswordAction } from "@/lib/actions/account";

export function ResetPasswordForm({ token }: { token: string }) {
  const t = useTranslations("account");
  const router = useRouter();
  const { execute, result, isPending } = useAction(resetPasswordAction, { onSuccess: () => router.push("/login?reset=1") });
  const fieldError = useFieldError(result);
  const [newPassword, setNewPassword] = useState("");
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    execute({ token, newPassword });
  };
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <ActionError result={result} />
      <TextField id="new-password" type="password" autoComplete="new-password" required label={t("newPassword")} hint={t("newPasswordHint")} value={newPassword}
        error={fieldError("newPassword")} onChange={(e) => setNewPassword(e.target.value)} />
      <Button type="submit" disabled={isPending} className="w-full">{t("setPassword")}</Button>
    </form>
  );
}
