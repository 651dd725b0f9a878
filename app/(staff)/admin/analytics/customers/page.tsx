import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { CsvDownload } from "@/components/analytics/csv-download";
import { Card } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/current-user";
import { getBestCustomers, getCellCustomers, getTopCustomers, isRfPopulation, RF_POPULATIONS, type RankedCustomer, type RfPopulation } from "@/lib/db/analytics-customers-reads";
import { getAnalyticsFreshness, getProgramClock } from "@/lib/db/analytics-reads";
import { FREQUENCY_ORDERS, isScore, OTHER_CATEGORIES, RECENCY_DAYS, SCORES, type RfSegment, type Score } from "@/lib/domain/best-customers";
import { getProgram } from "@/lib/services/program";
import { AnalyticsHeader, CsvLink, DataSourceNote } from "../_components/analytics-nav";

export async function generateMetadata() {
  return { title: (await getTranslations("admin.analytics.customers"))("title") };
}

const PAGE_SIZE = 25;

/** One colour per named segment (the name is always written in the cell too). */
const SEGMENT_CLASS: Record<RfSegment, string> = {
  champions: "bg-brand-800 text-white",
  loyal: "bg-brand-600 text-white",
  promising: "bg-orange-200 text-stone-900",
  new: "bg-amber-100 text-stone-900",
  needAttention: "bg-yellow-100 text-stone-900",
  aboutToSleep: "bg-stone-200 text-stone-900",
  atRisk: "bg-red-100 text-stone-900",
  cantLose: "bg-red-700 text-white",
  hibernating: "bg-stone-100 text-stone-900",
};

export default async function BestCustomersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePermission("viewAnalytics");
  const program = await getProgram();
  const [clock, raw, t, format] = await Promise.all([getProgramClock(program.id), searchParams, getTranslations("admin.analytics.customers"), getFormatter()]);
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? "";
  const population: RfPopulation = isRfPopulation(first(raw.population)) ? (first(raw.population) as RfPopulation) : "all";
  const r = Number(first(raw.r));
  const f = Number(first(raw.f));
  const selected = isScore(r) && isScore(f) ? { recency: r as Score, frequency: f as Score } : null;
  const page = Math.max(1, Math.min(1_000, Math.floor(Number(first(raw.page)) || 1)));
  const [best, top, freshness, list] = await Promise.all([
    getBestCustomers(program.id, population),
    getTopCustomers(program.id, population, 10),
    getAnalyticsFreshness(program.id),
    selected ? getCellCustomers({ programId: program.id, population, ...selected, limit: PAGE_SIZE + 1, offset: (page - 1) * PAGE_SIZE }) : null,
  ]);

  const money = (cents: number | null) => (cents === null ? "—" : format.number(cents / 100, { style: "currency", currency: program.currency }));
  const count = (value: number) => format.number(value);
  const percent = (value: number) => format.number(value, { style: "percent", maximumFractionDigits: 1 });
  const day = (value: string | null) => (value ? format.dateTime(new Date(`${value}T12:00:00Z`), { timeZone: "UTC", dateStyle: "medium" }) : "—");
  const recencyLabel = (score: Score) => {
    const { min, max } = RECENCY_DAYS[score];
    return max === null ? t("recencyOver", { days: min - 1 }) : t("recencyRange", { min, max });
  };
  const frequencyLabel = (score: Score) => {
    const { min, max } = FREQUENCY_ORDERS[score];
    return max === null ? t("frequencyOver", { orders: min }) : min === max ? t("frequencyOne", { orders: min }) : t("frequencyRange", { min, max });
  };
  const href = (params: Record<string, string | number>) => `/admin/analytics/customers?${new URLSearchParams(Object.entries({ population, ...params }).map(([k, v]) => [k, String(v)])).toString()}`;
  const selectedCell = selected ? best.cells.find((cell) => cell.recency === selected.recency && cell.frequency === selected.frequency)! : null;
  const listRows = list?.customers.slice(0, PAGE_SIZE) ?? [];
  const hasNext = (list?.customers.length ?? 0) > PAGE_SIZE;
  const categoryLabel = (category: string) => (category === OTHER_CATEGORIES ? t("otherCategories") : category === "" ? t("uncategorised") : category);

  const customerTable = (rows: RankedCustomer[], label: string, start = 1) => (
    <div className="overflow-x-auto rounded-xl border border-stone-200 bg-white" tabIndex={0} role="region" aria-label={label}>
      <table className="w-full text-right text-sm tabular-nums">
        <thead className="bg-stone-50">
          <tr>
            <th scope="col" className="px-3 py-2 text-left">#</th>
            <th scope="col" className="px-3 py-2 text-left">{t("customer")}</th>
            <th scope="col" className="px-3 py-2">{t("orders")}</th>
            <th scope="col" className="px-3 py-2">{t("netRevenue")}</th>
            <th scope="col" className="px-3 py-2">{t("lastOrder")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={row.customerId} className="border-t border-stone-200">
              <td className="px-3 py-1 text-left">{start + index}</td>
              <th scope="row" className="px-3 py-1 text-left font-normal">
                {row.isMember ? <Link className="font-semibold text-brand-800 underline" href={`/admin/members/${row.customerId}`}>{row.name || row.email}</Link> : <span>{row.name || row.email}</span>}
                <span className="block text-xs text-stone-600">{row.externalId} · {row.isMember ? t("member") : t("guest")}</span>
              </th>
              <td className="px-3 py-1">{count(row.orders)}</td>
              <td className="px-3 py-1">{money(row.netCents)}</td>
              <td className="px-3 py-1">{day(row.lastDay)}<span className="block text-xs text-stone-600">{row.daysSinceLastOrder === null ? "" : t("daysAgo", { days: row.daysSinceLastOrder })}</span></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );

  return (
    <div className="space-y-6">
      <AnalyticsHeader title={t("title")}>
        <p className="text-stone-700">{t("intro")}</p>
        <p className="text-sm text-stone-700" data-testid="freshness">
          {best.asOf ? t("asOf", { day: day(best.asOf), timeZone: clock.timeZone }) : t("notBuilt")}{" "}
          {freshness.refreshedAt ? t("freshness", { at: format.dateTime(freshness.refreshedAt, { dateStyle: "medium", timeStyle: "medium", timeZone: clock.timeZone }) }) : null}
          <DataSourceNote source={freshness.source} lagSeconds={freshness.lagSeconds} />
        </p>
      </AnalyticsHeader>

      <nav aria-label={t("populationLabel")} className="flex flex-wrap gap-2">
        {RF_POPULATIONS.map((value) => (
          <Link key={value} href={`/admin/analytics/customers?population=${value}`} aria-current={value === population ? "page" : undefined}
            className={`inline-flex min-h-11 items-center rounded-full border px-4 text-sm font-semibold ${value === population ? "border-brand-800 bg-brand-800 text-white" : "border-stone-300 bg-white text-stone-900 hover:bg-stone-100"}`}>
            {t(`populations.${value}`)}
          </Link>
        ))}
      </nav>

      <section aria-labelledby="grid-heading" className="space-y-2">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="grid-heading" className="text-xl font-semibold">{t("grid")}</h2>
          <CsvLink href={`/admin/analytics/export/customers.csv?population=${population}`} />
        </div>
        <p className="text-sm text-stone-600">{t("gridHelp")}</p>
        <div className="overflow-x-auto rounded-xl border border-stone-200 bg-white" tabIndex={0} role="region" aria-label={t("gridTable")}>
          <table className="w-full min-w-[44rem] border-separate border-spacing-1 text-sm tabular-nums">
            <caption className="sr-only">{t("gridCaption")}</caption>
            <thead>
              <tr>
                <th scope="col" className="px-2 py-1 text-left text-xs text-stone-700">{t("recencyAxis")} \ {t("frequencyAxis")}</th>
                {[1, 2, 3, 4, 5].map((score) => <th key={score} scope="col" className="px-2 py-1 text-xs text-stone-700">{frequencyLabel(score as Score)}</th>)}
              </tr>
            </thead>
            <tbody>
              {SCORES.map((recency) => (
                <tr key={recency}>
                  <th scope="row" className="px-2 py-1 text-left text-xs font-semibold text-stone-700">{recencyLabel(recency)}</th>
                  {best.cells.filter((cell) => cell.recency === recency).map((cell) => {
                    const isSelected = selected?.recency === cell.recency && selected?.frequency === cell.frequency;
                    return (
                      <td key={cell.frequency} className="p-0 align-top">
                        <Link
                          href={`${href({ r: cell.recency, f: cell.frequency })}#cell-customers`}
                          aria-current={isSelected ? "true" : undefined}
                          data-testid={`cell-${cell.recency}-${cell.frequency}`}
                          className={`block min-h-20 rounded-lg p-2 text-left ${SEGMENT_CLASS[cell.segment]} ${isSelected ? "outline outline-4 outline-offset-1 outline-stone-900" : ""}`}
                        >
                          <span className="block text-xs font-semibold">{t(`segments.${cell.segment}`)}</span>
                          <span className="block text-lg font-bold">{count(cell.customers)}</span>
                          <span className="block text-xs">{t("cellShare", { share: percent(cell.customerShare), revenue: percent(cell.revenueShare) })}</span>
                          <span className="block text-xs">{t("cellPerCustomer", { value: money(cell.revenuePerCustomerCents) })}</span>
                        </Link>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="text-sm text-stone-700" data-testid="without-order">{t("withoutOrder", { count: best.withoutOrder })}</p>
      </section>

      {selected && selectedCell ? (
        <section id="cell-customers" aria-labelledby="cell-heading" className="space-y-2">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <h2 id="cell-heading" className="text-xl font-semibold">
              {t("cellTitle", { segment: t(`segments.${selectedCell.segment}`), recency: recencyLabel(selected.recency), frequency: frequencyLabel(selected.frequency) })}
            </h2>
            {selectedCell.customers > 0 ? (
              <CsvDownload href={`/admin/analytics/export/cell.csv?population=${population}&recency=${selected.recency}&frequency=${selected.frequency}`} label={t("downloadCell", { count: selectedCell.customers })} />
            ) : null}
          </div>
          <p className="text-sm text-stone-700">{t("cellSummary", { customers: count(selectedCell.customers), revenue: money(selectedCell.netCents), perCustomer: money(selectedCell.revenuePerCustomerCents) })}</p>
          {listRows.length === 0 ? <p className="text-stone-700">{t("cellEmpty")}</p> : customerTable(listRows, t("cellTable"), (page - 1) * PAGE_SIZE + 1)}
          <nav aria-label={t("pages")} className="flex gap-3">
            {page > 1 ? <Link className="inline-flex min-h-11 items-center font-semibold text-brand-800 underline" href={`${href({ r: selected.recency, f: selected.frequency, page: page - 1 })}#cell-customers`}>{t("previousPage")}</Link> : null}
            {hasNext ? <Link className="inline-flex min-h-11 items-center font-semibold text-brand-800 underline" href={`${href({ r: selected.recency, f: selected.frequency, page: page + 1 })}#cell-customers`}>{t("nextPage")}</Link> : null}
          </nav>
        </section>
      ) : null}

      <section aria-labelledby="segments-heading" className="space-y-2">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="segments-heading" className="text-xl font-semibold">{t("segmentsTitle")}</h2>
          <CsvLink href={`/admin/analytics/export/customers.csv?population=${population}&table=segments`} />
        </div>
        <p className="text-sm text-stone-600">{t("segmentsHelp")}</p>
        <div className="overflow-x-auto rounded-xl border border-stone-200 bg-white" tabIndex={0} role="region" aria-label={t("segmentsTable")}>
          <table className="w-full text-right text-sm tabular-nums">
            <thead className="bg-stone-50">
              <tr>
                <th scope="col" className="px-3 py-2 text-left">{t("segment")}</th>
                <th scope="col" className="px-3 py-2">{t("customers")}</th>
                <th scope="col" className="px-3 py-2">{t("shareOfCustomers")}</th>
                <th scope="col" className="px-3 py-2">{t("netRevenue")}</th>
                <th scope="col" className="px-3 py-2">{t("shareOfRevenue")}</th>
                <th scope="col" className="px-3 py-2">{t("perCustomer")}</th>
                <th scope="col" className="px-3 py-2">{t("ordersPerCustomer")}</th>
              </tr>
            </thead>
            <tbody>
              {best.segments.map((segment) => (
                <tr key={segment.segment} className="border-t border-stone-200" data-testid={`segment-${segment.segment}`}>
                  <th scope="row" className="px-3 py-1 text-left font-normal">
                    <span className={`mr-2 inline-block h-3 w-3 rounded-sm align-middle ${SEGMENT_CLASS[segment.segment].split(" ")[0]}`} aria-hidden="true" />
                    {t(`segments.${segment.segment}`)}
                    <span className="block text-xs text-stone-600">{t(`segmentHelp.${segment.segment}`)}</span>
                  </th>
                  <td className="px-3 py-1">{count(segment.customers)}</td>
                  <td className="px-3 py-1">{percent(segment.customerShare)}</td>
                  <td className="px-3 py-1">{money(segment.netCents)}</td>
                  <td className="px-3 py-1">{percent(segment.revenueShare)}</td>
                  <td className="px-3 py-1">{money(segment.revenuePerCustomerCents)}</td>
                  <td className="px-3 py-1">{segment.ordersPerCustomer === null ? "—" : format.number(segment.ordersPerCustomer, { maximumFractionDigits: 1 })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="top-heading" className="space-y-2">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="top-heading" className="text-xl font-semibold">{t("topTitle")}</h2>
          <CsvLink href={`/admin/analytics/export/customers.csv?population=${population}&table=top`} />
        </div>
        <p className="text-sm text-stone-600">{t("topHelp")}</p>
        {top.length === 0 ? <Card><p className="text-stone-700">{t("noCustomers")}</p></Card> : customerTable(top, t("topTable"))}
      </section>

      <section aria-labelledby="categories-heading" className="space-y-2">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="categories-heading" className="text-xl font-semibold">{t("categoriesTitle")}</h2>
          <CsvLink href={`/admin/analytics/export/categories.csv?population=${population}`} />
        </div>
        <p className="text-sm text-stone-600">{t("categoriesHelp")}</p>
        {best.mix.categories.length === 0 ? <Card><p className="text-stone-700">{t("noCategories")}</p></Card> : (
          <div className="overflow-x-auto rounded-xl border border-stone-200 bg-white" tabIndex={0} role="region" aria-label={t("categoriesTable")}>
            <table className="w-full min-w-[56rem] text-right text-sm tabular-nums">
              <thead className="bg-stone-50">
                <tr>
                  <th scope="col" className="px-2 py-2 text-left">{t("category")}</th>
                  <th scope="col" className="px-2 py-2">{t("wholeShop")}</th>
                  {best.mix.segments.map((segment) => <th key={segment.segment} scope="col" className="px-2 py-2">{t(`segments.${segment.segment}`)}</th>)}
                </tr>
              </thead>
              <tbody>
                {best.mix.categories.map((category, index) => (
                  <tr key={category} className="border-t border-stone-200">
                    <th scope="row" className="px-2 py-1 text-left font-normal">{categoryLabel(category)}</th>
                    <td className="px-2 py-1 font-semibold">{percent(best.mix.shop[index].share)}</td>
                    {best.mix.segments.map((segment) => {
                      const share = segment.shares[index];
                      const gap = share.share - best.mix.shop[index].share;
                      const hasSpend = segment.shares.some((row) => row.netCents > 0);
                      return (
                        <td key={segment.segment} className="px-2 py-1">
                          {hasSpend ? percent(share.share) : "—"}
                          {hasSpend && Math.abs(gap) >= 0.05 ? <span className="block text-xs text-stone-600">{gap > 0 ? t("above", { points: format.number(gap * 100, { maximumFractionDigits: 0 }) }) : t("below", { points: format.number(-gap * 100, { maximumFractionDigits: 0 }) })}</span> : null}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
