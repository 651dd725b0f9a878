"use client";

import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { TierCheckboxes } from "@/components/admin/tier-checkboxes";
import { ActionError, useFieldError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { CheckboxField, SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { previewAudienceAction, saveOfferAction } from "@/lib/actions/offers";
import { splitList } from "../rules/earn-rule-form";

export type OfferFormValues = {
  id?: number;
  kind: "POINTS" | "CODE";
  title: string;
  description: string;
  multiplier: string;
  categories: string;
  totalCapPoints: string;
  code: string;
  discountType: "percent" | "amount";
  discount: string;
  minOrder: string;
  hashtag: string;
  startsAt: string;
  endsAt: string;
  tierIds: number[];
  preferredCategories: string;
  joinedWithinDays: string;
  inactiveDays: string;
  minOrders: string;
  birthdayMonth: boolean;
};

export const emptyOfferForm: OfferFormValues = {
  kind: "POINTS",
  title: "",
  description: "",
  multiplier: "2",
  categories: "",
  totalCapPoints: "",
  code: "",
  discountType: "percent",
  discount: "",
  minOrder: "0",
  hashtag: "",
  startsAt: "",
  endsAt: "",
  tierIds: [],
  preferredCategories: "",
  joinedWithinDays: "",
  inactiveDays: "",
  minOrders: "",
  birthdayMonth: false,
};

const optionalInt = (value: string) => (value.trim() === "" ? null : Number(value));
const cents = (value: string) => Math.round(Number(value) * 100);

function audienceOf(form: OfferFormValues) {
  return {
    tierIds: form.tierIds,
    preferredCategories: splitList(form.preferredCategories),
    joinedWithinDays: optionalInt(form.joinedWithinDays),
    inactiveDays: optionalInt(form.inactiveDays),
    minOrders: optionalInt(form.minOrders),
    birthdayMonth: form.birthdayMonth,
  };
}

export function OfferForm({ initial, tiers, currency }: { initial: OfferFormValues; tiers: { id: number; name: string }[]; currency: string }) {
  const t = useTranslations("admin.offers");
  const common = useTranslations("common");
  const router = useRouter();
  const [form, setForm] = useState(initial);
  const [counted, setCounted] = useState<{ count: number; audience: string } | null>(null);
  const save = useAction(saveOfferAction, {
    onSuccess: ({ data }) => {
      if (!initial.id && data) router.push(`/admin/offers/${data.id}`);
      else router.refresh();
    },
  });
  const preview = useAction(previewAudienceAction, {
    onSuccess: ({ data, input }) => data && setCounted({ count: data.targetCount, audience: JSON.stringify(input.audience) }),
  });
  const fieldError = useFieldError(save.result);
  const audienceError = useFieldError(preview.result);
  const set = <K extends keyof OfferFormValues>(key: K, value: OfferFormValues[K]) => setForm((current) => ({ ...current, [key]: value }));
  const prefix = `offer-${initial.id ?? "new"}`;
  const isStale = counted !== null && counted.audience !== JSON.stringify(audienceOf(form));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const isCode = form.kind === "CODE";
    save.execute({
      ...(initial.id ? { id: initial.id } : {}),
      kind: form.kind,
      title: form.title,
      description: form.description,
      multiplier: form.kind === "POINTS" && form.multiplier.trim() !== "" ? Number(form.multiplier) : null,
      categories: form.kind === "POINTS" ? splitList(form.categories) : [],
      totalCapPoints: form.kind === "POINTS" ? optionalInt(form.totalCapPoints) : null,
      code: isCode ? form.code.trim() || null : null,
      percentOff: isCode && form.discountType === "percent" && form.discount.trim() !== "" ? Number(form.discount) : null,
      valueCents: isCode && form.discountType === "amount" && form.discount.trim() !== "" ? cents(form.discount) : null,
      minOrderCents: isCode && form.minOrder.trim() !== "" ? cents(form.minOrder) : 0,
      hashtag: form.hashtag.trim() || null,
      audience: audienceOf(form),
      startsAt: form.startsAt,
      endsAt: form.endsAt,
    });
  };

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4" aria-label={initial.id ? t("editOffer") : t("newOffer")}>
      <ActionError result={save.result} />
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField id={`${prefix}-kind`} label={t("kind")} value={form.kind} disabled={Boolean(initial.id)} onChange={(e) => set("kind", e.target.value as OfferFormValues["kind"])}>
          <option value="POINTS">{t("kinds.POINTS")}</option>
          <option value="CODE">{t("kinds.CODE")}</option>
        </SelectField>
        <TextField id={`${prefix}-title`} label={t("offerTitle")} hint={t("titleHint")} value={form.title} error={fieldError("title")} onChange={(e) => set("title", e.target.value)} />
      </div>
      <TextAreaField id={`${prefix}-description`} label={t("description")} rows={2} value={form.description} error={fieldError("description")} onChange={(e) => set("description", e.target.value)} />

      {form.kind === "POINTS" ? (
        <div className="grid gap-3 sm:grid-cols-3">
          <TextField id={`${prefix}-multiplier`} label={t("multiplier")} hint={t("multiplierHint")} type="number" inputMode="decimal" min={1.01} max={10} step={0.05} value={form.multiplier} error={fieldError("multiplier")} onChange={(e) => set("multiplier", e.target.value)} />
          <TextField id={`${prefix}-categories`} label={t("categories")} hint={t("categoriesHint")} value={form.categories} error={fieldError("categories")} onChange={(e) => set("categories", e.target.value)} />
          <TextField id={`${prefix}-budget`} label={t("budget")} hint={t("budgetHint")} type="number" inputMode="numeric" min={1} step={1} value={form.totalCapPoints} error={fieldError("totalCapPoints")} onChange={(e) => set("totalCapPoints", e.target.value)} />
        </div>
      ) : (
        <div className="grid gap-3 sm:grid-cols-4">
          <TextField id={`${prefix}-code`} label={t("code")} hint={t("codeHint")} autoCapitalize="characters" value={form.code} error={fieldError("code")} onChange={(e) => set("code", e.target.value)} />
          <SelectField id={`${prefix}-discount-type`} label={t("discountType")} value={form.discountType} onChange={(e) => set("discountType", e.target.value as OfferFormValues["discountType"])}>
            <option value="percent">{t("percentOff")}</option>
            <option value="amount">{t("amountOff", { currency })}</option>
          </SelectField>
          <TextField id={`${prefix}-discount`} label={t("discount")} type="number" inputMode="decimal" min={1} step={form.discountType === "percent" ? 1 : 0.01} value={form.discount} error={fieldError("percentOff") ?? fieldError("valueCents")} onChange={(e) => set("discount", e.target.value)} />
          <TextField id={`${prefix}-min-order`} label={t("minOrder", { currency })} type="number" inputMode="decimal" min={0} step={0.01} value={form.minOrder} error={fieldError("minOrderCents")} onChange={(e) => set("minOrder", e.target.value)} />
        </div>
      )}

      <div className="grid gap-3 sm:grid-cols-3">
        <TextField id={`${prefix}-hashtag`} label={t("hashtag")} hint={t("hashtagHint")} value={form.hashtag} error={fieldError("hashtag")} onChange={(e) => set("hashtag", e.target.value)} />
        <TextField id={`${prefix}-starts`} label={t("startsAt")} type="datetime-local" value={form.startsAt} error={fieldError("startsAt")} onChange={(e) => set("startsAt", e.target.value)} />
        <TextField id={`${prefix}-ends`} label={t("endsAt")} type="datetime-local" value={form.endsAt} error={fieldError("endsAt")} onChange={(e) => set("endsAt", e.target.value)} />
      </div>

      <fieldset className="grid gap-3 rounded-lg border border-stone-200 p-3">
        <legend className="px-1 text-sm font-semibold">{t("audience")}</legend>
        <p className="text-sm text-stone-600">{t("audienceHint")}</p>
        <fieldset className="flex flex-wrap gap-4">
          <legend className="mb-1 text-sm font-semibold">{t("tiers")}</legend>
          <TierCheckboxes idPrefix={`${prefix}-tier`} tiers={tiers} selected={form.tierIds} onChange={(tierIds) => set("tierIds", tierIds)} />
        </fieldset>
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <TextField id={`${prefix}-pref`} label={t("preferredCategories")} hint={t("categoriesHint")} value={form.preferredCategories} error={fieldError("audience.preferredCategories") ?? audienceError("audience.preferredCategories")} onChange={(e) => set("preferredCategories", e.target.value)} />
          <TextField id={`${prefix}-joined`} label={t("joinedWithinDays")} type="number" inputMode="numeric" min={1} step={1} value={form.joinedWithinDays} error={fieldError("audience.joinedWithinDays") ?? audienceError("audience.joinedWithinDays")} onChange={(e) => set("joinedWithinDays", e.target.value)} />
          <TextField id={`${prefix}-inactive`} label={t("inactiveDays")} type="number" inputMode="numeric" min={1} step={1} value={form.inactiveDays} error={fieldError("audience.inactiveDays") ?? audienceError("audience.inactiveDays")} onChange={(e) => set("inactiveDays", e.target.value)} />
          <TextField id={`${prefix}-min-orders`} label={t("minOrders")} type="number" inputMode="numeric" min={1} step={1} value={form.minOrders} error={fieldError("audience.minOrders") ?? audienceError("audience.minOrders")} onChange={(e) => set("minOrders", e.target.value)} />
        </div>
        <CheckboxField id={`${prefix}-birthday`} label={t("birthdayMonth")} checked={form.birthdayMonth} onChange={(e) => set("birthdayMonth", e.target.checked)} />
        <div className="flex flex-wrap items-center gap-3">
          <Button type="button" variant="secondary" disabled={preview.isPending} onClick={() => preview.execute({ audience: audienceOf(form) })}>
            {t("countMembers")}
          </Button>
          <ActionError result={preview.result} />
          <p role="status" aria-live="polite" className="text-sm font-semibold">
            {counted && !isStale ? t("targets", { count: counted.count }) : counted ? t("targetsStale") : null}
          </p>
        </div>
      </fieldset>

      {save.result.data && initial.id ? <Alert tone="success">{t("saved")}</Alert> : null}
      <div>
        <Button type="submit" disabled={save.isPending}>{save.isPending ? common("saving") : initial.id ? common("save") : t("create")}</Button>
      </div>
    </form>
  );
}
