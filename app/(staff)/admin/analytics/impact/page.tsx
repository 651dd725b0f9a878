import { getFormatter, getTranslations } from "next-intl/server";
import { Badge, Card } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/current-user";
import { getPointsPerMonth, getProgramClock } from "@/lib/db/analytics-reads";
import { programReturn } from "@/lib/domain/impact";
import { getStoredProgramImpact, refreshProgramImpact, type ImpactMetric } from "@/lib/services/analytics-impact";
import { getProgram } from "@/lib/services/program";
import { AnalyticsHeader, CsvLink } from "../_components/analytics-nav";
import { RefreshImpactButton } from "../_components/refresh-impact-button";

export async function generateMetadata() {
  return { title: (await getTranslations("admin.analytics.impact"))("title") };
}

export default async function ImpactPage() {
  await requirePermission("viewAnalytics");
  const program = await getProgram();
  const [clock, t, format] = await Promise.all([getProgramClock(program.id), getTranslations("admin.analytics.impact"), getFormatter()]);
  // computed daily by the analytics-impact job; the first visit computes it once
  const impact = (await getStoredProgramImpact(program.id)) ?? (await refreshProgramImpact({ programId: program.id }));
  const perMonth = await getPointsPerMonth({ programId: program.id, timeZone: clock.timeZone });
  const revenueDid = impact.revenue.did;
  const returns = revenueDid
    ? programReturn({ effect: revenueDid, members: perMonth.members, issuedPerMonth: perMonth.issuedPerMonth, redeemedPerMonth: perMonth.redeemedPerMonth, pointValueMillis: program.pointValueMillis })
    : null;
  const money = (cents: number) => format.number(cents / 100, { style: "currency", currency: program.currency, signDisplay: "auto" });
  const signedMoney = (cents: number) => format.number(cents / 100, { style: "currency", currency: program.currency, signDisplay: "exceptZero" });
  const count = (value: number) => format.number(value, { maximumFractionDigits: 2 });
  const signedCount = (value: number) => format.number(value, { maximumFractionDigits: 2, signDisplay: "exceptZero" });
  const blocks: { key: "orders" | "revenue"; metric: ImpactMetric; plain: (value: number) => string; signed: (value: number) => string }[] = [
    { key: "orders", metric: impact.orders, plain: count, signed: signedCount },
    { key: "revenue", metric: impact.revenue, plain: money, signed: signedMoney },
  ];

  return (
    <div className="space-y-6">
      <AnalyticsHeader title={t("title")}>
        <p className="text-stone-700">{t("intro")}</p>
      </AnalyticsHeader>
      <div className="flex flex-wrap items-end justify-between gap-3">
        <p className="text-sm text-stone-700" data-testid="impact-freshness">
          {t("computedAt", { at: format.dateTime(new Date(impact.computedAt), { dateStyle: "medium", timeStyle: "short", timeZone: clock.timeZone }) })}{" "}
          {t("coverage", { members: impact.members, matched: impact.orders.did?.matchedTreated ?? 0, nonMembers: impact.orders.did?.matchedControls ?? 0 })}
        </p>
        <div className="flex flex-wrap items-start gap-3">
          <CsvLink href="/admin/analytics/export/impact.csv" />
          <RefreshImpactButton />
        </div>
      </div>
      {impact.orders.did === null ? <Card><p>{t("notEnough")}</p></Card> : null}
      <div className="grid gap-4 lg:grid-cols-2">
        {blocks.map(({ key, metric, plain, signed }) => {
          const did = metric.did;
          const isClear = did !== null && (did.low > 0 || did.high < 0);
          return (
            <Card key={key} aria-labelledby={`impact-${key}`} data-testid={`impact-${key}`}>
              <h2 id={`impact-${key}`} className="text-lg font-semibold">{t(`metrics.${key}`)}</h2>
              <dl className="mt-3 grid grid-cols-[1fr_auto] gap-x-4 gap-y-2 text-sm tabular-nums">
                <dt>{t("membersAfter")}</dt>
                <dd className="text-right font-semibold">{metric.naive.members === null ? "—" : plain(metric.naive.members)}</dd>
                <dt>{t("nonMembersAfter")}</dt>
                <dd className="text-right font-semibold">{metric.naive.nonMembers === null ? "—" : plain(metric.naive.nonMembers)}</dd>
                <dt className="font-semibold">{t("naiveGap")}</dt>
                <dd className="text-right font-semibold" data-testid={`naive-${key}`}>{metric.naive.gap === null ? "—" : signed(metric.naive.gap)}</dd>
                <dt className="font-semibold text-brand-800">{t("effect")}</dt>
                <dd className="text-right text-lg font-bold text-brand-800" data-testid={`effect-${key}`}>{did ? signed(did.estimate) : "—"}</dd>
                <dt>{t("interval")}</dt>
                <dd className="text-right" data-testid={`interval-${key}`}>{did ? t("range", { low: signed(did.low), high: signed(did.high) }) : "—"}</dd>
                <dt>{t("selection")}</dt>
                <dd className="text-right">{metric.selection === null ? "—" : signed(metric.selection)}</dd>
                <dt>{t("before")}</dt>
                <dd className="text-right">
                  {metric.before.members === null || metric.before.nonMembers === null ? "—" : t("beforeValues", { members: plain(metric.before.members), nonMembers: plain(metric.before.nonMembers) })}
                </dd>
              </dl>
              <p className="mt-3 text-sm">
                {did === null ? null : isClear ? <Badge tone={did.estimate > 0 ? "positive" : "danger"}>{t("clear")}</Badge> : <Badge>{t("unclear")}</Badge>}{" "}
                {did === null ? null : isClear ? t(did.estimate > 0 ? `reading.up.${key}` : `reading.down.${key}`, { value: plain(Math.abs(did.estimate)), low: plain(Math.abs(did.estimate > 0 ? did.low : did.high)), high: plain(Math.abs(did.estimate > 0 ? did.high : did.low)) }) : t("readingUnclear")}
              </p>
            </Card>
          );
        })}
      </div>
      {returns ? (
        <Card aria-labelledby="return-heading" data-testid="impact-return">
          <h2 id="return-heading" className="text-lg font-semibold">{t("returnTitle")}</h2>
          <dl className="mt-3 grid grid-cols-[1fr_auto] gap-x-4 gap-y-2 text-sm tabular-nums">
            <dt>{t("incremental")}</dt>
            <dd className="text-right font-semibold">{signedMoney(returns.incrementalCents)}</dd>
            <dt>{t("interval")}</dt>
            <dd className="text-right">{t("range", { low: signedMoney(returns.incrementalLowCents), high: signedMoney(returns.incrementalHighCents) })}</dd>
            <dt>{t("issuedCost", { months: perMonth.months })}</dt>
            <dd className="text-right font-semibold">{money(returns.issuedCostCents)}</dd>
            <dt>{t("redeemedCost", { months: perMonth.months })}</dt>
            <dd className="text-right">{money(returns.redeemedCostCents)}</dd>
            <dt>{t("perCost")}</dt>
            <dd className="text-right font-semibold" data-testid="return-ratio">{returns.revenuePerCostUnit === null ? "—" : money(returns.revenuePerCostUnit * 100)}</dd>
          </dl>
          <p className="mt-2 text-xs text-stone-600">{t("returnHelp")}</p>
        </Card>
      ) : null}
      <Card>
        <h2 className="text-lg font-semibold">{t("howTitle")}</h2>
        <p className="mt-1 text-sm text-stone-700">{t("how", { pre: impact.window.preMonths, post: impact.window.postMonths })}</p>
        <p className="mt-2 text-sm text-stone-700">{t("limits")}</p>
      </Card>
    </div>
  );
}
