"use client";

import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useState, type FormEvent } from "react";
import { ActionError, useFieldError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { CheckboxField, SelectField, TextField } from "@/components/ui/field";
import { saveEarnRuleAction } from "@/lib/actions/save-earn-rule";

export type SpendRuleFormValues = {
  pointsPerUnit: string;
  multipliers: Record<string, string>;
  rounding: "down" | "nearest" | "up";
  minOrder: string;
  excludedCategories: string;
  excludedSkus: string;
  categoryMultipliers: string;
  capPerMemberDay: string;
  capPerMemberMonth: string;
  startsAt: string;
  endsAt: string;
  isActive: boolean;
};

type Props = {
  currency: string;
  tiers: { id: number; name: string; threshold: string }[];
  initial: SpendRuleFormValues;
};

export const splitList = (value: string) => value.split(",").map((item) => item.trim()).filter(Boolean);
const optionalInt = (value: string) => (value.trim() === "" ? null : Number(value));

/** "beauty=2, apparel=1.5" -> { beauty: 2, apparel: 1.5 }; a malformed entry becomes NaN so validation names it. */
function parseMultipliers(value: string): Record<string, number> {
  return Object.fromEntries(splitList(value).map((entry) => {
    const [category, factor] = entry.split("=").map((part) => part.trim());
    return [category, factor ? Number(factor) : Number.NaN];
  }));
}

export function EarnRuleForm({ currency, tiers, initial }: Props) {
  const t = useTranslations("admin.rules");
  const common = useTranslations("common");
  const [form, setForm] = useState(initial);
  const { execute, result, isPending } = useAction(saveEarnRuleAction);
  const fieldError = useFieldError(result);
  const set = (patch: Partial<SpendRuleFormValues>) => setForm({ ...form, ...patch });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    execute({
      pointsPerUnit: Number(form.pointsPerUnit),
      tierMultipliers: Object.fromEntries(Object.entries(form.multipliers).map(([tierId, value]) => [tierId, Number(value)])),
      rounding: form.rounding,
      minOrder: Number(form.minOrder || 0),
      excludedCategories: splitList(form.excludedCategories),
      excludedSkus: splitList(form.excludedSkus),
      categoryMultipliers: parseMultipliers(form.categoryMultipliers),
      capPerMemberDay: optionalInt(form.capPerMemberDay),
      capPerMemberMonth: optionalInt(form.capPerMemberMonth),
      startsAt: form.startsAt,
      endsAt: form.endsAt,
      isActive: form.isActive,
    });
  };
  return (
    <form onSubmit={onSubmit} className="grid gap-4" noValidate aria-label={t("spendTitle")}>
      <ActionError result={result} />
      {result.data ? <Alert tone="success">{t("saved", { version: result.data.version })}</Alert> : null}
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField id="pointsPerUnit" label={t("pointsPerUnit", { currency })} type="number" inputMode="decimal" min={0} step={0.01} value={form.pointsPerUnit} error={fieldError("pointsPerUnit")} onChange={(e) => set({ pointsPerUnit: e.target.value })} />
        <SelectField id="rounding" label={t("rounding")} value={form.rounding} onChange={(e) => set({ rounding: e.target.value as SpendRuleFormValues["rounding"] })}>
          <option value="down">{t("roundingDown")}</option>
          <option value="nearest">{t("roundingNearest")}</option>
          <option value="up">{t("roundingUp")}</option>
        </SelectField>
        <TextField id="minOrder" label={t("minOrder", { currency })} type="number" inputMode="decimal" min={0} step={0.01} value={form.minOrder} error={fieldError("minOrder")} onChange={(e) => set({ minOrder: e.target.value })} />
      </div>
      <fieldset className="grid gap-3 rounded-lg border border-stone-300 p-4 sm:grid-cols-3">
        <legend className="px-1 text-sm font-semibold">{t("multipliers")}</legend>
        {tiers.map((tier) => (
          <TextField
            key={tier.id}
            id={`multiplier-${tier.id}`}
            label={t("multiplierFor", { tier: tier.name })}
            hint={tier.threshold}
            type="number"
            inputMode="decimal"
            min={1}
            max={10}
            step={0.05}
            value={form.multipliers[String(tier.id)] ?? "1"}
            onChange={(e) => set({ multipliers: { ...form.multipliers, [String(tier.id)]: e.target.value } })}
          />
        ))}
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField id="excludedCategories" label={t("excludedCategories")} hint={t("listHint")} value={form.excludedCategories} error={fieldError("excludedCategories")} onChange={(e) => set({ excludedCategories: e.target.value })} />
        <TextField id="excludedSkus" label={t("excludedSkus")} hint={t("listHint")} value={form.excludedSkus} error={fieldError("excludedSkus")} onChange={(e) => set({ excludedSkus: e.target.value })} />
        <TextField id="categoryMultipliers" label={t("categoryMultipliers")} hint={t("categoryMultipliersHint")} value={form.categoryMultipliers} error={fieldError("categoryMultipliers")} onChange={(e) => set({ categoryMultipliers: e.target.value })} />
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField id="capPerMemberDay" label={t("capPerMemberDay")} hint={t("capHint")} type="number" inputMode="numeric" min={1} step={1} value={form.capPerMemberDay} error={fieldError("capPerMemberDay")} onChange={(e) => set({ capPerMemberDay: e.target.value })} />
        <TextField id="capPerMemberMonth" label={t("capPerMemberMonth")} hint={t("capHint")} type="number" inputMode="numeric" min={1} step={1} value={form.capPerMemberMonth} error={fieldError("capPerMemberMonth")} onChange={(e) => set({ capPerMemberMonth: e.target.value })} />
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField id="startsAt" label={t("startsAt")} type="datetime-local" value={form.startsAt} error={fieldError("startsAt")} onChange={(e) => set({ startsAt: e.target.value })} />
        <TextField id="endsAt" label={t("endsAt")} type="datetime-local" value={form.endsAt} error={fieldError("endsAt")} onChange={(e) => set({ endsAt: e.target.value })} />
      </div>
      <CheckboxField id="isActive" label={t("active")} checked={form.isActive} onChange={(e) => set({ isActive: e.target.checked })} />
      <div>
        <Button type="submit" disabled={isPending}>
          {isPending ? common("saving") : common("save")}
        </Button>
      </div>
    </form>
  );
}
