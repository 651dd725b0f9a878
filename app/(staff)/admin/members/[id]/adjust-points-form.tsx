"use client";

import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useState, type FormEvent } from "react";
import { ActionError, useFieldError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { adjustPointsAction } from "@/lib/actions/adjust-points";

export function AdjustPointsForm({ customerId }: { customerId: number }) {
  const t = useTranslations("admin.members");
  const [points, setPoints] = useState("");
  const [reason, setReason] = useState("");
  const [requestId, setRequestId] = useState(() => crypto.randomUUID());
  const { execute, result, isPending } = useAction(adjustPointsAction, {
    onSuccess: () => {
      setPoints("");
      setReason("");
      setRequestId(crypto.randomUUID());
    },
  });
  const fieldError = useFieldError(result);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    execute({ customerId, points: Number(points), reason, requestId });
  };
  return (
    <form onSubmit={onSubmit} className="grid gap-3" noValidate>
      <ActionError result={result} />
      {result.data ? <Alert tone="success">{t("adjusted", { available: result.data.available, pending: result.data.pending })}</Alert> : null}
      <TextField id="adjust-points" label={t("adjustPoints")} hint={t("adjustPointsHint")} type="number" inputMode="numeric" step={1} value={points} error={fieldError("points")} onChange={(e) => setPoints(e.target.value)} />
      <TextField id="adjust-reason" label={t("adjustReason")} hint={t("adjustReasonHint")} value={reason} error={fieldError("reason")} onChange={(e) => setReason(e.target.value)} />
      <div>
        <Button type="submit" disabled={isPending}>{t("adjustSubmit")}</Button>
      </div>
    </form>
  );
}
