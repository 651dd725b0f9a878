"use client";

import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ActionError } from "@/components/shared/action-error";
import { Alert } from "@/components/ui/card";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { decideReferralReviewAction } from "@/lib/actions/referral-reviews";

/** Approve (pays both bonuses) or reject a held referral; both ask first, neither can be undone. */
export function ReviewButtons({ id, friend, referrer }: { id: number; friend: string; referrer: string }) {
  const t = useTranslations("admin.referrals");
  const router = useRouter();
  const [note, setNote] = useState("");
  const { execute, result, isPending } = useAction(decideReferralReviewAction, { onSuccess: () => router.refresh() });
  const decided = result.data?.status;
  if (decided === "APPROVED" || decided === "REJECTED") {
    return <Alert tone="success">{decided === "APPROVED" ? t("approved") : t("rejected")}</Alert>;
  }
  const decide = (decision: "approve" | "reject") => {
    const question = decision === "approve" ? t("approveConfirm", { friend, referrer }) : t("rejectConfirm");
    if (window.confirm(question)) execute({ id, decision, note: note.trim() || undefined });
  };
  return (
    <div className="grid min-w-[14rem] gap-2">
      <TextField id={`note-${id}`} label={t("note")} value={note} maxLength={500} onChange={(event) => setNote(event.target.value)} />
      <div className="flex flex-wrap gap-2">
        <Button disabled={isPending} onClick={() => decide("approve")} aria-label={`${t("approve")}: ${friend}`}>{t("approve")}</Button>
        <Button variant="danger" disabled={isPending} onClick={() => decide("reject")} aria-label={`${t("reject")}: ${friend}`}>{t("reject")}</Button>
      </div>
      <ActionError result={result} />
    </div>
  );
}
