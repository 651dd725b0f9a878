"use client";

import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { TierCheckboxes } from "@/components/admin/tier-checkboxes";
import { ActionError, useFieldError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { CheckboxField, SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { saveRewardAction } from "@/lib/actions/save-reward";
import { rewardKinds } from "@/lib/validations/console";

export type RewardFormValues = {
  id?: number;
  name: string;
  description: string;
  kind: (typeof rewardKinds)[number];
  costPoints: string;
  value: string;
  percentOff: string;
  sku: string;
  stock: string;
  startsAt: string;
  endsAt: string;
  isActive: boolean;
  tierIds: number[];
  categories: string;
  perMemberLimit: string;
};

const toInt = (value: string) => (value.trim() === "" ? null : Number(value));

export function RewardForm({ initial, currency, tiers }: { initial: RewardFormValues; currency: string; tiers: { id: number; name: string }[] }) {
  const t = useTranslations("admin.rewards");
  const common = useTranslations("common");
  const router = useRouter();
  const [form, setForm] = useState(initial);
  const { execute, result, isPending } = useAction(saveRewardAction, {
    onSuccess: () => router.push("/admin/rewards?saved=1"),
  });
  const fieldError = useFieldError(result);
  const set = (patch: Partial<RewardFormValues>) => setForm((current) => ({ ...current, ...patch }));
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const value = form.value.trim() === "" ? null : Math.round(Number(form.value) * 100);
    execute({
      id: form.id,
      name: form.name,
      description: form.description,
      kind: form.kind,
      costPoints: Number(form.costPoints),
      valueCents: value,
      percentOff: toInt(form.percentOff),
      sku: form.sku.trim() || null,
      stock: toInt(form.stock),
      startsAt: form.startsAt,
      endsAt: form.endsAt,
      isActive: form.isActive,
      tierIds: form.tierIds,
      categories: form.categories.split(",").map((part) => part.trim()).filter(Boolean),
      perMemberLimit: toInt(form.perMemberLimit),
    });
  };
  const needsValue = form.kind === "FIXED_DISCOUNT" || form.kind === "CASHBACK" || form.kind === "VOUCHER";
  return (
    <form onSubmit={onSubmit} className="grid max-w-2xl gap-4" noValidate>
      <ActionError result={result} />
      <TextField id="name" label={t("name")} required value={form.name} error={fieldError("name")} onChange={(e) => set({ name: e.target.value })} />
      <TextAreaField id="description" label={t("description")} rows={2} value={form.description} error={fieldError("description")} onChange={(e) => set({ description: e.target.value })} />
      <SelectField id="kind" label={t("kind")} value={form.kind} onChange={(e) => set({ kind: e.target.value as RewardFormValues["kind"] })}>
        {rewardKinds.map((kind) => (
          <option key={kind} value={kind}>
            {t(`kinds.${kind}`)}
          </option>
        ))}
      </SelectField>
      <TextField id="costPoints" label={t("cost")} type="number" inputMode="numeric" min={1} required value={form.costPoints} error={fieldError("costPoints")} onChange={(e) => set({ costPoints: e.target.value })} />
      {needsValue ? (
        <TextField id="value" label={t("value", { currency })} type="number" inputMode="decimal" min={0.01} step={0.01} value={form.value} error={fieldError("valueCents")} onChange={(e) => set({ value: e.target.value })} />
      ) : null}
      {form.kind === "PERCENT_DISCOUNT" ? (
        <TextField id="percentOff" label={t("percentOff")} type="number" min={1} max={100} value={form.percentOff} error={fieldError("percentOff")} onChange={(e) => set({ percentOff: e.target.value })} />
      ) : null}
      {form.kind === "FREE_PRODUCT" ? (
        <TextField id="sku" label={t("sku")} value={form.sku} error={fieldError("sku")} onChange={(e) => set({ sku: e.target.value })} />
      ) : null}
      {form.kind === "FIXED_DISCOUNT" || form.kind === "PERCENT_DISCOUNT" ? (
        <TextField id="categories" label={t("categories")} hint={t("categoriesHelp")} value={form.categories} error={fieldError("categories")} onChange={(e) => set({ categories: e.target.value })} />
      ) : null}
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-stone-800">{t("tiers")}</legend>
        <p className="text-sm text-stone-600">{t("tiersHelp")}</p>
        <div className="flex flex-wrap gap-4">
          <TierCheckboxes idPrefix="tier" tiers={tiers} selected={form.tierIds} onChange={(tierIds) => set({ tierIds })} />
        </div>
        {fieldError("tierIds") ? <p className="text-sm font-medium text-red-700">{fieldError("tierIds")}</p> : null}
      </fieldset>
      <TextField id="perMemberLimit" label={t("perMemberLimit")} hint={t("perMemberLimitHelp")} type="number" inputMode="numeric" min={1} value={form.perMemberLimit} error={fieldError("perMemberLimit")} onChange={(e) => set({ perMemberLimit: e.target.value })} />
      <TextField id="stock" label={t("stock")} hint={t("stockHelp")} type="number" min={0} value={form.stock} error={fieldError("stock")} onChange={(e) => set({ stock: e.target.value })} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField id="startsAt" label={t("startsAt")} hint={t("windowHelp")} type="datetime-local" value={form.startsAt} error={fieldError("startsAt")} onChange={(e) => set({ startsAt: e.target.value })} />
        <TextField id="endsAt" label={t("endsAt")} type="datetime-local" value={form.endsAt} error={fieldError("endsAt")} onChange={(e) => set({ endsAt: e.target.value })} />
      </div>
      <CheckboxField id="isActive" label={t("active")} checked={form.isActive} onChange={(e) => set({ isActive: e.target.checked })} />
      <div className="flex gap-2">
        <Button type="submit" disabled={isPending}>
          {isPending ? common("saving") : common("save")}
        </Button>
        <Button variant="secondary" onClick={() => router.push("/admin/rewards")}>
          {common("cancel")}
        </Button>
      </div>
    </form>
  );
}
