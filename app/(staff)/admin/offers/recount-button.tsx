"use client";

import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useRouter } from "next/navigation";
import { ActionError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { recountOffersAction } from "@/lib/actions/offers";

/** Counts every running offer's audience now (the list otherwise shows the last count, with its time). */
export function RecountButton() {
  const t = useTranslations("admin.offers");
  const router = useRouter();
  const { execute, result, isPending } = useAction(recountOffersAction, { onSuccess: () => router.refresh() });
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button variant="secondary" disabled={isPending} onClick={() => execute({})}>{isPending ? t("counting") : t("countAgain")}</Button>
      <ActionError result={result} />
    </div>
  );
}
