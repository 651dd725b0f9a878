"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useEffect, useState, type FormEvent } from "react";
import { ActionError } from "@/components/shared/action-error";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/card";
import { SelectField, TextField } from "@/components/ui/field";
import { startImportAction } from "@/lib/actions/start-import";

type Job = { id: number; status: "QUEUED" | "RUNNING" | "DONE" | "FAILED"; totalRows: number; processedRows: number; importedRows: number; skippedRows: number; failedRows: number; errors: { row: number; message: string }[] };
const MAX_BYTES = 20 * 1024 * 1024;
const isUnfinished = (job: Job | undefined) => job?.status === "QUEUED" || job?.status === "RUNNING";

export function ImportForm() {
  const t = useTranslations("admin.imports");
  const format = useFormatter();
  const router = useRouter();
  const [kind, setKind] = useState<"ORDERS" | "BALANCES">("ORDERS");
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const { execute, result, isPending } = useAction(startImportAction);
  const jobId = result.data?.id ?? null;
  const { data: job } = useQuery({
    queryKey: ["imports", jobId],
    enabled: jobId !== null,
    queryFn: async (): Promise<Job> => {
      const response = await fetch(`/api/admin/imports/${jobId}`, { cache: "no-store" });
      if (!response.ok) throw new Error(`progress ${response.status}`);
      return response.json();
    },
    refetchInterval: (query) => (query.state.data && !isUnfinished(query.state.data) ? false : 500),
  });
  useEffect(() => {
    if (job && !isUnfinished(job)) router.refresh();
  }, [job, router]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    if (!file) return setProblem(t("noFile"));
    if (file.size > MAX_BYTES) return setProblem(t("tooLarge"));
    execute({ kind, filename: file.name, csv: await file.text() });
  };
  const percent = job && job.totalRows > 0 ? Math.floor((job.processedRows * 100) / job.totalRows) : 0;
  return (
    <div className="grid gap-4">
      <form onSubmit={onSubmit} className="grid gap-3" noValidate aria-label={t("start")}>
        <div className="grid gap-3 sm:grid-cols-2">
          <SelectField id="import-kind" label={t("kind")} value={kind} onChange={(e) => setKind(e.target.value as "ORDERS" | "BALANCES")}>
            <option value="ORDERS">{t("kindOrders")}</option>
            <option value="BALANCES">{t("kindBalances")}</option>
          </SelectField>
          <TextField id="import-file" label={t("file")} type="file" accept=".csv,text/csv" hint={kind === "ORDERS" ? t("ordersColumns") : t("balancesColumns")} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </div>
        {kind === "ORDERS" ? <p className="text-sm text-stone-700">{t("ordersNote")}</p> : null}
        {problem ? <Alert>{problem}</Alert> : null}
        <ActionError result={result} />
        <div>
          <Button type="submit" disabled={isPending || isUnfinished(job)}>{isPending ? t("uploading") : t("start")}</Button>
        </div>
      </form>
      {job ? (
        <section aria-live="polite" aria-labelledby="import-progress-title" className="grid gap-2">
          <h2 id="import-progress-title" className="font-semibold">{t(`jobStatus.${job.status}`)}</h2>
          <div className="h-3 w-full overflow-hidden rounded-full bg-stone-200" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label={t("progress", { processed: job.processedRows, total: job.totalRows })}>
            <div className="h-full bg-brand-700 transition-all" style={{ width: `${percent}%` }} />
          </div>
          <p className="text-sm">{t("progress", { processed: job.processedRows, total: job.totalRows })}</p>
          <dl className="grid grid-cols-3 gap-2 text-sm">
            <div><dt className="text-stone-600">{t("imported")}</dt><dd className="text-lg font-semibold tabular-nums">{format.number(job.importedRows)}</dd></div>
            <div><dt className="text-stone-600">{t("skipped")}</dt><dd className="text-lg font-semibold tabular-nums">{format.number(job.skippedRows)}</dd></div>
            <div><dt className="text-stone-600">{t("failed")}</dt><dd className="text-lg font-semibold tabular-nums">{format.number(job.failedRows)}</dd></div>
          </dl>
          {job.errors.length > 0 ? (
            <div className="overflow-x-auto">
              <table className="w-full text-left text-sm">
                <caption className="mb-1 text-left font-semibold">{t("rowErrors")}</caption>
                <thead className="bg-stone-100"><tr><th scope="col" className="p-2">{t("row")}</th><th scope="col" className="p-2">{t("message")}</th></tr></thead>
                <tbody className="divide-y divide-stone-200">
                  {job.errors.map((error, index) => <tr key={index}><td className="p-2 tabular-nums">{error.row || "—"}</td><td className="p-2">{error.message}</td></tr>)}
                </tbody>
              </table>
            </div>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
