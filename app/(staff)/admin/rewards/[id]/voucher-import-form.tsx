"use client";

import { useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useState, type ChangeEvent, type FormEvent } from "react";
import { ActionError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { importVouchersAction } from "@/lib/actions/save-reward";

/** Upload a CSV of partner codes into the reward's pool; row errors reject the file. */
export function VoucherImportForm({ rewardId }: { rewardId: number }) {
  const t = useTranslations("admin.rewards");
  const [csv, setCsv] = useState("");
  const { execute, result, isPending } = useAction(importVouchersAction);
  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    setCsv(file ? await file.text() : "");
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    execute({ rewardId, csv });
  };
  const data = result.data;
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3" aria-label={t("voucherPool")}>
      <ActionError result={result} />
      {data && data.errors.length === 0 ? <Alert tone="success">{t("vouchersImported", { imported: data.imported, duplicates: data.duplicates })}</Alert> : null}
      {data && data.errors.length > 0 ? (
        <Alert>
          {t("vouchersRejected")}
          <ul className="mt-1 list-disc ps-5" data-testid="voucher-errors">
            {data.errors.map((error) => (
              <li key={`${error.row}-${error.message}`}>{t("vouchersRowError", { row: error.row, message: error.message })}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      <div className="space-y-1">
        <label htmlFor="voucher-file" className="block text-sm font-medium text-stone-800">
          {t("voucherFile")}
        </label>
        <input id="voucher-file" type="file" accept=".csv,text/csv,text/plain" onChange={onFile} className="block text-sm" />
      </div>
      <Button type="submit" disabled={isPending || csv === ""}>
        {isPending ? t("vouchersImporting") : t("vouchersImport")}
      </Button>
    </form>
  );
}
