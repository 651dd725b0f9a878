"use client";

import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useState, type FormEvent } from "react";
import { ActionError, useFieldError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { CheckboxField, SelectField, TextField } from "@/components/ui/field";
import { saveActionRuleAction } from "@/lib/actions/save-earn-rule";
import type { ActionKind, LimitPeriod } from "@/lib/domain/earn-rules";

type Values = { points: string; referrerPoints: string; limit: string; period: LimitPeriod; isActive: boolean };

/** One action rule (sign-up, birthday, review, ...): its points, per-member limit and switch. */
export function ActionRuleForm({ kind, initial, version }: { kind: ActionKind; initial: Values; version: number | null }) {
  const t = useTranslations("admin.rules");
  const common = useTranslations("common");
  const [form, setForm] = useState(initial);
  const { execute, result, isPending } = useAction(saveActionRuleAction);
  const fieldError = useFieldError(result);
  const id = (field: string) => `${kind.toLowerCase()}-${field}`;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    execute({
      kind,
      points: Number(form.points),
      referrerPoints: Number(form.referrerPoints || 0),
      limit: form.limit.trim() === "" ? null : Number(form.limit),
      period: form.period,
      isActive: form.isActive,
    });
  };
  const savedVersion = result.data?.version ?? version;
  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby={id("title")} className="grid items-end gap-3 border-b border-stone-200 py-3 last:border-0 sm:grid-cols-[minmax(10rem,1.4fr)_repeat(4,minmax(6rem,1fr))_auto]">
      <div>
        <h3 id={id("title")} className="font-semibold">{t(`kinds.${kind}`)}</h3>
        {savedVersion ? <p className="text-xs text-stone-600">{t("historyVersion")} {savedVersion}</p> : null}
        <ActionError result={result} />
      </div>
      <TextField id={id("points")} label={t("actionPoints")} type="number" inputMode="numeric" min={0} step={1} value={form.points} error={fieldError("points")} onChange={(e) => setForm({ ...form, points: e.target.value })} />
      {kind === "REFERRAL" ? (
        <TextField id={id("referrer")} label={t("referrerPoints")} type="number" inputMode="numeric" min={0} step={1} value={form.referrerPoints} error={fieldError("referrerPoints")} onChange={(e) => setForm({ ...form, referrerPoints: e.target.value })} />
      ) : (
        <span aria-hidden="true" className="hidden sm:block" />
      )}
      <TextField id={id("limit")} label={t("limit")} hint={t("limitHint")} type="number" inputMode="numeric" min={1} step={1} value={form.limit} error={fieldError("limit")} onChange={(e) => setForm({ ...form, limit: e.target.value })} />
      <SelectField id={id("period")} label={t("period")} value={form.period} onChange={(e) => setForm({ ...form, period: e.target.value as LimitPeriod })}>
        {(["lifetime", "year", "month", "day"] as const).map((period) => (
          <option key={period} value={period}>{t(`periods.${period}`)}</option>
        ))}
      </SelectField>
      <div className="flex items-center gap-3 pb-1">
        <CheckboxField id={id("active")} label={t("active")} checked={form.isActive} onChange={(e) => setForm({ ...form, isActive: e.target.checked })} />
        <Button type="submit" disabled={isPending}>
          {isPending ? common("saving") : common("save")}<span className="sr-only"> {t(`kinds.${kind}`)}</span>
        </Button>
      </div>
    </form>
  );
}
