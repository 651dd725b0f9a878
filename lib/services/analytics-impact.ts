import "server-only";
import { prisma } from "@/lib/db/prisma";
import { localDay } from "@/lib/domain/analytics-periods";
import { armMean, stratifiedDid, type ArmSums, type DidEstimate, type StratumSums } from "@/lib/domain/impact";

// Program impact (docs/analytics.md "Program impact"). For members who joined 3 to 14 months ago,
// compare the change in their orders and net revenue per month (the 6 calendar months before the
// month they joined vs the up-to-6 months after it; the joining month itself is left out, since
// people usually join at a purchase) with the same change for customers who also ordered in that
// month without being members by its end (one who joins later counts until the month before), matched
// on their history before it. Matching
// is exact on coarse strata (join month, tenure, orders before, spend before, recency); SQL returns
// per stratum and arm the count, sum and sum of squares of each unit's change, and
// lib/domain/impact.ts turns them into a difference in differences with a 95% interval. Reads only
// the folded facts; recomputed daily by a job.

export const IMPACT = { preMonths: 6, postMonths: 6, minPostMonths: 2, lookbackMonths: 12, controlsPerMonth: 20_000 } as const;

/** the row holding, per metric, the sum over customers of their squared influence (in ordersSum / netSum) */
const CLUSTERS = "*clusters";
/** the row counting members whose first order was less than 6 months before the month they joined (not in the estimate) */
const NEW_MEMBERS = "*new";

type StratumRow = {
  stratum: string;
  isTreated: boolean;
  n: number;
  ordersSum: number;
  ordersSquares: number;
  netSum: number;
  netSquares: number;
  postOrders: number;
  preOrders: number;
  postNet: number;
  preNet: number;
};

export type ImpactMetric = {
  /** members' and non-members' average per month after the join month, and its gap (no matching, no differencing) */
  naive: { members: number | null; nonMembers: number | null; gap: number | null };
  /** the same in the months before it */
  before: { members: number | null; nonMembers: number | null };
  /** difference in differences against matched non-members, with its 95% interval */
  did: DidEstimate | null;
  /** how much of the naive gap is who joins rather than what the program does: naive gap - DiD */
  selection: number | null;
};

export type ProgramImpact = {
  computedAt: string;
  today: string;
  window: typeof IMPACT;
  /** members who joined 3 to 14 months ago and had ordered before the month they joined (assessed) */
  members: number;
  /** members who joined 3 to 14 months ago without a full "before" window of history (not assessed) */
  newMembers: number;
  nonMembers: number;
  orders: ImpactMetric;
  revenue: ImpactMetric;
};

async function stratumRows(programId: number, timeZone: string, today: string) {
  const { preMonths, postMonths, minPostMonths, lookbackMonths, controlsPerMonth } = IMPACT;
  const months = (count: number) => `${count} months`;
  return prisma.$queryRaw<StratumRow[]>`
    WITH now_month AS (SELECT date_trunc('month', ${today}::date::timestamp)::date AS cm),
    members AS (
      SELECT c."id" AS cid, date_trunc('month', (c."enrolledAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})::date AS m
      FROM "Customer" c WHERE c."programId" = ${programId} AND c."enrolledAt" IS NOT NULL
    ),
    treated AS (
      SELECT mem.cid, mem.m, TRUE AS is_treated FROM members mem, now_month
      WHERE mem.m <= (now_month.cm - ${months(minPostMonths + 1)}::interval)::date
        AND mem.m > (now_month.cm - ${months(minPostMonths + 1 + lookbackMonths)}::interval)::date
    ),
    join_months AS (SELECT DISTINCT m FROM treated),
    candidates AS (
      SELECT DISTINCT f."customerId" AS cid, jm.m
      FROM join_months jm JOIN "AnalyticsOrderFact" f ON f."programId" = ${programId} AND f."day" >= jm.m AND f."day" < (jm.m + interval '1 month')::date
    ),
    controls AS (
      -- not a member by the end of that month; one who joins later counts only for the months
      -- before the month they join (never for months in which the program could affect them)
      -- each customer is compared in one month only (picked by a hash), so units are independent
      -- and the interval is not too narrow
      SELECT x.cid, x.m, FALSE AS is_treated, x.joined FROM (
        SELECT y.*, row_number() OVER (PARTITION BY y.m ORDER BY y.h, y.cid) AS pick FROM (
          -- hashed on the shop's customer id, so the same data always gives the same estimate
          SELECT DISTINCT ON (cand.cid) cand.cid, cand.m, mem.m AS joined, hashtext(c."externalId" || ':' || cand.m::text) AS h
          FROM candidates cand JOIN "Customer" c ON c."id" = cand.cid LEFT JOIN members mem ON mem.cid = cand.cid
          WHERE mem.cid IS NULL OR mem.m > cand.m
          ORDER BY cand.cid, hashtext(c."externalId" || ':' || cand.m::text), cand.m
        ) y
      ) x WHERE x.pick <= ${controlsPerMonth}
    ),
    units AS (
      SELECT * FROM (
        SELECT u.cid, u.m, u.is_treated, LEAST(
          ${postMonths}::int,
          (EXTRACT(YEAR FROM now_month.cm) * 12 + EXTRACT(MONTH FROM now_month.cm) - EXTRACT(YEAR FROM u.m) * 12 - EXTRACT(MONTH FROM u.m))::int - 1,
          COALESCE((EXTRACT(YEAR FROM u.joined) * 12 + EXTRACT(MONTH FROM u.joined) - EXTRACT(YEAR FROM u.m) * 12 - EXTRACT(MONTH FROM u.m))::int - 1, ${postMonths}::int)
        ) AS post_len
        FROM (SELECT cid, m, is_treated, NULL::date AS joined FROM treated UNION ALL SELECT cid, m, is_treated, joined FROM controls) u, now_month
      ) sized WHERE post_len >= ${minPostMonths}::int
    ),
    measured AS (
      SELECT u.cid, u.is_treated, u.m, (u.m - ${months(preMonths)}::interval)::date AS h0, u.post_len, h.*
      FROM units u CROSS JOIN LATERAL (
        SELECT
          COUNT(*) FILTER (WHERE f."day" >= (u.m - ${months(preMonths)}::interval)::date AND f."day" < u.m) AS pre_orders,
          COALESCE(SUM(f."netCents") FILTER (WHERE f."day" >= (u.m - ${months(preMonths)}::interval)::date AND f."day" < u.m), 0) AS pre_net,
          COUNT(*) FILTER (WHERE f."day" >= (u.m + interval '1 month')::date AND f."day" < (u.m + (u.post_len + 1) * interval '1 month')::date) AS post_orders,
          COALESCE(SUM(f."netCents") FILTER (WHERE f."day" >= (u.m + interval '1 month')::date AND f."day" < (u.m + (u.post_len + 1) * interval '1 month')::date), 0) AS post_net,
          COUNT(*) FILTER (WHERE f."day" < (u.m - ${months(preMonths)}::interval)::date) AS hist_orders,
          COALESCE(SUM(f."netCents") FILTER (WHERE f."day" < (u.m - ${months(preMonths)}::interval)::date), 0) AS hist_net,
          MAX(f."day") FILTER (WHERE f."day" < (u.m - ${months(preMonths)}::interval)::date) AS last_day,
          MIN(f."day") AS first_day
        FROM "AnalyticsOrderFact" f WHERE f."customerId" = u.cid AND f."day" < (u.m + (u.post_len + 1) * interval '1 month')::date
      ) h
    ),
    stratified AS (
      -- strata use the history before the "before" window (at its first day, h0), not the window
      -- itself: matching on the measured "before" would make each group regress to its own mean
      SELECT cid, is_treated,
        concat_ws('|', m,
          -- tenure: how long before the "before" window the first order was
          CASE WHEN h0 - first_day < 90 THEN 't1' WHEN h0 - first_day < 365 THEN 't2' ELSE 't3' END,
          CASE WHEN hist_orders <= 2 THEN hist_orders::text WHEN hist_orders <= 4 THEN '3-4' WHEN hist_orders <= 9 THEN '5-9' ELSE '10+' END,
          CASE WHEN hist_net = 0 THEN 's0' WHEN hist_net < 5000 THEN 's1' WHEN hist_net < 15000 THEN 's2' WHEN hist_net < 40000 THEN 's3' WHEN hist_net < 100000 THEN 's4' ELSE 's5' END,
          CASE WHEN last_day IS NULL THEN 'r0' WHEN h0 - last_day <= 30 THEN 'r1' WHEN h0 - last_day <= 90 THEN 'r2' WHEN h0 - last_day <= 180 THEN 'r3'
            WHEN h0 - last_day <= 365 THEN 'r4' ELSE 'r5' END) AS stratum,
        post_orders::float8 / post_len AS post_o, pre_orders::float8 / ${preMonths}::int AS pre_o,
        post_net::float8 / post_len AS post_n, pre_net::float8 / ${preMonths}::int AS pre_n
      FROM measured
      -- the "before" window must be a whole one: a customer whose first order is in it or later
      -- (members who joined at or soon after their first purchase) has no full "before" to compare
      -- with, can't be assessed this way and is counted apart
      WHERE first_day IS NOT NULL AND first_day < h0
    ),
    arms AS (
      SELECT stratum, is_treated, COUNT(*)::float8 AS n, AVG(post_o - pre_o) AS mean_o, AVG(post_n - pre_n) AS mean_n FROM stratified GROUP BY 1, 2
    ),
    matched AS (
      SELECT t.stratum, t.n AS nt, c.n AS nc, t.mean_o AS t_o, c.mean_o AS c_o, t.mean_n AS t_n, c.mean_n AS c_n
      FROM arms t JOIN arms c ON c.stratum = t.stratum AND t.is_treated AND NOT c.is_treated
    ),
    matched_total AS (SELECT SUM(nt) AS nt FROM matched),
    -- a customer can be compared as a non-member in one month and be a member joining later:
    -- their two units are correlated, so the variance sums each customer's influence first
    influence AS (
      SELECT s.cid,
        SUM(CASE WHEN s.is_treated THEN (s.post_o - s.pre_o - m.t_o) / tot.nt ELSE -(m.nt / tot.nt) * (s.post_o - s.pre_o - m.c_o) / m.nc END) AS i_o,
        SUM(CASE WHEN s.is_treated THEN (s.post_n - s.pre_n - m.t_n) / tot.nt ELSE -(m.nt / tot.nt) * (s.post_n - s.pre_n - m.c_n) / m.nc END) AS i_n
      FROM stratified s JOIN matched m ON m.stratum = s.stratum CROSS JOIN matched_total tot GROUP BY s.cid
    )
    SELECT stratum, is_treated AS "isTreated", COUNT(*)::int AS n,
      SUM(post_o - pre_o)::float8 AS "ordersSum", SUM((post_o - pre_o) ^ 2)::float8 AS "ordersSquares",
      SUM(post_n - pre_n)::float8 AS "netSum", SUM((post_n - pre_n) ^ 2)::float8 AS "netSquares",
      SUM(post_o)::float8 AS "postOrders", SUM(pre_o)::float8 AS "preOrders", SUM(post_n)::float8 AS "postNet", SUM(pre_n)::float8 AS "preNet"
    FROM stratified GROUP BY stratum, is_treated
    UNION ALL
    SELECT '*clusters', FALSE, COUNT(*)::int, COALESCE(SUM(i_o ^ 2), 0)::float8, 0, COALESCE(SUM(i_n ^ 2), 0)::float8, 0, 0, 0, 0, 0 FROM influence
    UNION ALL
    SELECT '*new', TRUE, COUNT(*)::int, 0, 0, 0, 0, 0, 0, 0, 0 FROM measured WHERE is_treated AND (first_day IS NULL OR first_day >= h0)`;
}

function metric(allRows: StratumRow[], pick: (row: StratumRow) => { sum: number; squares: number; post: number; pre: number }): ImpactMetric {
  const clusters = allRows.find((row) => row.stratum === CLUSTERS)!;
  const rows = allRows.filter((row) => !row.stratum.startsWith("*"));
  const byStratum = new Map<string, StratumSums>();
  const empty = (): ArmSums => ({ n: 0, sum: 0, sumSquares: 0 });
  const totals = { members: { n: 0, post: 0, pre: 0 }, nonMembers: { n: 0, post: 0, pre: 0 } };
  for (const row of rows) {
    const values = pick(row);
    const stratum = byStratum.get(row.stratum) ?? { treated: empty(), control: empty() };
    stratum[row.isTreated ? "treated" : "control"] = { n: row.n, sum: values.sum, sumSquares: values.squares };
    byStratum.set(row.stratum, stratum);
    const total = totals[row.isTreated ? "members" : "nonMembers"];
    total.n += row.n;
    total.post += values.post;
    total.pre += values.pre;
  }
  const did = stratifiedDid({ strata: [...byStratum.values()], clustered: { clusters: clusters.n, sumOfSquares: pick(clusters).sum } });
  const mean = (value: number, n: number) => armMean({ n, sum: value, sumSquares: 0 });
  const naive = { members: mean(totals.members.post, totals.members.n), nonMembers: mean(totals.nonMembers.post, totals.nonMembers.n) };
  const gap = naive.members !== null && naive.nonMembers !== null ? naive.members - naive.nonMembers : null;
  return {
    naive: { ...naive, gap },
    before: { members: mean(totals.members.pre, totals.members.n), nonMembers: mean(totals.nonMembers.pre, totals.nonMembers.n) },
    did,
    selection: gap !== null && did ? gap - did.estimate : null,
  };
}

/** Computes the program-impact estimate from the folded facts as of `now`. */
export async function computeProgramImpact({ programId, now = new Date() }: { programId: number; now?: Date }): Promise<ProgramImpact> {
  const program = await prisma.program.findUniqueOrThrow({ where: { id: programId }, select: { timeZone: true } });
  const today = localDay(now, program.timeZone);
  const rows = await stratumRows(programId, program.timeZone, today);
  return {
    computedAt: now.toISOString(),
    today,
    window: IMPACT,
    members: rows.filter((row) => row.isTreated && !row.stratum.startsWith("*")).reduce((sum, row) => sum + row.n, 0),
    newMembers: rows.find((row) => row.stratum === NEW_MEMBERS)?.n ?? 0,
    nonMembers: rows.filter((row) => !row.isTreated && !row.stratum.startsWith("*")).reduce((sum, row) => sum + row.n, 0),
    orders: metric(rows, (row) => ({ sum: row.ordersSum, squares: row.ordersSquares, post: row.postOrders, pre: row.preOrders })),
    revenue: metric(rows, (row) => ({ sum: row.netSum, squares: row.netSquares, post: row.postNet, pre: row.preNet })),
  };
}

/** Computes and stores the estimate the impact page shows (the daily job and the first page view call this). */
export async function refreshProgramImpact({ programId, now = new Date() }: { programId: number; now?: Date }) {
  const result = await computeProgramImpact({ programId, now });
  await prisma.analyticsImpact.upsert({
    where: { programId },
    create: { programId, computedAt: now, result },
    update: { computedAt: now, result },
  });
  return result;
}

export async function getStoredProgramImpact(programId: number): Promise<ProgramImpact | null> {
  const row = await prisma.analyticsImpact.findUnique({ where: { programId }, select: { result: true } });
  return row ? (row.result as ProgramImpact) : null;
}
