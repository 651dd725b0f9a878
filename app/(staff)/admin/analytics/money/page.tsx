import { getFormatter, getTranslations } from "next-intl/server";
import { SegmentLineChart, type TrendRow } from "@/components/charts/segment-line-chart";
import { Card } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/current-user";
import Link from "next/link";
import { getRewardCosts } from "@/lib/db/analytics-customers-reads";
import { getAnalyticsFreshness, getPointsMoney, getProgramClock } from "@/lib/db/analytics-reads";
import { getProgram } from "@/lib/services/program";
import { AnalyticsHeader, CsvLink, DataSourceNote } from "../_components/analytics-nav";

export async function generateMetadata() {
  return { title: (await getTranslations("admin.analytics.money"))("title") };
}

const FLOWS = ["issued", "redeemed", "expired", "clawedBack"] as const;

export default async function MoneyPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePermission("viewAnalytics");
  const program = await getProgram();
  const clock = await getProgramClock(program.id);
  const allTime = (await searchParams).rewards === "all";
  const [t, format, money, freshness] = await Promise.all([
    getTranslations("admin.analytics.money"),
    getFormatter(),
    getPointsMoney({ programId: program.id, timeZone: clock.timeZone }),
    getAnalyticsFreshness(program.id),
  ]);
  const rewardCosts = await getRewardCosts({ programId: program.id, months: allTime ? null : 12, thisMonth: `${money.today.slice(0, 7)}-01` });
  const points = (value: number) => format.number(value, { maximumFractionDigits: 0 });
  const cash = (cents: number) => format.number(cents / 100, { style: "currency", currency: program.currency });
  const percent = (value: number) => format.number(value, { style: "percent", maximumFractionDigits: 1 });
  const monthLabel = (month: string) => format.dateTime(new Date(`${month}T12:00:00Z`), { timeZone: "UTC", month: "short", year: "numeric" });
  const chart: TrendRow[] = money.flowByMonth.map((row) => ({ label: `${monthLabel(row.month)}${row.isPartial ? "*" : ""}`, ...Object.fromEntries(FLOWS.map((flow) => [flow, row[flow]])) }));
  const cards = [
    { key: "available", value: points(money.available), sub: cash(money.available * (money.pointValueMillis / 10)) },
    { key: "pending", value: points(money.pending), sub: cash(money.pending * (money.pointValueMillis / 10)) },
    { key: "gross", value: cash(money.grossLiabilityCents), sub: t("grossSub", { points: points(money.outstanding) }) },
    { key: "breakage", value: money.breakage === null ? "—" : percent(money.breakage), sub: t("breakageSub", { points: points(money.outstanding - money.expectedRedeemed) }) },
    { key: "net", value: cash(money.netLiabilityCents), sub: t("netSub", { points: points(money.expectedRedeemed) }) },
    { key: "unswept", value: points(money.expiredUnswept), sub: t("unsweptSub") },
  ] as const;

  return (
    <div className="space-y-6">
      <AnalyticsHeader title={t("title")}>
        <p className="text-stone-700">{t("intro", { value: cash(money.pointValueMillis / 10) })}</p>
        <p className="text-sm text-stone-700" data-testid="freshness">
          {t("note", { timeZone: clock.timeZone })}{" "}
          {freshness.refreshedAt ? t("freshness", { at: format.dateTime(freshness.refreshedAt, { dateStyle: "medium", timeStyle: "medium", timeZone: clock.timeZone }) }) : null}
          <DataSourceNote source={freshness.source} lagSeconds={freshness.lagSeconds} />
        </p>
      </AnalyticsHeader>

      <section aria-labelledby="liability-heading" className="space-y-2">
        <h2 id="liability-heading" className="text-xl font-semibold">{t("liability")}</h2>
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {cards.map((card) => (
            <Card key={card.key} data-testid={`money-${card.key}`}>
              <h3 className="text-sm font-semibold text-stone-700">{t(`cards.${card.key}`)}</h3>
              <p className="mt-1 text-2xl font-bold tabular-nums text-brand-800">{card.value}</p>
              <p className="text-sm text-stone-700">{card.sub}</p>
              <p className="mt-2 text-xs text-stone-600">{t(`help.${card.key}`)}</p>
            </Card>
          ))}
        </div>
      </section>

      <section aria-labelledby="flows-heading" className="space-y-2">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="flows-heading" className="text-xl font-semibold">{t("flows")}</h2>
          <CsvLink href="/admin/analytics/export/points.csv?table=flows" />
        </div>
        <p className="text-sm text-stone-600">{t("flowsHelp")}</p>
        <Card>
          <SegmentLineChart data={chart} series={FLOWS.map((flow) => ({ key: flow, label: t(`flow.${flow}`) }))} kind="count" currency={program.currency} title={t("flows")} />
        </Card>
        <div className="overflow-x-auto rounded-xl border border-stone-200 bg-white" tabIndex={0} role="region" aria-label={t("flowsTable")}>
          <table className="w-full text-right text-sm tabular-nums">
            <thead className="bg-stone-50">
              <tr>
                <th scope="col" className="px-3 py-2 text-left">{t("month")}</th>
                {FLOWS.map((flow) => <th key={flow} scope="col" className="px-3 py-2">{t(`flow.${flow}`)}</th>)}
              </tr>
            </thead>
            <tbody>
              {money.flowByMonth.map((row) => (
                <tr key={row.month} className="border-t border-stone-200">
                  <th scope="row" className="px-3 py-1 text-left font-normal">{monthLabel(row.month)}{row.isPartial ? ` (${t("partial")})` : ""}</th>
                  {FLOWS.map((flow) => <td key={flow} className="px-3 py-1">{points(row[flow])}</td>)}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <div className="grid gap-4 lg:grid-cols-2">
        <section aria-labelledby="aged-heading" className="space-y-2">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <h2 id="aged-heading" className="text-xl font-semibold">{t("aged")}</h2>
            <CsvLink href="/admin/analytics/export/points.csv?table=ages" />
          </div>
          <p className="text-sm text-stone-600">{t("agedHelp")}</p>
          <table className="w-full rounded-xl border border-stone-200 bg-white text-right text-sm tabular-nums">
            <thead className="bg-stone-50"><tr><th scope="col" className="px-3 py-2 text-left">{t("age")}</th><th scope="col" className="px-3 py-2">{t("points")}</th><th scope="col" className="px-3 py-2">{t("value")}</th></tr></thead>
            <tbody>
              {money.ageBands.map((band) => (
                <tr key={band.key} className="border-t border-stone-200">
                  <th scope="row" className="px-3 py-1 text-left font-normal">{t(`ages.${band.key}`)}</th>
                  <td className="px-3 py-1">{points(band.points)}</td>
                  <td className="px-3 py-1">{cash(band.points * (money.pointValueMillis / 10))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section aria-labelledby="expiring-heading" className="space-y-2">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <h2 id="expiring-heading" className="text-xl font-semibold">{t("expiring")}</h2>
            <CsvLink href="/admin/analytics/export/points.csv?table=expiring" />
          </div>
          <p className="text-sm text-stone-600">{money.expiryMonths ? t("expiringHelp") : t("neverExpires")}</p>
          <table className="w-full rounded-xl border border-stone-200 bg-white text-right text-sm tabular-nums">
            <thead className="bg-stone-50"><tr><th scope="col" className="px-3 py-2 text-left">{t("month")}</th><th scope="col" className="px-3 py-2">{t("points")}</th><th scope="col" className="px-3 py-2">{t("value")}</th></tr></thead>
            <tbody>
              {money.expiringByMonth.map((row) => (
                <tr key={row.month} className="border-t border-stone-200">
                  <th scope="row" className="px-3 py-1 text-left font-normal">{monthLabel(row.month)}</th>
                  <td className="px-3 py-1">{points(row.points)}</td>
                  <td className="px-3 py-1">{cash(row.points * (money.pointValueMillis / 10))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>

      <section id="reward-cost" aria-labelledby="rewards-heading" className="space-y-2">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="rewards-heading" className="text-xl font-semibold">{t("rewardCost")}</h2>
          <CsvLink href={`/admin/analytics/export/rewards.csv?months=${allTime ? "all" : 12}`} />
        </div>
        <p className="text-sm text-stone-600">{t("rewardCostHelp")}</p>
        <nav aria-label={t("rewardRange")} className="flex flex-wrap gap-2">
          {([["12", t("last12")], ["all", t("allTime")]] as const).map(([value, label]) => {
            const isCurrent = (value === "all") === allTime;
            return (
              <Link key={value} href={`/admin/analytics/money?rewards=${value}#reward-cost`} aria-current={isCurrent ? "page" : undefined}
                className={`inline-flex min-h-11 items-center rounded-full border px-4 text-sm font-semibold ${isCurrent ? "border-brand-800 bg-brand-800 text-white" : "border-stone-300 bg-white text-stone-900 hover:bg-stone-100"}`}>
                {label}
              </Link>
            );
          })}
        </nav>
        {rewardCosts.rewards.length === 0 ? <Card><p className="text-stone-700">{t("noRedemptions")}</p></Card> : (
          <div className="overflow-x-auto rounded-xl border border-stone-200 bg-white" tabIndex={0} role="region" aria-label={t("rewardCostTable")}>
            <table className="w-full min-w-[44rem] text-right text-sm tabular-nums">
              <thead className="bg-stone-50">
                <tr>
                  <th scope="col" className="px-3 py-2 text-left">{t("reward")}</th>
                  <th scope="col" className="px-3 py-2">{t("redemptions")}</th>
                  <th scope="col" className="px-3 py-2">{t("cancelled")}</th>
                  <th scope="col" className="px-3 py-2">{t("used")}</th>
                  <th scope="col" className="px-3 py-2">{t("pointsSpent")}</th>
                  <th scope="col" className="px-3 py-2">{t("atPointValue")}</th>
                  <th scope="col" className="px-3 py-2">{t("faceValue")}</th>
                </tr>
              </thead>
              <tbody>
                {rewardCosts.rewards.map((row) => (
                  <tr key={row.rewardId} className="border-t border-stone-200">
                    <th scope="row" className="px-3 py-1 text-left font-normal">{row.name}</th>
                    <td className="px-3 py-1">{points(row.redemptions)}</td>
                    <td className="px-3 py-1">{points(row.cancelled)}</td>
                    <td className="px-3 py-1">{points(row.used)}</td>
                    <td className="px-3 py-1">{points(row.points)}</td>
                    <td className="px-3 py-1">{cash(row.pointValueCents)}</td>
                    <td className="px-3 py-1">{row.faceValueCents === null ? "—" : cash(row.faceValueCents)}</td>
                  </tr>
                ))}
                <tr className="border-t-2 border-stone-300 font-semibold">
                  <th scope="row" className="px-3 py-1 text-left">{t("total")}</th>
                  <td className="px-3 py-1">{points(rewardCosts.total.redemptions)}</td>
                  <td className="px-3 py-1">{points(rewardCosts.total.cancelled)}</td>
                  <td className="px-3 py-1">{points(rewardCosts.total.used)}</td>
                  <td className="px-3 py-1">{points(rewardCosts.total.points)}</td>
                  <td className="px-3 py-1">{cash(rewardCosts.total.pointValueCents)}</td>
                  <td className="px-3 py-1" />
                </tr>
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="curves-heading" className="space-y-2">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="curves-heading" className="text-xl font-semibold">{t("curves")}</h2>
          <CsvLink href="/admin/analytics/export/points.csv?table=curves" />
        </div>
        <p className="text-sm text-stone-600">{t("curvesHelp")}</p>
        <div className="overflow-x-auto rounded-xl border border-stone-200 bg-white" tabIndex={0} role="region" aria-label={t("curvesTable")}>
          <table className="w-full min-w-[56rem] text-right text-sm tabular-nums">
            <thead className="bg-stone-50">
              <tr>
                <th scope="col" className="px-2 py-2 text-left">{t("earnedIn")}</th>
                <th scope="col" className="px-2 py-2">{t("earned")}</th>
                {Array.from({ length: 13 }, (_, age) => <th key={age} scope="col" className="px-2 py-2">{t("ageN", { age })}</th>)}
              </tr>
            </thead>
            <tbody>
              {money.curves.map((curve) => (
                <tr key={curve.earnMonth} className="border-t border-stone-200">
                  <th scope="row" className="px-2 py-1 text-left font-normal">{monthLabel(curve.earnMonth)}</th>
                  <td className="px-2 py-1">{points(curve.earned)}</td>
                  {curve.cells.map((cell, age) => <td key={age} className="px-2 py-1">{cell ? `${percent(cell.share)}${cell.isPartial ? "*" : ""}` : "·"}</td>)}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="text-xs text-stone-600">{t("curvesNote")}</p>
      </section>
    </div>
  );
}
