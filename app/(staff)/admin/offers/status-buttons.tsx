"use client";

import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useRouter } from "next/navigation";
import { ActionError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { setOfferStatusAction } from "@/lib/actions/offers";
import type { OfferPhase } from "@/lib/domain/offers";

/** Pause / resume / end now. Ending asks first: it can't be undone. */
export function OfferStatusButtons({ id, phase, title }: { id: number; phase: OfferPhase; title: string }) {
  const t = useTranslations("admin.offers");
  const router = useRouter();
  const { execute, result, isPending } = useAction(setOfferStatusAction, { onSuccess: () => router.refresh() });
  if (phase === "ended") return null;
  return (
    <div className="flex flex-wrap items-center gap-2">
      {phase === "paused" ? (
        <Button variant="secondary" disabled={isPending} onClick={() => execute({ id, action: "resume" })} aria-label={`${t("resume")}: ${title}`}>{t("resume")}</Button>
      ) : (
        <Button variant="secondary" disabled={isPending} onClick={() => execute({ id, action: "pause" })} aria-label={`${t("pause")}: ${title}`}>{t("pause")}</Button>
      )}
      <Button
        variant="danger"
        disabled={isPending}
        aria-label={`${t("endNow")}: ${title}`}
        onClick={() => {
          if (window.confirm(t("endConfirm", { title }))) execute({ id, action: "end" });
        }}
      >
        {t("endNow")}
      </Button>
      <ActionError result={result} />
    </div>
  );
}
