import { getFormatter, getTranslations } from "next-intl/server";
import { SegmentLineChart, type SegmentPoint } from "@/components/charts/segment-line-chart";
import { Card } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/current-user";
import { ANALYTICS_MONTHS, getRetentionAnalytics } from "@/lib/db/staff-reads";
import type { MonthlyMetrics, SegmentMetrics } from "@/lib/domain/analytics";
import { getProgram } from "@/lib/services/program";

export async function generateMetadata() {
  return { title: (await getTranslations("admin.analytics"))("title") };
}

function series(rows: MonthlyMetrics[], pick: (metrics: SegmentMetrics) => number | null): SegmentPoint[] {
  return rows.map((row) => ({ month: row.month, members: pick(row.members), nonMembers: pick(row.nonMembers) }));
}

export default async function AnalyticsPage() {
  await requirePermission("viewAnalytics");
  const program = await getProgram();
  const [t, format, analytics] = await Promise.all([getTranslations("admin.analytics"), getFormatter(), getRetentionAnalytics(program.id)]);
  const { headline, points } = analytics;
  const money = (cents: number | null) => (cents === null ? t("noData") : format.number(cents / 100, { style: "currency", currency: program.currency, maximumFractionDigits: 0 }));
  const percent = (value: number | null) => (value === null ? t("noData") : format.number(value, { style: "percent", maximumFractionDigits: 1 }));
  const decimal = (value: number | null) => (value === null ? t("noData") : format.number(value, { maximumFractionDigits: 2 }));
  const labels = { members: t("members"), nonMembers: t("nonMembers") };
  const headlines = [
    { key: "repeatRate", label: t("repeatRate"), help: t("repeatRateHelp"), member: percent(headline.members.repeatRate), other: percent(headline.nonMembers.repeatRate) },
    { key: "ltv", label: t("ltv"), help: t("ltvHelp"), member: money(headline.members.ltvCents), other: money(headline.nonMembers.ltvCents) },
    { key: "aov", label: t("aov"), help: t("aovHelp"), member: money(headline.members.aovCents), other: money(headline.nonMembers.aovCents) },
    { key: "frequency", label: t("frequency"), help: t("frequencyHelp"), member: decimal(headline.members.frequency), other: decimal(headline.nonMembers.frequency) },
  ];
  const charts = [
    { title: t("monthlyRepeat"), help: t("repeatRateHelp"), kind: "percent" as const, data: series(analytics.series, (m) => m.repeatRate) },
    { title: t("monthlyLtv"), help: t("ltvHelp"), kind: "currency" as const, data: series(analytics.series, (m) => m.ltvCents) },
    { title: t("monthlyAov"), help: t("aovHelp"), kind: "currency" as const, data: series(analytics.series, (m) => m.aovCents) },
  ];
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="text-stone-700">{t("intro", { months: ANALYTICS_MONTHS })}</p>
      </div>
      <section aria-label={t("members")} className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {headlines.map((item) => (
          <Card key={item.key}>
            <h2 className="text-sm font-semibold text-stone-700">
              {item.label} <span className="sr-only">({t("members")})</span>
            </h2>
            <p className="mt-1 text-3xl font-bold tabular-nums text-brand-800" data-testid={`headline-${item.key}`}>{item.member}</p>
            <p className="text-sm text-stone-700">{t("vs", { value: item.other })}</p>
            <p className="mt-2 text-xs text-stone-600" title={item.help}>{item.help}</p>
          </Card>
        ))}
      </section>
      <div className="grid gap-4 xl:grid-cols-3">
        {charts.map((chart) => (
          <Card key={chart.title}>
            <h2 className="font-semibold">{chart.title}</h2>
            <p className="mb-2 text-xs text-stone-600">{chart.help}</p>
            <SegmentLineChart data={chart.data} kind={chart.kind} currency={program.currency} labels={labels} title={chart.title} />
          </Card>
        ))}
      </div>
      <section aria-labelledby="points-heading" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <h2 id="points-heading" className="sr-only">{t("points")}</h2>
        <Card><h3 className="text-sm font-semibold text-stone-700">{t("issued")}</h3><p className="text-2xl font-bold tabular-nums">{format.number(points.issued)}</p></Card>
        <Card><h3 className="text-sm font-semibold text-stone-700">{t("redemptionRate")}</h3><p className="text-2xl font-bold tabular-nums">{percent(points.redemptionRate)}</p><p className="text-xs text-stone-600">{t("redemptionRateHelp")}</p></Card>
        <Card><h3 className="text-sm font-semibold text-stone-700">{t("breakage")}</h3><p className="text-2xl font-bold tabular-nums">{percent(points.breakage)}</p><p className="text-xs text-stone-600">{t("breakageHelp")}</p></Card>
        <Card><h3 className="text-sm font-semibold text-stone-700">{t("liability")}</h3><p className="text-2xl font-bold tabular-nums">{money(points.liabilityCents)}</p><p className="text-xs text-stone-600">{t("outstanding", { count: points.outstanding })} · {t("liabilityHelp")}</p></Card>
      </section>
      <details className="rounded-xl border border-stone-200 bg-white p-4">
        <summary className="cursor-pointer font-semibold">{t("tableCaption")}</summary>
        <div className="overflow-x-auto">
          <table className="mt-2 w-full text-right text-sm tabular-nums">
            <thead>
              <tr>
                <th scope="col" className="text-left">{t("month")}</th>
                <th scope="col">{t("repeatRate")} ({t("members")})</th>
                <th scope="col">{t("repeatRate")} ({t("nonMembers")})</th>
                <th scope="col">{t("aov")} ({t("members")})</th>
                <th scope="col">{t("aov")} ({t("nonMembers")})</th>
                <th scope="col">{t("ltv")} ({t("members")})</th>
                <th scope="col">{t("ltv")} ({t("nonMembers")})</th>
              </tr>
            </thead>
            <tbody>
              {analytics.series.map((row) => (
                <tr key={row.month} className="border-t border-stone-200">
                  <th scope="row" className="text-left font-normal">{row.month}</th>
                  <td>{percent(row.members.repeatRate)}</td>
                  <td>{percent(row.nonMembers.repeatRate)}</td>
                  <td>{money(row.members.aovCents)}</td>
                  <td>{money(row.nonMembers.aovCents)}</td>
                  <td>{money(row.members.ltvCents)}</td>
                  <td>{money(row.nonMembers.ltvCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
