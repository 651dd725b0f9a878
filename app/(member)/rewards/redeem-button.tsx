"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useRef, useState } from "react";
import { ActionError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { redeemRewardAction } from "@/lib/actions/redeem-reward";
import { ledgerKeys } from "@/lib/queries/ledger-keys";

export function RedeemButton({ rewardId, rewardName, cost, disabled }: { rewardId: number; rewardName: string; cost: number; disabled: boolean }) {
  const t = useTranslations("rewards");
  const common = useTranslations("common");
  const [requestId, setRequestId] = useState<string | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const queryClient = useQueryClient();
  const { execute, result, isPending, reset } = useAction(redeemRewardAction, {
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ledgerKeys.all }),
    onSettled: () => setRequestId(null),
  });

  if (result.data) {
    return (
      <Alert tone="success">
        {t("success", { name: result.data.rewardName, code: result.data.code })}
        <span className="mt-2 block font-mono text-base font-bold" data-testid="reward-code">{result.data.code}</span>
      </Alert>
    );
  }

  return (
    <div className="space-y-2">
      <ActionError result={result} />
      {requestId ? (
        <div className="space-y-2 rounded-lg border border-brand-600 bg-brand-50 p-3" role="group" aria-label={t("confirm", { name: rewardName, count: cost })}>
          <p className="text-sm font-medium">{t("confirm", { name: rewardName, count: cost })}</p>
          <div className="flex gap-2">
            <Button ref={confirmRef} disabled={isPending} onClick={() => execute({ rewardId, requestId })}>
              {isPending ? t("redeeming") : t("redeem")}
            </Button>
            <Button variant="secondary" disabled={isPending} onClick={() => setRequestId(null)}>
              {common("cancel")}
            </Button>
          </div>
        </div>
      ) : (
        <Button
          disabled={disabled}
          onClick={() => {
            reset();
            setRequestId(crypto.randomUUID());
            requestAnimationFrame(() => confirmRef.current?.focus());
          }}
        >
          {t("redeem")}
        </Button>
      )}
    </div>
  );
}
