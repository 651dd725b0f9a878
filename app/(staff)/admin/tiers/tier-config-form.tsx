"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useState, type FormEvent } from "react";
import { ActionError, useFieldError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { CheckboxField, SelectField, TextField } from "@/components/ui/field";
import { previewTiersAction, saveTiersAction } from "@/lib/actions/tiers";

type TierRow = {
  key: string;
  id?: number;
  name: string;
  description: string;
  minSpend: string;
  minPoints: string;
  multiplier: string;
  freeShipping: boolean;
  earlyAccessHours: string;
  birthdayGiftPoints: string;
};

export type TierConfigValues = { basis: "SPEND" | "POINTS"; window: "ROLLING_12_MONTHS" | "CALENDAR_YEAR"; graceDays: string; tiers: TierRow[] };

const num = (value: string) => (value.trim() === "" ? Number.NaN : Number(value));

/**
 * The whole tier set in one form, lowest tier first. "Preview" shows how many members would
 * move before anything is saved; editing after a preview asks for a new one.
 */
export function TierConfigForm({ initial, currency, hasSpendRule }: { initial: TierConfigValues; currency: string; hasSpendRule: boolean }) {
  const t = useTranslations("admin.tiers");
  const common = useTranslations("common");
  const [form, setForm] = useState(initial);
  const [previewed, setPreviewed] = useState<string | null>(null);
  const preview = useAction(previewTiersAction);
  const format = useFormatter();
  const save = useAction(saveTiersAction, { onSuccess: () => setPreviewed(null) });
  const fieldError = useFieldError(save.result.validationErrors ? save.result : preview.result);

  const payload = () => ({
    basis: form.basis,
    window: form.window,
    graceDays: num(form.graceDays),
    tiers: form.tiers.map((tier) => ({
      ...(tier.id ? { id: tier.id } : {}),
      name: tier.name,
      description: tier.description,
      minSpend: num(tier.minSpend),
      minPoints: num(tier.minPoints),
      multiplier: num(tier.multiplier),
      freeShipping: tier.freeShipping,
      earlyAccessHours: num(tier.earlyAccessHours),
      birthdayGiftPoints: num(tier.birthdayGiftPoints),
    })),
  });
  const snapshot = JSON.stringify(form);
  const isPreviewCurrent = previewed === snapshot && preview.result.data !== undefined;

  const update = (next: TierConfigValues) => {
    setForm(next);
    save.reset();
  };
  const setTier = (index: number, patch: Partial<TierRow>) => update({ ...form, tiers: form.tiers.map((tier, i) => (i === index ? { ...tier, ...patch } : tier)) });
  const move = (index: number, delta: number) => {
    const tiers = [...form.tiers];
    const [row] = tiers.splice(index, 1);
    tiers.splice(index + delta, 0, row);
    update({ ...form, tiers });
  };
  const onPreview = () => {
    setPreviewed(snapshot);
    preview.execute(payload());
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.execute(payload());
  };
  const data = preview.result.data;
  const threshold = form.basis === "POINTS" ? "minPoints" : "minSpend";

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label={t("formLabel")}>
      <ActionError result={save.result.serverError || save.result.validationErrors ? save.result : preview.result} />
      {save.result.data ? (
        <Alert tone="success">
          {t("saved", { moved: save.result.data.moved, up: save.result.data.up, down: save.result.data.down, grace: save.result.data.graceStarted })}
          {save.result.data.withdrawnRewards.length > 0 ? (
            <span className="mt-1 block" data-testid="withdrawn-rewards">
              {t("withdrawnRewards", { count: save.result.data.withdrawnRewards.length, names: save.result.data.withdrawnRewards.map((reward) => reward.name).join(", ") })}
            </span>
          ) : null}
        </Alert>
      ) : null}
      <div className="grid gap-3 sm:grid-cols-3">
        <SelectField id="tier-basis" label={t("basis")} value={form.basis} onChange={(e) => update({ ...form, basis: e.target.value as TierConfigValues["basis"] })}>
          <option value="SPEND">{t("basisSpend")}</option>
          <option value="POINTS">{t("basisPoints")}</option>
        </SelectField>
        <SelectField id="tier-window" label={t("window")} value={form.window} onChange={(e) => update({ ...form, window: e.target.value as TierConfigValues["window"] })}>
          <option value="ROLLING_12_MONTHS">{t("windowRolling")}</option>
          <option value="CALENDAR_YEAR">{t("windowCalendar")}</option>
        </SelectField>
        <TextField
          id="tier-grace"
          label={t("graceDays")}
          hint={t("graceHint")}
          type="number"
          inputMode="numeric"
          min={0}
          max={730}
          value={form.graceDays}
          error={fieldError("graceDays")}
          onChange={(e) => update({ ...form, graceDays: e.target.value })}
        />
      </div>
      {!hasSpendRule ? <Alert tone="info">{t("noSpendRule")}</Alert> : null}
      <ol className="space-y-3">
        {form.tiers.map((tier, index) => {
          const prefix = `tier-${tier.key}`;
          return (
            <li key={tier.key} className="rounded-lg border border-stone-300 p-3">
              <fieldset className="space-y-3">
                <legend className="text-sm font-semibold">{t("tierN", { n: index + 1, name: tier.name || "…" })}</legend>
                <div className="grid gap-3 sm:grid-cols-3 lg:grid-cols-4">
                  <TextField id={`${prefix}-name`} label={t("name")} value={tier.name} error={fieldError(`tiers.${index}.name`)} onChange={(e) => setTier(index, { name: e.target.value })} />
                  <TextField
                    id={`${prefix}-threshold`}
                    label={form.basis === "POINTS" ? t("thresholdPoints") : t("thresholdSpend", { currency })}
                    type="number"
                    inputMode="decimal"
                    min={0}
                    step={form.basis === "POINTS" ? 1 : 0.01}
                    value={tier[threshold]}
                    error={fieldError(`tiers.${index}.${threshold}`)}
                    onChange={(e) => setTier(index, { [threshold]: e.target.value })}
                  />
                  <TextField
                    id={`${prefix}-multiplier`}
                    label={t("multiplier")}
                    type="number"
                    inputMode="decimal"
                    min={1}
                    max={10}
                    step={0.05}
                    value={tier.multiplier}
                    error={fieldError(`tiers.${index}.multiplier`)}
                    onChange={(e) => setTier(index, { multiplier: e.target.value })}
                  />
                  <TextField
                    id={`${prefix}-early`}
                    label={t("earlyAccessHours")}
                    type="number"
                    inputMode="numeric"
                    min={0}
                    max={720}
                    value={tier.earlyAccessHours}
                    error={fieldError(`tiers.${index}.earlyAccessHours`)}
                    onChange={(e) => setTier(index, { earlyAccessHours: e.target.value })}
                  />
                  <TextField
                    id={`${prefix}-birthday`}
                    label={t("birthdayGiftPoints")}
                    type="number"
                    inputMode="numeric"
                    min={0}
                    value={tier.birthdayGiftPoints}
                    error={fieldError(`tiers.${index}.birthdayGiftPoints`)}
                    onChange={(e) => setTier(index, { birthdayGiftPoints: e.target.value })}
                  />
                  <TextField
                    id={`${prefix}-description`}
                    label={t("description")}
                    value={tier.description}
                    error={fieldError(`tiers.${index}.description`)}
                    onChange={(e) => setTier(index, { description: e.target.value })}
                  />
                  <div className="flex items-end pb-2">
                    <CheckboxField id={`${prefix}-shipping`} label={t("freeShipping")} checked={tier.freeShipping} onChange={(e) => setTier(index, { freeShipping: e.target.checked })} />
                  </div>
                </div>
                <div className="flex flex-wrap gap-2">
                  <Button type="button" variant="secondary" disabled={index === 0} onClick={() => move(index, -1)} aria-label={t("moveUp", { name: tier.name })}>
                    ↑
                  </Button>
                  <Button type="button" variant="secondary" disabled={index === form.tiers.length - 1} onClick={() => move(index, 1)} aria-label={t("moveDown", { name: tier.name })}>
                    ↓
                  </Button>
                  <Button
                    type="button"
                    variant="secondary"
                    disabled={form.tiers.length === 1}
                    onClick={() => update({ ...form, tiers: form.tiers.filter((_, i) => i !== index) })}
                    aria-label={t("remove", { name: tier.name })}
                  >
                    {t("removeShort")}
                  </Button>
                </div>
              </fieldset>
            </li>
          );
        })}
      </ol>
      <Button
        type="button"
        variant="secondary"
        disabled={form.tiers.length >= 10}
        onClick={() =>
          update({
            ...form,
            tiers: [
              ...form.tiers,
              {
                key: `new-${Date.now()}`,
                name: "",
                description: "",
                minSpend: "",
                minPoints: "",
                multiplier: "1",
                freeShipping: false,
                earlyAccessHours: "0",
                birthdayGiftPoints: "0",
              },
            ],
          })
        }
      >
        {t("addTier")}
      </Button>
      <section aria-live="polite" className="space-y-2">
        {data && isPreviewCurrent ? (
          <div className="rounded-lg bg-stone-100 p-3 text-sm" data-testid="tier-preview">
            <p className="font-semibold">{t("previewSummary", { up: data.up, down: data.down, unchanged: data.unchanged, members: data.members })}</p>
            {data.down > 0 ? <p>{t("previewGrace", { days: data.graceDays })}</p> : null}
            {data.amountsAsOf ? <p>{t("previewAsOf", { ago: format.relativeTime(new Date(data.amountsAsOf), new Date()) })}</p> : null}
            <ul className="mt-2 flex flex-wrap gap-x-6 gap-y-1">
              {data.byTier.map((row) => (
                <li key={String(row.tierId)}>
                  {row.tierId === null ? t("noTier") : data.names[String(row.tierId)]}: {row.before} → <strong>{row.after}</strong>
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <p className="text-sm text-stone-700">{t("previewFirst")}</p>
        )}
      </section>
      <div className="flex flex-wrap gap-3">
        <Button type="button" variant="secondary" onClick={onPreview} disabled={preview.isPending}>
          {preview.isPending ? t("previewing") : t("preview")}
        </Button>
        <Button type="submit" disabled={!isPreviewCurrent || save.isPending}>
          {save.isPending ? common("saving") : t("save")}
        </Button>
      </div>
    </form>
  );
}
