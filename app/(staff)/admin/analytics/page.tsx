import { getFormatter, getTranslations } from "next-intl/server";
import { SegmentLineChart, type TrendRow } from "@/components/charts/segment-line-chart";
import { Alert, Badge, Card } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { requirePermission } from "@/lib/auth/current-user";
import { getAnalyticsOverview, getProgramClock } from "@/lib/db/analytics-reads";
import type { OverviewFigures, Segment } from "@/lib/domain/analytics";
import { relativeChange } from "@/lib/domain/analytics";
import { lastDay, localDay, type Period } from "@/lib/domain/analytics-periods";
import { getProgram } from "@/lib/services/program";
import { analyticsPeriodQuerySchema, resolvePeriod, type AnalyticsPeriodQuery } from "@/lib/validations/analytics";
import { AnalyticsHeader, CsvLink, DataSourceNote } from "./_components/analytics-nav";
import { PeriodPicker } from "./_components/period-picker";
import { TimeZoneForm } from "./_components/time-zone-form";

export async function generateMetadata() {
  return { title: (await getTranslations("admin.analytics"))("title") };
}

type Figure = "netCents" | "orders" | "aovCents" | "frequency" | "repeatRate" | "customers";
const FIGURES: { key: Figure; kind: "currency" | "count" | "decimal" | "percent" }[] = [
  { key: "netCents", kind: "currency" },
  { key: "orders", kind: "count" },
  { key: "aovCents", kind: "currency" },
  { key: "frequency", kind: "decimal" },
  { key: "repeatRate", kind: "percent" },
  { key: "customers", kind: "count" },
];
const CHART_SEGMENTS: Segment[] = ["members", "nonMembers", "all"];
const CHARTED: Figure[] = ["netCents", "aovCents", "repeatRate", "frequency"];

function asDate(day: string) {
  return new Date(`${day}T12:00:00Z`);
}

export default async function AnalyticsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePermission("viewAnalytics");
  const program = await getProgram();
  const clock = await getProgramClock(program.id);
  const [t, format, raw] = await Promise.all([getTranslations("admin.analytics"), getFormatter(), searchParams]);
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined;
  const parsed = analyticsPeriodQuerySchema.safeParse({ period: first(raw.period), from: first(raw.from), to: first(raw.to) });
  const today = localDay(new Date(), clock.timeZone);
  const query: AnalyticsPeriodQuery = parsed.success ? parsed.data : { period: "month" };
  const errors = parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), issue.message]));
  const overview = await getAnalyticsOverview({ programId: program.id, timeZone: clock.timeZone, period: resolvePeriod(query, today) });

  const money = (cents: number | null) => (cents === null ? t("noData") : format.number(cents / 100, { style: "currency", currency: program.currency }));
  const value = (figure: Figure, figures: OverviewFigures) => {
    const kind = FIGURES.find((item) => item.key === figure)!.kind;
    const number = figures[figure];
    if (number === null) return t("noData");
    if (kind === "currency") return money(number);
    if (kind === "percent") return format.number(number, { style: "percent", maximumFractionDigits: 1 });
    return format.number(number, { maximumFractionDigits: kind === "decimal" ? 2 : 0 });
  };
  const change = (figure: Figure, current: OverviewFigures, previous: OverviewFigures) => {
    const delta = relativeChange(current[figure], previous[figure]);
    if (delta === null) return null;
    return format.number(delta, { style: "percent", maximumFractionDigits: 1, signDisplay: "exceptZero" });
  };
  const dayLabel = (day: string) => format.dateTime(asDate(day), { timeZone: "UTC", dateStyle: "medium" });
  const rangeLabel = (period: Period) => (period.end === period.start ? dayLabel(period.start) : `${dayLabel(period.start)} – ${dayLabel(lastDay(period))}`);
  const segmentLabel = (segment: Segment) => {
    if (segment === "tier:none") return t("populations.noTier");
    if (segment.startsWith("tier:")) return t("populations.tier", { name: overview.tierNames[segment] ?? t("populations.formerTier") });
    return t(`populations.${segment as "all"}`);
  };
  const trendLabel = (period: Period) => {
    const date = asDate(period.start);
    switch (overview.trend[0]?.period.grain) {
      case "day":
      case "week":
        return format.dateTime(date, { timeZone: "UTC", month: "short", day: "numeric" });
      case "month":
        return format.dateTime(date, { timeZone: "UTC", month: "short", year: "numeric" });
      case "quarter":
        return t("quarterLabel", { quarter: Math.floor(date.getUTCMonth() / 3) + 1, year: date.getUTCFullYear() });
      default:
        return String(date.getUTCFullYear());
    }
  };
  const chartData = (figure: Figure): TrendRow[] =>
    overview.trend.map((point) => ({
      label: `${trendLabel(point.period)}${point.isPartial ? "*" : ""}`,
      ...Object.fromEntries(CHART_SEGMENTS.map((segment) => [segment, point.figures[segment]?.[figure] ?? null])),
    }));
  const series = CHART_SEGMENTS.map((segment) => ({ key: segment, label: segmentLabel(segment) }));
  const { freshness } = overview;
  const zones = can(user.role, "manageStaff") ? [...new Set([clock.timeZone, "UTC", ...Intl.supportedValuesOf("timeZone")])] : [];

  return (
    <div className="space-y-6">
      <AnalyticsHeader title={t("title")}>
        <p className="text-stone-700">{t("intro")}</p>
      </AnalyticsHeader>

      <Card>
        <PeriodPicker query={parsed.success ? parsed.data : { period: first(raw.period) as AnalyticsPeriodQuery["period"], from: first(raw.from), to: first(raw.to) }} errors={errors} />
      </Card>
      {!parsed.success ? <Alert>{t("badPeriod")}</Alert> : null}

      <section aria-labelledby="overview-heading" className="space-y-3">
        <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
          <h2 id="overview-heading" className="text-xl font-semibold">
            {t(`periods.${overview.period.grain}`)}: {rangeLabel(overview.period)}
          </h2>
          {overview.isPartial ? <Badge tone="warning">{t("partial")}</Badge> : null}
          {overview.isRestated ? <Badge tone="info">{t("restated")}</Badge> : null}
        </div>
        <p className="text-sm text-stone-700" data-testid="comparison">
          {t("comparedWith", { range: rangeLabel(overview.previous) })}
          {overview.isPreviousRestated ? ` (${t("restated")})` : ""} · {t("timeZoneNote", { timeZone: clock.timeZone })}
          {overview.isPartial ? ` · ${t("partialHelp")}` : ""}
        </p>
        {parsed.success ? <CsvLink href={`/admin/analytics/export/overview.csv?${new URLSearchParams(Object.entries(parsed.data).filter((entry): entry is [string, string] => typeof entry[1] === "string"))}`} /> : null}
        <p className="text-sm text-stone-700" data-testid="freshness">
          {freshness.refreshedAt
            ? t("freshness", { at: format.dateTime(freshness.refreshedAt, { dateStyle: "medium", timeStyle: "medium", timeZone: clock.timeZone }), pending: freshness.pendingChanges })
            : t("notBuilt")}
          <DataSourceNote source={freshness.source} lagSeconds={freshness.lagSeconds} />
        </p>
        <div className="overflow-x-auto rounded-xl border border-stone-200 bg-white" tabIndex={0} role="region" aria-label={t("overviewTable")}>
          <table className="w-full min-w-[48rem] text-right text-sm tabular-nums">
            <caption className="sr-only">{t("overviewCaption", { range: rangeLabel(overview.period), previous: rangeLabel(overview.previous) })}</caption>
            <thead className="bg-stone-50">
              <tr>
                <th scope="col" className="sticky left-0 min-w-40 bg-stone-50 px-3 py-2 text-left">{t("figure")}</th>
                {overview.populations.map((population) => (
                  <th key={population.segment} scope="col" className="px-3 py-2 font-semibold">{segmentLabel(population.segment)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {FIGURES.map((figure) => (
                <tr key={figure.key} className="border-t border-stone-200 align-top">
                  <th scope="row" className="sticky left-0 min-w-40 bg-white px-3 py-2 text-left font-normal">
                    <span className="font-semibold">{t(`figures.${figure.key}`)}</span>
                    <span className="block max-w-64 text-xs text-stone-600">{t(`help.${figure.key}`)}</span>
                  </th>
                  {overview.populations.map((population) => {
                    const delta = change(figure.key, population.current, population.previous);
                    return (
                      <td key={population.segment} className="px-3 py-2" data-testid={`cell-${figure.key}-${population.segment}`}>
                        <span className="block text-base font-semibold text-stone-900">{value(figure.key, population.current)}</span>
                        <span className="block text-xs text-stone-600">
                          {t("previousValue", { value: value(figure.key, population.previous) })}
                          {delta ? ` · ${delta}` : ""}
                        </span>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="text-xs text-stone-600">{t("populationsHelp")}</p>
      </section>

      <section aria-labelledby="trend-heading" className="space-y-3">
        <h2 id="trend-heading" className="text-xl font-semibold">{t("trend", { grain: t(`grains.${overview.trend[0].period.grain}`) })}</h2>
        <div className="grid gap-4 lg:grid-cols-2">
          {CHARTED.map((figure) => (
            <Card key={figure}>
              <h3 className="font-semibold">{t(`figures.${figure}`)}</h3>
              <p className="mb-2 text-xs text-stone-600">{t(`help.${figure}`)}</p>
              <SegmentLineChart data={chartData(figure)} series={series} kind={FIGURES.find((item) => item.key === figure)!.kind} currency={program.currency} title={t(`figures.${figure}`)} />
            </Card>
          ))}
        </div>
        <p className="text-xs text-stone-600">{t("trendPartial")}</p>
        <details className="rounded-xl border border-stone-200 bg-white p-4">
          <summary className="cursor-pointer font-semibold">{t("trendTable")}</summary>
          <div className="overflow-x-auto" tabIndex={0} role="region" aria-label={t("trendTable")}>
            <table className="mt-2 w-full text-right text-sm tabular-nums">
              <thead>
                <tr>
                  <th scope="col" className="px-2 text-left">{t("periodColumn")}</th>
                  {CHART_SEGMENTS.flatMap((segment) =>
                    CHARTED.map((figure) => (
                      <th key={`${segment}-${figure}`} scope="col" className="px-2">{t(`figures.${figure}`)} ({segmentLabel(segment)})</th>
                    )),
                  )}
                </tr>
              </thead>
              <tbody>
                {overview.trend.map((point) => (
                  <tr key={point.period.start} className="border-t border-stone-200">
                    <th scope="row" className="px-2 text-left font-normal">{rangeLabel(point.period)}{point.isPartial ? ` (${t("partial")})` : ""}</th>
                    {CHART_SEGMENTS.flatMap((segment) =>
                      CHARTED.map((figure) => (
                        <td key={`${segment}-${figure}`} className="px-2">{point.figures[segment] ? value(figure, point.figures[segment]!) : t("noData")}</td>
                      )),
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      </section>

      {zones.length > 0 ? (
        <Card>
          <h2 className="mb-2 text-lg font-semibold">{t("settings")}</h2>
          <TimeZoneForm timeZone={clock.timeZone} zones={zones} />
        </Card>
      ) : null}
    </div>
  );
}
