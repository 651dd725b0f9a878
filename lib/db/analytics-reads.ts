import "server-only";
import { analyticsDb, analyticsSource, getReplicaLagSeconds, type AnalyticsSource } from "@/lib/db/analytics-db";
import { prisma } from "@/lib/db/prisma";
import { emptyCounts, overviewFigures, type OverviewFigures, type PeriodCounts, type Segment } from "@/lib/domain/analytics";
import { isPartialPeriod, localDay, previousPeriod, rangeBlocks, trendPeriods, type Period } from "@/lib/domain/analytics-periods";
import { addMonthsToMonth, averageLtvCurve, cohortMatrix, monthsBetween } from "@/lib/domain/cohorts";
import { liabilityEstimate, redemptionCurves } from "@/lib/domain/points-money";

// Reads of the analytics store (lib/services/analytics-rollups.ts). A preset period and a trend
// read period rows by key: cost grows with the number of periods and populations, never with
// orders. A custom range (or a trailing window whose rows are not anchored on today yet) is
// counted from the per-order facts inside the range only.

export type PopulationFigures = { segment: Segment; current: OverviewFigures; previous: OverviewFigures };
export type TrendPoint = { period: Period; isPartial: boolean; figures: Partial<Record<Segment, OverviewFigures>> };

type CountRow = { segment: string; orders: number; netCents: bigint | number; customers: number; repeatCustomers: number; restated: boolean };

function toCounts(row: CountRow | undefined): PeriodCounts {
  return row ? { orders: row.orders, netCents: Number(row.netCents), customers: row.customers, repeatCustomers: row.repeatCustomers } : emptyCounts;
}

/** Period rows of one grain at the given starts (a few rows per start: one per population). */
async function periodRows(programId: number, grain: string, starts: string[]) {
  if (starts.length === 0) return [];
  return analyticsDb.$queryRaw<(CountRow & { start: string })[]>`
    SELECT "periodStart"::text AS "start", "segment", "orders", "netCents", "customers", "repeatCustomers", ("restatedAt" IS NOT NULL) AS "restated"
    FROM "AnalyticsPeriod" WHERE "programId" = ${programId} AND "grain" = ${grain} AND "periodStart" = ANY(${starts}::date[])`;
}

/**
 * Counts of every population over any range [start, end) (custom ranges, and trailing windows
 * not anchored on today yet), read without touching the facts: orders and revenue are the sums of
 * the calendar years, months and days that tile the range; active and repeat customers come from
 * the gap cells (migration 20261130180000_analytics_ranges): a customer has no order in the range
 * when one of their gaps between order days spans it, exactly one when one skip spans it less
 * the gaps' weights. Cost: about a hundred period rows and a few thousand cells, at any number of
 * orders.
 */
export async function rangeCounts(programId: number, period: Period): Promise<CountRow[]> {
  const blocks = rangeBlocks(period.start, period.end);
  const starts = (grain: string) => blocks.filter((block) => block.grain === grain).map((block) => block.start);
  const a = period.start;
  const b = period.end;
  const monthA = `${a.slice(0, 7)}-01`;
  const monthB = `${b.slice(0, 7)}-01`;
  const afterB = addMonthsToMonth(monthB, 1);
  const [sums, cells] = await Promise.all([
    analyticsDb.$queryRaw<{ segment: string; orders: number; netCents: bigint }[]>`
      SELECT "segment", SUM("orders")::int AS "orders", SUM("netCents")::bigint AS "netCents" FROM "AnalyticsPeriod"
      WHERE "programId" = ${programId} AND (
        ("grain" = 'day' AND "periodStart" = ANY(${starts("day")}::date[])) OR
        ("grain" = 'month' AND "periodStart" = ANY(${starts("month")}::date[])) OR
        ("grain" = 'year' AND "periodStart" = ANY(${starts("year")}::date[])))
      GROUP BY "segment"`,
    analyticsDb.$queryRaw<{ segment: string; kind: string; gaps: number; weight: number }[]>`
      SELECT segment, kind, SUM(gaps)::int AS "gaps", SUM(weight)::int AS "weight" FROM (
        SELECT "segment", "kind", "gaps", "weight" FROM "AnalyticsGapCell"
        WHERE "programId" = ${programId} AND "level" = 'mm' AND "p" < ${monthA}::date AND "n" > ${monthB}::date
        UNION ALL
        SELECT "segment", "kind", "gaps", "weight" FROM "AnalyticsGapCell"
        WHERE "programId" = ${programId} AND "level" = 'md' AND "n" >= ${b}::date AND "n" < ${afterB}::date AND "p" < ${monthA}::date
        UNION ALL
        SELECT "segment", "kind", "gaps", "weight" FROM "AnalyticsGapCell"
        WHERE "programId" = ${programId} AND "level" = 'dm' AND "p" >= ${monthA}::date AND "p" < ${a}::date AND "n" > ${monthB}::date
        UNION ALL
        SELECT c."segment", c."kind", c."gaps", c."weight"
        FROM generate_series(${monthA}::date, ${a}::date - 1, interval '1 day') AS d(day)
        CROSS JOIN LATERAL (
          SELECT "segment", "kind", "gaps", "weight" FROM "AnalyticsGapCell"
          WHERE "programId" = ${programId} AND "level" = 'dd' AND "p" = d.day::date AND "n" >= ${b}::date AND "n" < ${afterB}::date
          OFFSET 0 -- one index range per day of the edge (not a join over every cell of the other edge)
        ) c
      ) spanning GROUP BY segment, kind
      UNION ALL
      SELECT "segment", 'customers', SUM("gaps")::int, 0 FROM "AnalyticsGapCell"
      WHERE "programId" = ${programId} AND "level" = 'mm' AND "p" = '-infinity'::date AND "kind" = 'gap' GROUP BY "segment"`,
  ]);
  const cell = (segment: string, kind: string) => cells.find((row) => row.segment === segment && row.kind === kind);
  const segments = new Set([...sums.map((row) => row.segment), ...cells.map((row) => row.segment)]);
  const rows: CountRow[] = [];
  for (const segment of segments) {
    const customers = (cell(segment, "customers")?.gaps ?? 0) - (cell(segment, "gap")?.gaps ?? 0);
    const exactlyOne = (cell(segment, "skip")?.gaps ?? 0) - (cell(segment, "gap")?.weight ?? 0);
    const sum = sums.find((row) => row.segment === segment);
    if (!sum && customers === 0) continue;
    rows.push({ segment, orders: sum?.orders ?? 0, netCents: sum?.netCents ?? 0n, customers, repeatCustomers: customers - exactlyOne, restated: false });
  }
  return rows;
}

/** Whether the store keeps rows for this exact period (calendar periods always; trailing windows anchored on today). */
function isStored(period: Period, anchor: string | null, today: string) {
  if (period.grain === "custom") return false;
  if (period.grain.startsWith("t")) return anchor === today;
  return true;
}

async function countsFor(programId: number, period: Period, stored: boolean): Promise<CountRow[]> {
  if (!stored) return rangeCounts(programId, period);
  return periodRows(programId, period.grain, [period.start]);
}

/** The program's reporting time zone and currency (from the primary: a zone just saved shows at once). */
export async function getProgramClock(programId: number) {
  return prisma.program.findUniqueOrThrow({ where: { id: programId }, select: { timeZone: true, currency: true } });
}

export type AnalyticsFreshness = {
  refreshedAt: Date | null;
  rebuiltAt: Date | null;
  pendingChanges: number;
  timeZone: string;
  /** where the figures were read: the primary, or the streaming read replica (DATABASE_REPLICA_URL) */
  source: AnalyticsSource;
  /** seconds the replica is behind the primary (0 on the primary) */
  lagSeconds: number;
};

/** Where the analytics reads come from and how far behind the primary they are. */
export async function getAnalyticsSource(): Promise<{ source: AnalyticsSource; lagSeconds: number }> {
  return { source: analyticsSource, lagSeconds: analyticsSource === "replica" ? await getReplicaLagSeconds() : 0 };
}

/** When the rollups were last brought up to date, how many changes wait to be folded, and the replica's lag. */
export async function getAnalyticsFreshness(programId: number): Promise<AnalyticsFreshness & { anchor: string | null }> {
  const [state, [pending], origin] = await Promise.all([
    analyticsDb.analyticsState.findUnique({ where: { programId }, select: { refreshedAt: true, rebuiltAt: true, trailingAnchor: true, timeZone: true } }),
    // counting the queue is cheap: it holds at most a minute of changes
    analyticsDb.$queryRaw<{ count: number }[]>`SELECT COUNT(*)::int AS "count" FROM "AnalyticsChange" WHERE "programId" = ${programId}`,
    getAnalyticsSource(),
  ]);
  return {
    ...origin,
    refreshedAt: state?.refreshedAt ?? null,
    rebuiltAt: state?.rebuiltAt ?? null,
    pendingChanges: pending.count,
    timeZone: state?.timeZone ?? "UTC",
    anchor: state?.trailingAnchor ? state.trailingAnchor.toISOString().slice(0, 10) : null,
  };
}

/** Population keys in display order: fixed ones, then tiers by rank, then members without a tier. */
function inDisplayOrder(found: Set<string>, tierIds: number[]): Segment[] {
  const ordered: Segment[] = ["all", "members", "nonMembers", "redeemers", "nonRedeemers"];
  for (const id of tierIds) if (found.has(`tier:${id}`)) ordered.push(`tier:${id}`);
  for (const key of found) if (key.startsWith("tier:") && !ordered.includes(key as Segment)) ordered.push(key as Segment);
  return ordered;
}

/**
 * The overview for a period: every population's figures in the period and the previous one,
 * and a trend of calendar periods (docs/analytics.md "Overview figures").
 */
export async function getAnalyticsOverview({ programId, timeZone, period, now = new Date() }: { programId: number; timeZone: string; period: Period; now?: Date }) {
  const today = localDay(now, timeZone);
  const previous = previousPeriod(period);
  const freshness = await getAnalyticsFreshness(programId);
  const stored = isStored(period, freshness.anchor, today);
  const trend = trendPeriods(period);
  const [tiers, currentRows, previousRows, trendRows] = await Promise.all([
    analyticsDb.tier.findMany({ where: { programId }, orderBy: { rank: "asc" }, select: { id: true, name: true } }),
    countsFor(programId, period, stored),
    countsFor(programId, previous, stored),
    periodRows(programId, trend[0].grain, trend.map((point) => point.start)),
  ]);
  const found = new Set<string>([...currentRows, ...previousRows].map((row) => row.segment));
  const segments = inDisplayOrder(found, tiers.map((tier) => tier.id));
  const pick = (rows: CountRow[], segment: Segment) => overviewFigures(toCounts(rows.find((row) => row.segment === segment)));
  const trendPoints: TrendPoint[] = trend.map((point) => {
    const rows = trendRows.filter((row) => row.start === point.start);
    return { period: point, isPartial: isPartialPeriod(point, today), figures: Object.fromEntries(rows.map((row) => [row.segment, overviewFigures(toCounts(row))])) };
  });
  return {
    today,
    period,
    previous,
    isPartial: isPartialPeriod(period, today),
    isRestated: currentRows.some((row) => row.restated),
    isPreviousRestated: previousRows.some((row) => row.restated),
    populations: segments.map((segment): PopulationFigures => ({ segment, current: pick(currentRows, segment), previous: pick(previousRows, segment) })),
    tierNames: Object.fromEntries(tiers.map((tier) => [`tier:${tier.id}`, tier.name])) as Record<string, string>,
    trend: trendPoints,
    freshness,
  };
}

export type AnalyticsOverview = Awaited<ReturnType<typeof getAnalyticsOverview>>;

export const cohortKinds = ["first", "join"] as const;
export type CohortKind = (typeof cohortKinds)[number];
export const cohortSegments = { first: ["all", "joined", "neverJoined"], join: ["members"] } as const;
export const COHORT_MONTHS = 12;

/**
 * The retention heatmap and LTV lines of the last 12 cohorts (by first-order or join month), read
 * from the cohort rollup: at most 12 x 13 rows, whatever the number of orders.
 */
export async function getCohorts({ programId, timeZone, kind, segment, now = new Date() }: { programId: number; timeZone: string; kind: CohortKind; segment: string; now?: Date }) {
  const current = `${localDay(now, timeZone).slice(0, 7)}-01`;
  const first = addMonthsToMonth(current, -(COHORT_MONTHS - 1));
  const rows = await analyticsDb.$queryRaw<{ cohort: string; offset: number; customers: number; netCents: bigint }[]>`
    SELECT "cohortMonth"::text AS "cohort", "monthOffset" AS "offset", "customers", "netCents"
    FROM "AnalyticsCohort" WHERE "programId" = ${programId} AND "kind" = ${kind} AND "segment" = ${segment} AND "cohortMonth" >= ${first}::date
      AND "monthOffset" < ${COHORT_MONTHS}`;
  const lines = cohortMatrix({ rows: rows.map((row) => ({ ...row, netCents: Number(row.netCents) })), first, current, maxOffset: COHORT_MONTHS - 1 });
  return { current, lines, averageLtv: averageLtvCurve(lines, COHORT_MONTHS - 1) };
}

const NEVER = "9999-12-31";

/**
 * The Money view: points posted by month, today's outstanding points (available, pending and
 * expired-but-not-yet-swept apart), their age and expiry months, the redemption curves and the
 * liability net of expected breakage. Reads the money rollups only (a few hundred rows).
 */
export async function getPointsMoney({ programId, timeZone, now = new Date() }: { programId: number; timeZone: string; now?: Date }) {
  const today = localDay(now, timeZone);
  const currentMonth = `${today.slice(0, 7)}-01`;
  const firstMonth = addMonthsToMonth(currentMonth, -11);
  const [program, flows, balances, lotFlows] = await Promise.all([
    analyticsDb.program.findUniqueOrThrow({ where: { id: programId }, select: { pointValueMillis: true, currency: true, expiryMonths: true } }),
    analyticsDb.$queryRaw<{ month: string; account: string; points: bigint }[]>`
      SELECT "month"::text AS "month", "account", "points" FROM "AnalyticsPointsFlow" WHERE "programId" = ${programId} AND "month" >= ${firstMonth}::date`,
    analyticsDb.$queryRaw<{ earnedOn: string; availableOn: string; expiresOn: string; points: bigint }[]>`
      SELECT "earnedOn"::text AS "earnedOn", "availableOn"::text AS "availableOn", "expiresOn"::text AS "expiresOn", "points"
      FROM "AnalyticsLotBalance" WHERE "programId" = ${programId}`,
    analyticsDb.$queryRaw<{ earnMonth: string; flowMonth: string; flow: string; points: bigint }[]>`
      SELECT "earnMonth"::text AS "earnMonth", "flowMonth"::text AS "flowMonth", "flow", "points" FROM "AnalyticsLotFlow" WHERE "programId" = ${programId}`,
  ]);
  const months = Array.from({ length: 12 }, (_, index) => addMonthsToMonth(firstMonth, index));
  const flowByMonth = months.map((month) => {
    const pick = (account: string) => Number(flows.find((row) => row.month === month && row.account === account)?.points ?? 0n);
    return { month, isPartial: month === currentMonth, issued: pick("ISSUED"), redeemed: pick("REDEEMED"), expired: pick("EXPIRED"), clawedBack: pick("CLAWBACK") };
  });
  let available = 0;
  let pending = 0;
  let expiredUnswept = 0;
  const byEarnMonth = new Map<string, number>();
  const expiring = new Map<string, number>();
  for (const row of balances) {
    const points = Number(row.points);
    if (row.expiresOn <= today) {
      expiredUnswept += points;
      continue;
    }
    if (row.availableOn > today) pending += points;
    else available += points;
    const earnMonth = `${row.earnedOn.slice(0, 7)}-01`;
    byEarnMonth.set(earnMonth, (byEarnMonth.get(earnMonth) ?? 0) + points);
    if (row.expiresOn !== NEVER) {
      const month = `${row.expiresOn.slice(0, 7)}-01`;
      expiring.set(month, (expiring.get(month) ?? 0) + points);
    }
  }
  const flowRows = lotFlows.map((row) => ({ ...row, points: Number(row.points) }));
  const estimate = liabilityEstimate({ outstandingByEarnMonth: byEarnMonth, rows: flowRows, currentMonth });
  const ageBands = [
    { key: "0-3", from: 0, to: 3 },
    { key: "3-6", from: 3, to: 6 },
    { key: "6-9", from: 6, to: 9 },
    { key: "9-12", from: 9, to: 12 },
    { key: "12+", from: 12, to: Number.POSITIVE_INFINITY },
  ].map((band) => ({
    ...band,
    points: [...byEarnMonth].filter(([month]) => monthsBetween(month, currentMonth) >= band.from && monthsBetween(month, currentMonth) < band.to).reduce((sum, [, points]) => sum + points, 0),
  }));
  const centsPerPoint = program.pointValueMillis / 10;
  return {
    today,
    currentMonth,
    pointValueMillis: program.pointValueMillis,
    expiryMonths: program.expiryMonths,
    flowByMonth,
    available,
    pending,
    expiredUnswept,
    outstanding: available + pending,
    grossLiabilityCents: (available + pending) * centsPerPoint,
    netLiabilityCents: estimate.expectedRedeemed * centsPerPoint,
    expectedRedeemed: estimate.expectedRedeemed,
    breakage: estimate.breakage,
    ageBands,
    expiringByMonth: Array.from({ length: 12 }, (_, index) => {
      const month = addMonthsToMonth(currentMonth, index);
      return { month, points: expiring.get(month) ?? 0 };
    }),
    neverExpiring: [...balances].filter((row) => row.expiresOn === NEVER).reduce((sum, row) => sum + Number(row.points), 0),
    curves: redemptionCurves({ rows: flowRows, months, currentMonth, maxAge: 12 }),
  };
}

/** Points issued and redeemed per month, averaged over the last `months` complete months, and the number of members (from the rollups). */
export async function getPointsPerMonth({ programId, timeZone, months = 6, now = new Date() }: { programId: number; timeZone: string; months?: number; now?: Date }) {
  const currentMonth = `${localDay(now, timeZone).slice(0, 7)}-01`;
  const first = addMonthsToMonth(currentMonth, -months);
  const rows = await analyticsDb.$queryRaw<{ account: string; points: bigint }[]>`
    SELECT "account", SUM("points")::bigint AS "points" FROM "AnalyticsPointsFlow"
    WHERE "programId" = ${programId} AND "month" >= ${first}::date AND "month" < ${currentMonth}::date AND "account" IN ('ISSUED', 'REDEEMED')
    GROUP BY "account"`;
  const total = (account: string) => Number(rows.find((row) => row.account === account)?.points ?? 0n);
  // members = the join cohorts' sizes (a rollup), not a count over customers
  const [members] = await analyticsDb.$queryRaw<{ count: bigint | null }[]>`
    SELECT SUM("customers")::bigint AS "count" FROM "AnalyticsCohort" WHERE "programId" = ${programId} AND "kind" = 'join' AND "monthOffset" = -1`;
  return { months, issuedPerMonth: total("ISSUED") / months, redeemedPerMonth: total("REDEEMED") / months, members: Number(members?.count ?? 0n) };
}
