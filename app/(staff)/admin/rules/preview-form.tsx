"use client";

import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useState, type FormEvent } from "react";
import { ActionError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { SelectField, TextField } from "@/components/ui/field";
import { previewOrderAction } from "@/lib/actions/preview-order";

type Line = { sku: string; category: string; quantity: string; unitPrice: string };
const emptyLine = (): Line => ({ sku: "", category: "", quantity: "1", unitPrice: "" });

/** A sample order run through the saved rules; shows the base points, each promotion, and why not. */
export function PreviewForm({ tiers, currency, defaultDate }: { tiers: { id: number; name: string }[]; currency: string; defaultDate: string }) {
  const t = useTranslations("admin.rules");
  const [tierId, setTierId] = useState("");
  const [placedAt, setPlacedAt] = useState(defaultDate);
  const [lines, setLines] = useState<Line[]>([{ sku: "TEE-01", category: "apparel", quantity: "1", unitPrice: "49.90" }]);
  const { execute, result, isPending } = useAction(previewOrderAction);
  const setLine = (index: number, patch: Partial<Line>) => setLines(lines.map((line, i) => (i === index ? { ...line, ...patch } : line)));
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    execute({
      tierId: tierId ? Number(tierId) : null,
      placedAt,
      lines: lines.map((line) => ({ sku: line.sku, category: line.category, quantity: Number(line.quantity), unitPrice: Number(line.unitPrice) })),
    });
  };
  const preview = result.data;
  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-3" aria-label={t("previewTitle")}>
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField id="preview-tier" label={t("previewTier")} value={tierId} onChange={(e) => setTierId(e.target.value)}>
          <option value="">{t("noTier")}</option>
          {tiers.map((tier) => <option key={tier.id} value={tier.id}>{tier.name}</option>)}
        </SelectField>
        <TextField id="preview-date" label={t("previewDate")} type="datetime-local" value={placedAt} onChange={(e) => setPlacedAt(e.target.value)} />
      </div>
      {lines.map((line, index) => (
        <fieldset key={index} className="grid items-end gap-2 sm:grid-cols-[1fr_1fr_6rem_8rem_auto]">
          <legend className="sr-only">{t("line", { n: index + 1 })}</legend>
          <TextField id={`preview-sku-${index}`} label={t("sku")} value={line.sku} onChange={(e) => setLine(index, { sku: e.target.value })} />
          <TextField id={`preview-category-${index}`} label={t("category")} value={line.category} onChange={(e) => setLine(index, { category: e.target.value })} />
          <TextField id={`preview-quantity-${index}`} label={t("quantity")} type="number" inputMode="numeric" min={1} step={1} value={line.quantity} onChange={(e) => setLine(index, { quantity: e.target.value })} />
          <TextField id={`preview-price-${index}`} label={`${t("unitPrice")} (${currency})`} type="number" inputMode="decimal" min={0} step={0.01} value={line.unitPrice} onChange={(e) => setLine(index, { unitPrice: e.target.value })} />
          <Button variant="ghost" disabled={lines.length === 1} onClick={() => setLines(lines.filter((_, i) => i !== index))} aria-label={t("removeLine", { n: index + 1 })}>×</Button>
        </fieldset>
      ))}
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" disabled={lines.length >= 10} onClick={() => setLines([...lines, emptyLine()])}>{t("addLine")}</Button>
        <Button type="submit" disabled={isPending}>{t("runPreview")}</Button>
      </div>
      <ActionError result={result} />
      <div aria-live="polite">
        {preview ? (
          <Alert tone="success">
            <p className="font-semibold">{t("previewTotal", { count: preview.total })}</p>
            <ul className="mt-1 list-disc pl-5 text-sm">
              {preview.base.ruleVersion !== null ? <li>{t("previewBase", { version: preview.base.ruleVersion, count: preview.base.points })}</li> : null}
              {preview.promotions.map((promotion) => <li key={promotion.name}>{t("previewPromotion", { name: promotion.name, version: promotion.version, count: promotion.points })}</li>)}
              {preview.notes.map((note) => <li key={note}>{t(`notes.${note}` as "notes.capped")}</li>)}
              {preview.caps.perDay || preview.caps.perMonth ? (
                <li>{t("previewCaps", { day: preview.caps.perDay ?? "—", month: preview.caps.perMonth ?? "—" })}</li>
              ) : null}
            </ul>
          </Alert>
        ) : null}
      </div>
    </form>
  );
}
