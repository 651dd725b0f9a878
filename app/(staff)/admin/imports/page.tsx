import { getFormatter, getTranslations } from "next-intl/server";
import { Badge, Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { requirePermission } from "@/lib/auth/current-user";
import { listImportJobs } from "@/lib/db/staff-reads";
import { getProgram } from "@/lib/services/program";
import { ImportForm } from "./import-form";

export async function generateMetadata() {
  return { title: (await getTranslations("admin.imports"))("title") };
}

const tone = { QUEUED: "neutral", RUNNING: "info", DONE: "positive", FAILED: "danger" } as const;

export default async function ImportsPage() {
  await requirePermission("importData");
  const program = await getProgram();
  const [t, format, jobs] = await Promise.all([getTranslations("admin.imports"), getFormatter(), listImportJobs(program.id)]);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="max-w-3xl text-stone-700">{t("intro")}</p>
      </div>
      <Card><ImportForm /></Card>
      {jobs.length > 0 ? (
        <section aria-labelledby="history-title" className="space-y-2">
          <h2 id="history-title" className="text-xl font-semibold">{t("history")}</h2>
          <DataTable columns={[{ label: t("filename") }, { label: t("kind") }, { label: t("started") }, { label: t("imported"), align: "right" }, { label: t("skipped"), align: "right" }, { label: t("failed"), align: "right" }, { label: t("status") }]}>
            {jobs.map((job) => (
              <tr key={job.id}>
                <td className="min-w-32 p-3 break-words">{job.filename}</td>
                <td className="min-w-40 p-3">{job.kind === "ORDERS" ? t("kindOrders") : t("kindBalances")}</td>
                <td className="p-3">{format.dateTime(job.createdAt, { dateStyle: "medium", timeStyle: "short" })}</td>
                <td className="p-3 text-right tabular-nums">{format.number(job.importedRows)}</td>
                <td className="p-3 text-right tabular-nums">{format.number(job.skippedRows)}</td>
                <td className="p-3 text-right tabular-nums">{format.number(job.failedRows)}</td>
                <td className="p-3"><Badge tone={tone[job.status as keyof typeof tone] ?? "neutral"}>{t(`jobStatus.${job.status as "DONE"}`)}</Badge></td>
              </tr>
            ))}
          </DataTable>
        </section>
      ) : null}
    </div>
  );
}
