import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { SegmentLineChart, type TrendRow } from "@/components/charts/segment-line-chart";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/current-user";
import { cohortKinds, cohortSegments, COHORT_MONTHS, getAnalyticsFreshness, getCohorts, getProgramClock, type CohortKind } from "@/lib/db/analytics-reads";
import { getProgram } from "@/lib/services/program";
import { AnalyticsHeader, CsvLink, DataSourceNote } from "../_components/analytics-nav";

export async function generateMetadata() {
  return { title: (await getTranslations("admin.analytics.cohorts"))("title") };
}

const control = "block min-h-11 rounded-lg border border-stone-400 bg-white px-3 py-2 text-base text-stone-900";

/** Background shade for a retention share: darker = more of the cohort ordered (the number is always shown). */
function shade(share: number) {
  if (share >= 0.6) return "bg-brand-800 text-white";
  if (share >= 0.4) return "bg-brand-600 text-white";
  if (share >= 0.25) return "bg-orange-200 text-stone-900";
  if (share >= 0.1) return "bg-brand-100 text-stone-900";
  return "bg-white text-stone-900";
}

export default async function CohortsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePermission("viewAnalytics");
  const program = await getProgram();
  const [clock, raw, t, format] = await Promise.all([getProgramClock(program.id), searchParams, getTranslations("admin.analytics.cohorts"), getFormatter()]);
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? "";
  const kind: CohortKind = (cohortKinds as readonly string[]).includes(first(raw.kind)) ? (first(raw.kind) as CohortKind) : "first";
  const segments: readonly string[] = cohortSegments[kind];
  const segment = segments.includes(first(raw.segment)) ? first(raw.segment) : segments[0];
  const [{ lines, averageLtv }, freshness] = await Promise.all([getCohorts({ programId: program.id, timeZone: clock.timeZone, kind, segment }), getAnalyticsFreshness(program.id)]);
  const [selectedCohort, selectedOffset] = first(raw.cell).split(":");
  const selectedLine = lines.find((line) => line.cohort === selectedCohort);
  const selected = selectedLine?.cells[Number(selectedOffset)] ?? null;

  const monthLabel = (month: string) => format.dateTime(new Date(`${month}T12:00:00Z`), { timeZone: "UTC", month: "short", year: "numeric" });
  const percent = (value: number) => format.number(value, { style: "percent", maximumFractionDigits: 1 });
  const money = (cents: number) => format.number(cents / 100, { style: "currency", currency: program.currency });
  const offsets = Array.from({ length: COHORT_MONTHS }, (_, offset) => offset);
  const cellHref = (cohort: string, offset: number) => `/admin/analytics/cohorts?kind=${kind}&segment=${segment}&cell=${cohort}:${offset}#cell-detail`;
  // three cohorts a quarter apart (oldest first) beside the average, so the curves have length
  const recent = lines.filter((line) => line.size > 0).filter((_, index) => index % 3 === 0).slice(0, 3);
  const ltvData: TrendRow[] = offsets.map((offset) => ({
    label: t("monthN", { month: offset }),
    average: averageLtv[offset],
    ...Object.fromEntries(recent.map((line) => [line.cohort, line.cells[offset] && !line.cells[offset]!.isPartial ? line.cells[offset]!.ltvCents : null])),
  }));
  const ltvSeries = [{ key: "average", label: t("allCohorts") }, ...recent.map((line) => ({ key: line.cohort, label: monthLabel(line.cohort) }))];

  return (
    <div className="space-y-6">
      <AnalyticsHeader title={t("title")}>
        <p className="text-stone-700">{t(`intro.${kind}`)}</p>
      </AnalyticsHeader>
      <Card>
        <form method="get" className="flex flex-wrap items-end gap-3" aria-label={t("chooser")}>
          <div className="space-y-1">
            <label htmlFor="kind" className="block text-sm font-medium text-stone-800">{t("kind")}</label>
            <select id="kind" name="kind" defaultValue={kind} className={control}>
              {cohortKinds.map((value) => <option key={value} value={value}>{t(`kinds.${value}`)}</option>)}
            </select>
          </div>
          <div className="space-y-1">
            <label htmlFor="segment" className="block text-sm font-medium text-stone-800">{t("segment")}</label>
            <select id="segment" name="segment" defaultValue={segment} className={control}>
              {[...cohortSegments.first, ...cohortSegments.join].map((value) => <option key={value} value={value}>{t(`segments.${value}`)}</option>)}
            </select>
          </div>
          <button type="submit" className={buttonClass("primary")}>{t("show")}</button>
          <p className="w-full text-sm text-stone-600">{t("segmentHint")}</p>
        </form>
      </Card>
      <p className="text-sm text-stone-700" data-testid="freshness">
        {t("note", { timeZone: clock.timeZone })}{" "}
        {freshness.refreshedAt ? t("freshness", { at: format.dateTime(freshness.refreshedAt, { dateStyle: "medium", timeStyle: "medium", timeZone: clock.timeZone }) }) : null}
        <DataSourceNote source={freshness.source} lagSeconds={freshness.lagSeconds} />
      </p>

      <section aria-labelledby="retention-heading" className="space-y-2">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="retention-heading" className="text-xl font-semibold">{t("retention")}</h2>
          <CsvLink href={`/admin/analytics/export/cohorts.csv?kind=${kind}&segment=${segment}`} />
        </div>
        <p className="text-sm text-stone-600">{t("retentionHelp")}</p>
        <div className="overflow-x-auto rounded-xl border border-stone-200 bg-white" tabIndex={0} role="region" aria-label={t("retentionCaption")}>
          <table className="w-full min-w-[56rem] text-center text-sm tabular-nums">
            <caption className="sr-only">{t("retentionCaption")}</caption>
            <thead className="bg-stone-50">
              <tr>
                <th scope="col" className="sticky left-0 min-w-32 bg-stone-50 px-2 py-2 text-left">{t(`cohortColumn.${kind}`)}</th>
                <th scope="col" className="px-2 py-2">{t("size")}</th>
                {offsets.map((offset) => <th key={offset} scope="col" className="px-1 py-2">{t("monthN", { month: offset })}</th>)}
              </tr>
            </thead>
            <tbody>
              {lines.map((line) => (
                <tr key={line.cohort} className="border-t border-stone-200">
                  <th scope="row" className="sticky left-0 bg-white px-2 py-1 text-left font-semibold">{monthLabel(line.cohort)}</th>
                  <td className="px-2 py-1">{format.number(line.size)}</td>
                  {line.cells.map((cell, offset) =>
                    cell ? (
                      <td key={offset} className={`p-0 ${shade(cell.share)}`}>
                        <Link
                          href={cellHref(line.cohort, offset)}
                          className="block min-h-11 px-1 py-3 underline-offset-2 hover:underline focus-visible:outline focus-visible:outline-2 focus-visible:outline-stone-900"
                          aria-label={t("cellLabel", { cohort: monthLabel(line.cohort), month: offset, share: percent(cell.share) })}
                          data-testid={`cohort-${line.cohort}-${offset}`}
                        >
                          {percent(cell.share)}{cell.isPartial ? "*" : ""}
                        </Link>
                      </td>
                    ) : (
                      <td key={offset} className="px-1 py-1 text-stone-400">·</td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="text-xs text-stone-600">{t("partialNote")}</p>
        {selected && selectedLine ? (
          <Card id="cell-detail" aria-live="polite" data-testid="cell-detail">
            <h3 className="font-semibold">{t("cellTitle", { cohort: monthLabel(selectedLine.cohort), month: selected.offset })}</h3>
            <p className="text-sm text-stone-800">
              {t("cellDetail", { customers: selected.customers, size: selectedLine.size, share: percent(selected.share), revenue: money(selected.netCents), ltv: money(selected.ltvCents) })}
              {selected.isPartial ? ` ${t("cellPartial")}` : ""}
            </p>
          </Card>
        ) : null}
      </section>

      <section aria-labelledby="ltv-heading" className="space-y-2">
        <h2 id="ltv-heading" className="text-xl font-semibold">{t("ltv")}</h2>
        <p className="text-sm text-stone-600">{t(`ltvHelp.${kind}`)}</p>
        <Card>
          <SegmentLineChart data={ltvData} series={ltvSeries} kind="currency" currency={program.currency} title={t("ltv")} />
        </Card>
        <details className="rounded-xl border border-stone-200 bg-white p-4">
          <summary className="cursor-pointer font-semibold">{t("ltvTable")}</summary>
          <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={t("ltvTable")}>
            <table className="mt-2 w-full text-right text-sm tabular-nums">
              <thead>
                <tr>
                  <th scope="col" className="px-2 text-left">{t(`cohortColumn.${kind}`)}</th>
                  {offsets.map((offset) => <th key={offset} scope="col" className="px-2">{t("monthN", { month: offset })}</th>)}
                </tr>
              </thead>
              <tbody>
                {lines.map((line) => (
                  <tr key={line.cohort} className="border-t border-stone-200">
                    <th scope="row" className="px-2 text-left font-normal">{monthLabel(line.cohort)}</th>
                    {line.cells.map((cell, offset) => <td key={offset} className="px-2">{cell ? `${money(cell.ltvCents)}${cell.isPartial ? "*" : ""}` : "·"}</td>)}
                  </tr>
                ))}
                <tr className="border-t-2 border-stone-300 font-semibold">
                  <th scope="row" className="px-2 text-left">{t("allCohorts")}</th>
                  {averageLtv.map((value, offset) => <td key={offset} className="px-2">{value === null ? "·" : money(value)}</td>)}
                </tr>
              </tbody>
            </table>
          </div>
        </details>
      </section>
    </div>
  );
}
