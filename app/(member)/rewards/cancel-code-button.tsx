"use client";

import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { ActionError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { cancelRedemptionAction } from "@/lib/actions/cancel-redemption";
import { ledgerKeys } from "@/lib/queries/ledger-keys";

/** Cancels one of the member's unused codes after a confirmation; the points come back at once. */
export function CancelCodeButton({ redemptionId, rewardName, points }: { redemptionId: number; rewardName: string; points: number }) {
  const t = useTranslations("rewards");
  const queryClient = useQueryClient();
  const router = useRouter();
  const { execute, result, isPending } = useAction(cancelRedemptionAction, {
    onSuccess: ({ data }) => {
      void queryClient.invalidateQueries({ queryKey: ledgerKeys.all });
      // the row re-renders as Cancelled; the confirmation lives on the page, announced as status
      router.replace(`/rewards?refunded=${data?.pointsRefunded ?? 0}`, { scroll: false });
    },
  });
  return (
    <div className="text-right">
      <Button
        variant="secondary"
        disabled={isPending || Boolean(result.data)}
        onClick={() => {
          if (window.confirm(t("confirmCancel", { name: rewardName, count: points }))) execute({ redemptionId });
        }}
      >
        {t("cancelCode")}<span className="sr-only"> {rewardName}</span>
      </Button>
      <ActionError result={result} />
    </div>
  );
}
