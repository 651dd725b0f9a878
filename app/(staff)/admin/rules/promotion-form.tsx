"use client";

import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useState, type FormEvent } from "react";
import { TierCheckboxes } from "@/components/admin/tier-checkboxes";
import { ActionError, useFieldError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { CheckboxField, TextField } from "@/components/ui/field";
import { savePromotionAction } from "@/lib/actions/save-earn-rule";
import { splitList } from "./earn-rule-form";

export type PromotionValues = { id?: number; name: string; multiplier: string; categories: string; tierIds: number[]; totalCapPoints: string; startsAt: string; endsAt: string; isActive: boolean };

export function PromotionForm({ initial, tiers, onDone }: { initial: PromotionValues; tiers: { id: number; name: string }[]; onDone?: () => void }) {
  const t = useTranslations("admin.rules");
  const common = useTranslations("common");
  const [form, setForm] = useState(initial);
  const { execute, result, isPending } = useAction(savePromotionAction, {
    onSuccess: () => {
      if (!initial.id) setForm({ ...initial });
      onDone?.();
    },
  });
  const fieldError = useFieldError(result);
  const prefix = `promo-${initial.id ?? "new"}`;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    execute({
      ...(initial.id ? { id: initial.id } : {}),
      name: form.name,
      multiplier: Number(form.multiplier),
      categories: splitList(form.categories),
      tierIds: form.tierIds,
      totalCapPoints: form.totalCapPoints.trim() === "" ? null : Number(form.totalCapPoints),
      startsAt: form.startsAt,
      endsAt: form.endsAt,
      isActive: form.isActive,
    });
  };
  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-3" aria-label={initial.id ? `${common("edit")} ${initial.name}` : t("newPromotion")}>
      <ActionError result={result} />
      {result.data && !initial.id ? <Alert tone="success">{t("saved", { version: result.data.version })}</Alert> : null}
      <div className="grid gap-3 sm:grid-cols-3">
        <TextField id={`${prefix}-name`} label={t("promotionName")} value={form.name} error={fieldError("name")} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        <TextField id={`${prefix}-multiplier`} label={t("multiplier")} type="number" inputMode="decimal" min={1.01} max={10} step={0.05} value={form.multiplier} error={fieldError("multiplier")} onChange={(e) => setForm({ ...form, multiplier: e.target.value })} />
        <TextField id={`${prefix}-budget`} label={t("budget")} hint={t("capHint")} type="number" inputMode="numeric" min={1} step={1} value={form.totalCapPoints} error={fieldError("totalCapPoints")} onChange={(e) => setForm({ ...form, totalCapPoints: e.target.value })} />
        <TextField id={`${prefix}-categories`} label={t("categories")} hint={t("categoriesHint")} value={form.categories} error={fieldError("categories")} onChange={(e) => setForm({ ...form, categories: e.target.value })} />
        <TextField id={`${prefix}-starts`} label={t("startsAt")} type="datetime-local" value={form.startsAt} error={fieldError("startsAt")} onChange={(e) => setForm({ ...form, startsAt: e.target.value })} />
        <TextField id={`${prefix}-ends`} label={t("endsAt")} type="datetime-local" value={form.endsAt} error={fieldError("endsAt")} onChange={(e) => setForm({ ...form, endsAt: e.target.value })} />
      </div>
      <fieldset className="flex flex-wrap gap-4">
        <legend className="mb-1 text-sm font-semibold">{t("tiers")} <span className="font-normal text-stone-600">({t("allTiers")} = {common("none")})</span></legend>
        <TierCheckboxes idPrefix={`${prefix}-tier`} tiers={tiers} selected={form.tierIds} onChange={(tierIds) => setForm({ ...form, tierIds })} />
      </fieldset>
      <div className="flex flex-wrap items-center gap-4">
        <CheckboxField id={`${prefix}-active`} label={t("active")} checked={form.isActive} onChange={(e) => setForm({ ...form, isActive: e.target.checked })} />
        <Button type="submit" disabled={isPending}>{isPending ? common("saving") : initial.id ? common("save") : common("create")}</Button>
        {onDone ? <Button type="button" variant="secondary" onClick={onDone}>{common("cancel")}</Button> : null}
      </div>
    </form>
  );
}
