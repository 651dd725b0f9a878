"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { ActionError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { confirmJoinAction } from "@/lib/actions/account";

export function ConfirmJoinForm({ token }: { token: string }) {
  const t = useTranslations("account");
  const router = useRouter();
  const { execute, result, isPending } = useAction(confirmJoinAction, { onSuccess: () => router.push("/login?joined=1") });
  return (
    <div className="space-y-3">
      <ActionError result={result} />
      <Button className="w-full" disabled={isPending} onClick={() => execute({ token })}>{t("confirmJoinButton")}</Button>
    </div>
  );
}
