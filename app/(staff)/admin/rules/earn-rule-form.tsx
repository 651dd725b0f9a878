"use client";

import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useState, type FormEvent } from "react";
import { ActionError, useFieldError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { CheckboxField, TextField } from "@/components/ui/field";
import { saveEarnRuleAction } from "@/lib/actions/save-earn-rule";

type Props = {
  currency: string;
  tiers: { id: number; name: string; threshold: string }[];
  initial: { pointsPerUnit: string; multipliers: Record<string, string>; startsAt: string; endsAt: string; isActive: boolean };
};

export function EarnRuleForm({ currency, tiers, initial }: Props) {
  const t = useTranslations("admin.rules");
  const common = useTranslations("common");
  const [form, setForm] = useState(initial);
  const { execute, result, isPending } = useAction(saveEarnRuleAction);
  const fieldError = useFieldError(result);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    execute({
      pointsPerUnit: Number(form.pointsPerUnit),
      tierMultipliers: Object.fromEntries(Object.entries(form.multipliers).map(([tierId, value]) => [tierId, Number(value)])),
      startsAt: form.startsAt,
      endsAt: form.endsAt,
      isActive: form.isActive,
    });
  };
  return (
    <form onSubmit={onSubmit} className="grid max-w-2xl gap-4" noValidate>
      <ActionError result={result} />
      {result.data ? <Alert tone="success">{t("saved", { version: result.data.version })}</Alert> : null}
      <TextField id="pointsPerUnit" label={t("pointsPerUnit", { currency })} type="number" inputMode="decimal" min={0} step={0.01} value={form.pointsPerUnit} error={fieldError("pointsPerUnit")} onChange={(e) => setForm({ ...form, pointsPerUnit: e.target.value })} />
      <fieldset className="space-y-3 rounded-lg border border-stone-300 p-4">
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
            onChange={(e) => setForm({ ...form, multipliers: { ...form.multipliers, [String(tier.id)]: e.target.value } })}
          />
        ))}
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField id="startsAt" label={t("startsAt")} type="datetime-local" value={form.startsAt} error={fieldError("startsAt")} onChange={(e) => setForm({ ...form, startsAt: e.target.value })} />
        <TextField id="endsAt" label={t("endsAt")} type="datetime-local" value={form.endsAt} error={fieldError("endsAt")} onChange={(e) => setForm({ ...form, endsAt: e.target.value })} />
      </div>
      <CheckboxField id="isActive" label={t("active")} checked={form.isActive} onChange={(e) => setForm({ ...form, isActive: e.target.checked })} />
      <div>
        <Button type="submit" disabled={isPending}>
          {isPending ? common("saving") : common("save")}
        </Button>
      </div>
    </form>
  );
}
