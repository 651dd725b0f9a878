"use client";

import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ActionError, useFieldError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { CheckboxField, SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { saveChallengeAction } from "@/lib/actions/challenges";
import { badgeIconNames, badgeSymbol, challengeMetrics, type ChallengeMetric } from "@/lib/domain/challenges";

export type ChallengeFormValues = {
  id?: number;
  name: string;
  description: string;
  metric: ChallengeMetric;
  target: string;
  windowDays: string;
  rewardPoints: string;
  badgeName: string;
  badgeIcon: string;
  startsAt: string;
  endsAt: string;
  isActive: boolean;
};

export const emptyChallengeForm: ChallengeFormValues = {
  name: "", description: "", metric: "ORDERS", target: "3", windowDays: "30", rewardPoints: "200", badgeName: "", badgeIcon: "star", startsAt: "", endsAt: "", isActive: true,
};

export function ChallengeForm({ initial, currency, onDone }: { initial: ChallengeFormValues; currency: string; onDone?: () => void }) {
  const t = useTranslations("admin.challenges");
  const common = useTranslations("common");
  const router = useRouter();
  const [form, setForm] = useState(initial);
  const { execute, result, isPending } = useAction(saveChallengeAction, {
    onSuccess: () => {
      if (!initial.id) setForm(emptyChallengeForm);
      router.refresh();
      onDone?.();
    },
  });
  const fieldError = useFieldError(result);
  const set = <K extends keyof ChallengeFormValues>(key: K, value: ChallengeFormValues[K]) => setForm((current) => ({ ...current, [key]: value }));
  const prefix = `challenge-${initial.id ?? "new"}`;
  const isSpend = form.metric === "SPEND";
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    execute({
      ...(initial.id ? { id: initial.id } : {}),
      name: form.name,
      description: form.description,
      metric: form.metric,
      target: form.target.trim() === "" ? Number.NaN : isSpend ? Math.round(Number(form.target) * 100) : Number(form.target),
      windowDays: form.windowDays.trim() === "" ? null : Number(form.windowDays),
      rewardPoints: form.rewardPoints.trim() === "" ? Number.NaN : Number(form.rewardPoints),
      badgeName: form.badgeName,
      badgeIcon: form.badgeIcon,
      startsAt: form.startsAt,
      endsAt: form.endsAt,
      isActive: form.isActive,
    });
  };
  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-3" aria-label={initial.id ? `${common("edit")} ${initial.name}` : t("newChallenge")}>
      <ActionError result={result} />
      {result.data && !initial.id ? <Alert tone="success">{t("created")}</Alert> : null}
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField id={`${prefix}-name`} label={t("name")} hint={t("nameHint")} value={form.name} error={fieldError("name")} onChange={(e) => set("name", e.target.value)} />
        <TextField id={`${prefix}-badge`} label={t("badgeName")} hint={t("badgeNameHint")} value={form.badgeName} error={fieldError("badgeName")} onChange={(e) => set("badgeName", e.target.value)} />
      </div>
      <TextAreaField id={`${prefix}-description`} label={t("description")} rows={2} value={form.description} error={fieldError("description")} onChange={(e) => set("description", e.target.value)} />
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <SelectField id={`${prefix}-metric`} label={t("metric")} value={form.metric} onChange={(e) => set("metric", e.target.value as ChallengeMetric)}>
          {challengeMetrics.map((metric) => <option key={metric} value={metric}>{t(`metrics.${metric}`)}</option>)}
        </SelectField>
        <TextField id={`${prefix}-target`} label={isSpend ? t("targetSpend", { currency }) : t("target")} type="number" inputMode={isSpend ? "decimal" : "numeric"} min={isSpend ? 0.01 : 1} step={isSpend ? 0.01 : 1} value={form.target} error={fieldError("target")} onChange={(e) => set("target", e.target.value)} />
        <TextField id={`${prefix}-window`} label={t("windowDays")} hint={t("windowHint")} type="number" inputMode="numeric" min={1} step={1} value={form.windowDays} error={fieldError("windowDays")} onChange={(e) => set("windowDays", e.target.value)} />
        <TextField id={`${prefix}-points`} label={t("rewardPoints")} type="number" inputMode="numeric" min={0} step={1} value={form.rewardPoints} error={fieldError("rewardPoints")} onChange={(e) => set("rewardPoints", e.target.value)} />
      </div>
      <fieldset className="flex flex-wrap gap-3">
        <legend className="mb-1 text-sm font-semibold">{t("badgeIcon")}</legend>
        {badgeIconNames.map((icon) => (
          <label key={icon} className="flex min-h-11 cursor-pointer items-center gap-2 rounded-lg border border-stone-300 px-3 has-[:checked]:border-brand-700 has-[:checked]:bg-brand-50">
            <input type="radio" name={`${prefix}-icon`} value={icon} checked={form.badgeIcon === icon} onChange={() => set("badgeIcon", icon)} />
            <span aria-hidden="true" className="text-xl">{badgeSymbol(icon)}</span>
            <span>{t(`icons.${icon}`)}</span>
          </label>
        ))}
      </fieldset>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField id={`${prefix}-starts`} label={t("startsAt")} type="datetime-local" value={form.startsAt} error={fieldError("startsAt")} onChange={(e) => set("startsAt", e.target.value)} />
        <TextField id={`${prefix}-ends`} label={t("endsAt")} type="datetime-local" value={form.endsAt} error={fieldError("endsAt")} onChange={(e) => set("endsAt", e.target.value)} />
      </div>
      <div className="flex flex-wrap items-center gap-4">
        <CheckboxField id={`${prefix}-active`} label={t("active")} checked={form.isActive} onChange={(e) => set("isActive", e.target.checked)} />
        <Button type="submit" disabled={isPending}>{isPending ? common("saving") : initial.id ? common("save") : t("create")}</Button>
        {onDone ? <Button type="button" variant="secondary" onClick={onDone}>{common("cancel")}</Button> : null}
      </div>
      {result.data && initial.id ? <p role="status" className="text-sm text-green-800">{t("saved")}</p> : null}
    </form>
  );
}
