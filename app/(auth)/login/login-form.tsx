"use client";

import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useState, type FormEvent } from "react";
import { ActionError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { logInAction } from "@/lib/actions/log-in";

export function LoginForm({ welcome = false }: { welcome?: boolean }) {
  const t = useTranslations("auth");
  const { execute, result, isPending } = useAction(logInAction);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    execute({ email, password, ...(welcome ? { welcome: true as const } : {}) });
  };
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <ActionError result={result} />
      <TextField id="email" type="email" autoComplete="email" required label={t("email")} value={email} onChange={(e) => setEmail(e.target.value)} />
      <TextField id="password" type="password" autoComplete="current-password" required label={t("password")} value={password} onChange={(e) => setPassword(e.target.value)} />
      <Button type="submit" disabled={isPending} className="w-full">
        {isPending ? t("loggingIn") : t("loginButton")}
      </Button>
    </form>
  );
}
