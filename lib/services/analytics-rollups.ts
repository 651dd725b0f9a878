import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { prisma, type Tx } from "@/lib/db/prisma";
import { daysBetween, localDay, TRAILING_DAYS, trailingGrains, shiftDays } from "@/lib/domain/analytics-periods";

// The analytics store (docs/analytics.md "Freshness and rebuilding"). Triggers queue every
// change to an order, redemption or tier move in "AnalyticsChange"; the fold turns a batch of
// queued changes into exact deltas of the period rollups:
//   1. recompute the facts of the affected orders from the raw rows (new) and read what was
//      folded before (old);
//   2. for each customer, population and period touched, count that customer's folded orders in
//      the period before the change (index on customerId, day), and after = before + change;
//   3. active customers change by [after > 0] - [before > 0], repeat customers by
//      [after >= 2] - [before >= 2]; orders and revenue by the sums of the change.
// So a read never scans orders, and a fold costs what the changed customers' history costs.

const FOLD_BATCH = 2_000;
/** a fold call stops taking new batches after this long (the job runs again in 10 s) */
const FOLD_BUDGET_MS = 8_000;
// a rebuild of a large program (10 million orders: minutes) runs in one transaction, so readers see
// the old rollups until it commits
const ROLLUP_TX = { timeout: 3 * 3_600_000, maxWait: 30_000 } as const;

type ProgramClock = { programId: number; timeZone: string; currency: string };

/** The trailing windows (current and previous) anchored on a local day, as SQL VALUES. */
function trailingWindows(today: string) {
  const end = shiftDays(today, 1);
  return trailingGrains.flatMap((grain) => {
    const days = TRAILING_DAYS[grain];
    return [
      { grain, start: shiftDays(end, -days), end },
      { grain, start: shiftDays(end, -2 * days), end: shiftDays(end, -days) },
    ];
  });
}

function windowsSql(today: string) {
  return Prisma.sql`(VALUES ${Prisma.join(
    trailingWindows(today).map((window) => Prisma.sql`(${window.grain}::text, ${window.start}::date, ${window.end}::date)`),
  )}) AS w(grain, period_start, period_end)`;
}

/** The local day of a timestamp column in the program's time zone, as SQL. */
function localDaySql(column: Prisma.Sql, timeZone: string) {
  return Prisma.sql`((${column} AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})::date`;
}

function localMonthSql(column: Prisma.Sql, timeZone: string) {
  return Prisma.sql`date_trunc('month', (${column} AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})::date`;
}

/** The facts of the orders `orderFilter` selects (an SQL condition on `o`), as folded now. */
function factsSelect(clock: ProgramClock, orderFilter: Prisma.Sql) {
  return Prisma.sql`
    SELECT o."id" AS "orderId", o."customerId", ${localDaySql(Prisma.sql`o."placedAt"`, clock.timeZone)} AS "day",
      GREATEST(o."totalCents" - o."shippingCents" - o."taxCents" - o."returnedCents", 0)::int AS "netCents",
      o."isMemberOrder" AS "isMember",
      (o."isMemberOrder" AND EXISTS (SELECT 1 FROM "Redemption" r WHERE r."customerId" = o."customerId" AND r."createdAt" < o."placedAt")) AS "isRedeemer",
      CASE WHEN o."isMemberOrder" THEN (
        SELECT t."toTierId" FROM "TierChange" t WHERE t."customerId" = o."customerId" AND t."createdAt" <= o."placedAt" ORDER BY t."createdAt" DESC, t."id" DESC LIMIT 1
      ) END AS "tierId"
    FROM "Order" o
    WHERE o."programId" = ${clock.programId} AND o."cancelledAt" IS NULL AND o."currency" = ${clock.currency} AND ${orderFilter}`;
}

/**
 * What a set of customers contributes to the cohort rollups, from their facts and cohort state
 * (`state`: customerId, firstMonth, joinMonth). Kind "first": cohort = month of the first counted
 * order, in populations all / joined (has joined the program) / neverJoined; kind "join": cohort =
 * month of joining, counting member orders. Offset -1 is the cohort's size.
 */
function cohortContributions(facts: Prisma.Sql, state: Prisma.Sql) {
  const offset = (month: string, cohort: string) => Prisma.raw(
    `((EXTRACT(YEAR FROM ${month}) - EXTRACT(YEAR FROM ${cohort})) * 12 + EXTRACT(MONTH FROM ${month}) - EXTRACT(MONTH FROM ${cohort}))::int`,
  );
  return Prisma.sql`
    WITH st AS (${state}),
    months AS (
      SELECT f."customerId", date_trunc('month', f."day"::timestamp)::date AS month, f."isMember", COUNT(*) AS n, SUM(f."netCents") AS net
      FROM (${facts}) f GROUP BY 1, 2, 3
    ),
    per_month AS (SELECT "customerId", month, SUM(net) AS net FROM months GROUP BY 1, 2),
    member_month AS (SELECT "customerId", month, SUM(net) AS net FROM months WHERE "isMember" GROUP BY 1, 2)
    SELECT 'first' AS kind, seg.segment, st."firstMonth" AS cohort, -1 AS month_offset, 1 AS customers, 0::bigint AS net
    FROM st CROSS JOIN LATERAL (VALUES ('all'), (CASE WHEN st."joinMonth" IS NULL THEN 'neverJoined' ELSE 'joined' END)) AS seg(segment)
    WHERE st."firstMonth" IS NOT NULL
    UNION ALL
    SELECT 'first', seg.segment, st."firstMonth", ${offset("pm.month", 'st."firstMonth"')}, 1, pm.net::bigint
    FROM per_month pm JOIN st ON st."customerId" = pm."customerId"
    CROSS JOIN LATERAL (VALUES ('all'), (CASE WHEN st."joinMonth" IS NULL THEN 'neverJoined' ELSE 'joined' END)) AS seg(segment)
    UNION ALL
    SELECT 'join', 'members', st."joinMonth", -1, 1, 0::bigint FROM st WHERE st."joinMonth" IS NOT NULL
    UNION ALL
    SELECT 'join', 'members', st."joinMonth", ${offset("mm.month", 'st."joinMonth"')}, 1, mm.net::bigint
    FROM member_month mm JOIN st ON st."customerId" = mm."customerId"
    WHERE st."joinMonth" IS NOT NULL AND mm.month >= st."joinMonth"`;
}

/**
 * The state of customers as it is now, from the folded facts: first counted order's month, month
 * of joining, lifetime counted orders, their net revenue and the day of the last one.
 */
function cohortStateNow(clock: ProgramClock, customers: Prisma.Sql) {
  return Prisma.sql`
    SELECT c."id" AS "customerId", date_trunc('month', agg.first_day::timestamp)::date AS "firstMonth",
      CASE WHEN c."enrolledAt" IS NOT NULL THEN ${localMonthSql(Prisma.sql`c."enrolledAt"`, clock.timeZone)} END AS "joinMonth",
      COALESCE(agg.n, 0)::int AS "orders", COALESCE(agg.net, 0)::bigint AS "netCents", agg.last_day AS "lastDay"
    FROM "Customer" c
    CROSS JOIN LATERAL (
      SELECT MIN(f."day") AS first_day, MAX(f."day") AS last_day, COUNT(*) AS n, SUM(f."netCents") AS net
      FROM "AnalyticsOrderFact" f WHERE f."customerId" = c."id"
    ) agg
    WHERE c."programId" = ${clock.programId} AND ${customers}`;
}

const CUSTOMER_COLUMNS = Prisma.sql`("customerId", "firstMonth", "joinMonth", "orders", "netCents", "lastDay", "programId")`;

/** Customers' lifetime spend by category from the raw order lines of their counted orders. */
function categorySpendNow(clock: ProgramClock, customers: Prisma.Sql) {
  return Prisma.sql`
    SELECT o."customerId", COALESCE(l."category", '') AS "category",
      SUM((l."quantity" - l."returnedQuantity")::bigint * l."unitPriceCents")::bigint AS "netCents"
    FROM "Order" o JOIN "OrderLine" l ON l."orderId" = o."id"
    WHERE o."programId" = ${clock.programId} AND o."cancelledAt" IS NULL AND o."currency" = ${clock.currency} AND ${customers}
    GROUP BY 1, 2 HAVING SUM((l."quantity" - l."returnedQuantity")::bigint * l."unitPriceCents") > 0`;
}

/** The grid cell of each stored customer (`customers`: a condition on AnalyticsCustomer a), per population. */
function rfCellsOf(programId: number, today: string, customers: Prisma.Sql) {
  return Prisma.sql`
    SELECT a."customerId", seg.segment, hearth_analytics_recency((${today}::date - a."lastDay")::int) AS recency,
      hearth_analytics_frequency(a."orders") AS frequency, a."orders", a."netCents"
    FROM "AnalyticsCustomer" a
    CROSS JOIN LATERAL (VALUES ('all'), (CASE WHEN a."joinMonth" IS NULL THEN 'nonMembers' ELSE 'members' END)) AS seg(segment)
    WHERE a."programId" = ${programId} AND ${customers}`;
}

/** Adds (sign 1) or takes out (sign -1) what the selected customers contribute to the grid and its category spend. */
async function stageRf(tx: Tx, programId: number, today: string, customers: Prisma.Sql, sign: 1 | -1) {
  await tx.$executeRaw`
    INSERT INTO rf_cell SELECT segment, recency, frequency, ${sign} * COUNT(*), ${sign} * SUM("orders"), ${sign} * SUM("netCents")
    FROM (${rfCellsOf(programId, today, customers)}) x GROUP BY 1, 2, 3`;
  await tx.$executeRaw`
    INSERT INTO rf_category SELECT x.segment, x.recency, x.frequency, k."category", ${sign} * SUM(k."netCents")
    FROM (${rfCellsOf(programId, today, customers)}) x JOIN "AnalyticsCustomerCategory" k ON k."customerId" = x."customerId"
    GROUP BY 1, 2, 3, 4`;
}

async function stageRfTables(tx: Tx) {
  await tx.$executeRaw`CREATE TEMP TABLE rf_cell (segment text, recency int, frequency int, customers int, orders int, net bigint) ON COMMIT DROP`;
  await tx.$executeRaw`CREATE TEMP TABLE rf_category (segment text, recency int, frequency int, category text, net bigint) ON COMMIT DROP`;
}

/** Applies the staged grid changes (sums per key), dropping rows that became empty. */
async function applyRf(tx: Tx, programId: number) {
  await tx.$executeRaw`
    INSERT INTO "AnalyticsRfCell" ("programId", "segment", "recency", "frequency", "customers", "orders", "netCents")
    SELECT ${programId}, segment, recency, frequency, SUM(customers)::int, SUM(orders)::int, SUM(net)::bigint FROM rf_cell
    GROUP BY 2, 3, 4 HAVING SUM(customers) <> 0 OR SUM(orders) <> 0 OR SUM(net) <> 0
    ON CONFLICT ("programId", "segment", "recency", "frequency") DO UPDATE SET
      "customers" = "AnalyticsRfCell"."customers" + EXCLUDED."customers", "orders" = "AnalyticsRfCell"."orders" + EXCLUDED."orders",
      "netCents" = "AnalyticsRfCell"."netCents" + EXCLUDED."netCents"`;
  await tx.$executeRaw`DELETE FROM "AnalyticsRfCell" WHERE "programId" = ${programId} AND "customers" = 0 AND "orders" = 0 AND "netCents" = 0`;
  await tx.$executeRaw`
    INSERT INTO "AnalyticsRfCategory" ("programId", "segment", "recency", "frequency", "category", "netCents")
    SELECT ${programId}, segment, recency, frequency, category, SUM(net)::bigint FROM rf_category
    GROUP BY 2, 3, 4, 5 HAVING SUM(net) <> 0
    ON CONFLICT ("programId", "segment", "recency", "frequency", "category") DO UPDATE SET
      "netCents" = "AnalyticsRfCategory"."netCents" + EXCLUDED."netCents"`;
  await tx.$executeRaw`DELETE FROM "AnalyticsRfCategory" WHERE "programId" = ${programId} AND "netCents" = 0`;
  await tx.$executeRaw`DROP TABLE rf_cell, rf_category`;
}

/** The whole grid recomputed from the stored customers, as of `today` (rebuild and each new day). */
async function rebuildRfInTx(tx: Tx, programId: number, today: string) {
  await tx.$executeRaw`DELETE FROM "AnalyticsRfCell" WHERE "programId" = ${programId}`;
  await tx.$executeRaw`DELETE FROM "AnalyticsRfCategory" WHERE "programId" = ${programId}`;
  await stageRfTables(tx);
  await stageRf(tx, programId, today, Prisma.sql`TRUE`, 1);
  await applyRf(tx, programId);
}

/**
 * The gaps and skips between counted-order days of the customers whose facts `facts` selects
 * (columns orderId, customerId, day, isMember, isRedeemer, tierId), per population (see the
 * migration 20261130180000_analytics_ranges): kind, p, n, weight.
 */
function gapsOf(facts: Prisma.Sql) {
  return Prisma.sql`
    SELECT x.segment, g.kind, g.p, g.n, g.weight
    FROM (
      SELECT s.segment, s."day", LAG(s."day") OVER w AS prev, LEAD(s."day") OVER w AS next
      FROM (
        SELECT f."customerId", f."day", f."orderId", seg.segment
        FROM (${facts}) f CROSS JOIN LATERAL unnest(hearth_analytics_segments(f."isMember", f."isRedeemer", f."tierId")) AS seg(segment)
      ) s
      WINDOW w AS (PARTITION BY s."customerId", s.segment ORDER BY s."day", s."orderId")
    ) x
    CROSS JOIN LATERAL (VALUES
      ('gap', COALESCE(x.prev, '-infinity'::date), x."day", (x.prev IS NOT NULL)::int + 1),
      ('gap', x."day", CASE WHEN x.next IS NULL THEN 'infinity'::date END, 1),
      ('skip', COALESCE(x.prev, '-infinity'::date), COALESCE(x.next, 'infinity'::date), 0)
    ) AS g(kind, p, n, weight)
    WHERE g.n IS NOT NULL AND g.p < g.n`;
}

/** Adds gap changes (`changes`: segment, kind, p, n, gaps, weight) to the four levels of cells, dropping cells that became empty. */
async function applyGapChanges(tx: Tx, programId: number, changes: Prisma.Sql) {
  const month = (column: string) => Prisma.raw(`date_trunc('month', c.${column}::timestamp)::date`);
  await tx.$executeRaw`
    CREATE TEMP TABLE ag_cells ON COMMIT DROP AS
    SELECT l.level, l.p, l.n, c.segment, c.kind, SUM(c.gaps)::int AS gaps, SUM(c.weight)::int AS weight
    FROM (${changes}) c
    CROSS JOIN LATERAL (VALUES
      ('mm', ${month("p")}, ${month("n")}),
      ('md', ${month("p")}, CASE WHEN isfinite(c.n) THEN c.n END),
      ('dm', CASE WHEN isfinite(c.p) THEN c.p END, ${month("n")}),
      ('dd', CASE WHEN isfinite(c.p) THEN c.p END, CASE WHEN isfinite(c.n) THEN c.n END)
    ) AS l(level, p, n)
    WHERE l.p IS NOT NULL AND l.n IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5 HAVING SUM(c.gaps) <> 0 OR SUM(c.weight) <> 0`;
  await tx.$executeRaw`
    INSERT INTO "AnalyticsGapCell" ("programId", "level", "p", "n", "segment", "kind", "gaps", "weight")
    SELECT ${programId}, level, p, n, segment, kind, gaps, weight FROM ag_cells
    ON CONFLICT ("programId", "level", "p", "n", "segment", "kind") DO UPDATE SET
      "gaps" = "AnalyticsGapCell"."gaps" + EXCLUDED."gaps", "weight" = "AnalyticsGapCell"."weight" + EXCLUDED."weight"`;
  await tx.$executeRaw`
    DELETE FROM "AnalyticsGapCell" g USING ag_cells c
    WHERE g."programId" = ${programId} AND g."level" = c.level AND g."p" = c.p AND g."n" = c.n AND g."segment" = c.segment AND g."kind" = c.kind
      AND g."gaps" = 0 AND g."weight" = 0`;
  await tx.$executeRaw`DROP TABLE ag_cells`;
}

/** Period rows recomputed from the folded facts: calendar periods, or the trailing windows of `today`. */
async function insertPeriodsFromFacts(tx: Tx, programId: number, periods: { kind: "calendar" } | { kind: "trailing"; today: string }) {
  const source = periods.kind === "calendar"
    ? Prisma.sql`hearth_analytics_periods(f."day") AS x`
    : Prisma.sql`(SELECT w.grain, w.period_start, w.period_end FROM ${windowsSql(periods.today)} WHERE f."day" >= w.period_start AND f."day" < w.period_end) AS x`;
  const since = periods.kind === "trailing" ? Prisma.sql`AND f."day" >= ${shiftDays(periods.today, 1 - 2 * TRAILING_DAYS.t365)}::date` : Prisma.empty;
  await tx.$executeRaw`
    INSERT INTO "AnalyticsPeriod" ("programId", "grain", "periodStart", "segment", "orders", "netCents", "customers", "repeatCustomers")
    SELECT ${programId}, grain, period_start, segment, SUM(n)::int, SUM(net)::bigint, COUNT(*)::int, (COUNT(*) FILTER (WHERE n >= 2))::int
    FROM (
      SELECT x.grain, x.period_start, s.segment, f."customerId", COUNT(*) AS n, SUM(f."netCents") AS net
      FROM "AnalyticsOrderFact" f
      CROSS JOIN LATERAL unnest(hearth_analytics_segments(f."isMember", f."isRedeemer", f."tierId")) AS s(segment)
      CROSS JOIN LATERAL ${source}
      WHERE f."programId" = ${programId} ${since}
      GROUP BY 1, 2, 3, 4
    ) per_customer
    GROUP BY grain, period_start, segment`;
}

/** Recomputes every rollup of the program from the raw orders (the one command `analytics:rebuild` runs). */
async function rebuildInTx(tx: Tx, clock: ProgramClock, today: string, now: Date) {
  const { programId } = clock;
  await tx.$executeRaw`DELETE FROM "AnalyticsChange" WHERE "programId" = ${programId}`;
  await tx.$executeRaw`DELETE FROM "AnalyticsPeriod" WHERE "programId" = ${programId}`;
  await tx.$executeRaw`DELETE FROM "AnalyticsOrderFact" WHERE "programId" = ${programId}`;
  await tx.$executeRaw`
    INSERT INTO "AnalyticsOrderFact" ("orderId", "customerId", "day", "netCents", "isMember", "isRedeemer", "tierId", "programId")
    SELECT facts.*, ${programId} FROM (${factsSelect(clock, Prisma.sql`TRUE`)}) facts`;
  await insertPeriodsFromFacts(tx, programId, { kind: "calendar" });
  await insertPeriodsFromFacts(tx, programId, { kind: "trailing", today });
  await tx.$executeRaw`DELETE FROM "AnalyticsGapCell" WHERE "programId" = ${programId}`;
  await applyGapChanges(tx, programId, Prisma.sql`
    SELECT segment, kind, p, n, 1 AS gaps, weight FROM (${gapsOf(Prisma.sql`SELECT * FROM "AnalyticsOrderFact" WHERE "programId" = ${programId}`)}) g`);
  await tx.$executeRaw`DELETE FROM "AnalyticsCohort" WHERE "programId" = ${programId}`;
  await tx.$executeRaw`DELETE FROM "AnalyticsCustomer" WHERE "programId" = ${programId}`;
  await tx.$executeRaw`
    INSERT INTO "AnalyticsCustomer" ${CUSTOMER_COLUMNS}
    SELECT st.*, ${programId} FROM (${cohortStateNow(clock, Prisma.sql`TRUE`)}) st WHERE st."firstMonth" IS NOT NULL OR st."joinMonth" IS NOT NULL`;
  await tx.$executeRaw`DELETE FROM "AnalyticsCustomerCategory" WHERE "programId" = ${programId}`;
  await tx.$executeRaw`
    INSERT INTO "AnalyticsCustomerCategory" ("customerId", "category", "netCents", "programId")
    SELECT k.*, ${programId} FROM (${categorySpendNow(clock, Prisma.sql`TRUE`)}) k`;
  await rebuildRfInTx(tx, programId, today);
  await tx.$executeRaw`
    INSERT INTO "AnalyticsCohort" ("programId", "kind", "segment", "cohortMonth", "monthOffset", "customers", "netCents")
    SELECT ${programId}, kind, segment, cohort, month_offset, SUM(customers)::int, SUM(net)::bigint
    FROM (${cohortContributions(
      Prisma.sql`SELECT * FROM "AnalyticsOrderFact" WHERE "programId" = ${programId}`,
      Prisma.sql`SELECT "customerId", "firstMonth", "joinMonth" FROM "AnalyticsCustomer" WHERE "programId" = ${programId}`,
    )}) c GROUP BY kind, segment, cohort, month_offset`;
  await rebuildPointsInTx(tx, clock);
  await rebuildRewardsInTx(tx, clock);
  await tx.$executeRaw`
    INSERT INTO "AnalyticsState" ("programId", "timeZone", "trailingAnchor", "refreshedAt", "rebuiltAt")
    VALUES (${programId}, ${clock.timeZone}, ${today}::date, ${now}, ${now})
    ON CONFLICT ("programId") DO UPDATE SET "timeZone" = EXCLUDED."timeZone", "trailingAnchor" = EXCLUDED."trailingAnchor",
      "refreshedAt" = EXCLUDED."refreshedAt", "rebuiltAt" = EXCLUDED."rebuiltAt"`;
}

/** Moves the trailing windows to a new day: they are recomputed from the folded facts. */
async function reanchorInTx(tx: Tx, programId: number, previous: string | null, today: string) {
  const shift = previous === null ? null : daysBetween(previous, today);
  if (previous === null || shift === null || shift < 1 || shift > MAX_INCREMENTAL_SHIFT) {
    await tx.$executeRaw`DELETE FROM "AnalyticsPeriod" WHERE "programId" = ${programId} AND "grain" IN ('t30', 't90', 't365')`;
    await insertPeriodsFromFacts(tx, programId, { kind: "trailing", today });
    await rebuildRfInTx(tx, programId, today);
  } else {
    await shiftTrailingWindowsInTx(tx, programId, previous, today);
    await shiftRfInTx(tx, programId, previous, today);
  }
  await tx.$executeRaw`UPDATE "AnalyticsState" SET "trailingAnchor" = ${today}::date WHERE "programId" = ${programId}`;
}

/** Beyond this many days the windows share too little to be worth shifting: they are recomputed. */
const MAX_INCREMENTAL_SHIFT = 31;

/**
 * Moves every trailing window (current and previous, each grain) from the anchor `previous` to
 * `today` by the difference only: the customers with orders on the days that leave or enter a
 * window are counted in the old and the new window (per population), and each window's row is
 * the old row plus those differences. Cost: the orders of a few days, not of a year.
 */
async function shiftTrailingWindowsInTx(tx: Tx, programId: number, previous: string, today: string) {
  const windows = trailingGrains.flatMap((grain) => {
    const days = TRAILING_DAYS[grain];
    const oldEnd = shiftDays(previous, 1);
    const newEnd = shiftDays(today, 1);
    return [
      { grain, os: shiftDays(oldEnd, -days), oe: oldEnd, ns: shiftDays(newEnd, -days), ne: newEnd },
      { grain, os: shiftDays(oldEnd, -2 * days), oe: shiftDays(oldEnd, -days), ns: shiftDays(newEnd, -2 * days), ne: shiftDays(newEnd, -days) },
    ];
  });
  const values = Prisma.sql`(VALUES ${Prisma.join(windows.map((w) => Prisma.sql`(${w.grain}::text, ${w.os}::date, ${w.oe}::date, ${w.ns}::date, ${w.ne}::date)`))}) AS v(grain, os, oe, ns, ne)`;
  // small temp tables with statistics, so the planner walks the facts by index (a generic plan
  // over parameters chose a scan of every fact: 33 s at 10 million orders instead of 4)
  await tx.$executeRaw`CREATE TEMP TABLE ar_w ON COMMIT DROP AS SELECT * FROM ${values}`;
  await tx.$executeRaw`
    CREATE TEMP TABLE ar_touched ON COMMIT DROP AS
    SELECT w.grain, w.os, f."customerId"
    FROM ar_w w JOIN "AnalyticsOrderFact" f ON f."programId" = ${programId} AND f."day" >= w.os AND f."day" < LEAST(w.ns, w.oe)
    UNION
    SELECT w.grain, w.os, f."customerId"
    FROM ar_w w JOIN "AnalyticsOrderFact" f ON f."programId" = ${programId} AND f."day" >= GREATEST(w.oe, w.ns) AND f."day" < w.ne`;
  await tx.$executeRaw`ANALYZE ar_w`;
  await tx.$executeRaw`ANALYZE ar_touched`;
  await tx.$executeRaw`
    CREATE TEMP TABLE ar_windows ON COMMIT DROP AS
    WITH counted AS (
      SELECT w.grain, w.os, s.segment, t."customerId",
        COUNT(*) FILTER (WHERE f."day" >= w.os AND f."day" < w.oe) AS n_old,
        COALESCE(SUM(f."netCents") FILTER (WHERE f."day" >= w.os AND f."day" < w.oe), 0) AS net_old,
        COUNT(*) FILTER (WHERE f."day" >= w.ns AND f."day" < w.ne) AS n_new,
        COALESCE(SUM(f."netCents") FILTER (WHERE f."day" >= w.ns AND f."day" < w.ne), 0) AS net_new
      FROM ar_touched t JOIN ar_w w ON w.grain = t.grain AND w.os = t.os
      JOIN "AnalyticsOrderFact" f ON f."customerId" = t."customerId" AND f."day" >= w.os AND f."day" < w.ne
      CROSS JOIN LATERAL unnest(hearth_analytics_segments(f."isMember", f."isRedeemer", f."tierId")) AS s(segment)
      GROUP BY 1, 2, 3, 4
    ),
    delta AS (
      SELECT grain, os, segment, SUM(n_new - n_old)::int AS orders, SUM(net_new - net_old)::bigint AS net,
        SUM((n_new > 0)::int - (n_old > 0)::int)::int AS customers, SUM((n_new >= 2)::int - (n_old >= 2)::int)::int AS repeaters
      FROM counted GROUP BY 1, 2, 3
    ),
    old AS (
      SELECT p."grain", p."periodStart" AS os, p."segment", p."orders", p."netCents", p."customers", p."repeatCustomers"
      FROM "AnalyticsPeriod" p JOIN ar_w w ON w.grain = p."grain" AND w.os = p."periodStart" WHERE p."programId" = ${programId}
    )
    SELECT w.grain, w.ns AS period_start, x.segment,
      (COALESCE(o."orders", 0) + COALESCE(d.orders, 0))::int AS orders, (COALESCE(o."netCents", 0) + COALESCE(d.net, 0))::bigint AS net,
      (COALESCE(o."customers", 0) + COALESCE(d.customers, 0))::int AS customers, (COALESCE(o."repeatCustomers", 0) + COALESCE(d.repeaters, 0))::int AS repeaters
    FROM ar_w w
    JOIN (SELECT grain, os, segment FROM old UNION SELECT grain, os, segment FROM delta) x ON x.grain = w.grain AND x.os = w.os
    LEFT JOIN old o ON o.grain = x.grain AND o.os = x.os AND o.segment = x.segment
    LEFT JOIN delta d ON d.grain = x.grain AND d.os = x.os AND d.segment = x.segment`;
  await tx.$executeRaw`DELETE FROM "AnalyticsPeriod" WHERE "programId" = ${programId} AND "grain" IN ('t30', 't90', 't365')`;
  await tx.$executeRaw`
    INSERT INTO "AnalyticsPeriod" ("programId", "grain", "periodStart", "segment", "orders", "netCents", "customers", "repeatCustomers")
    SELECT ${programId}, grain, period_start, segment, orders, net, customers, repeaters FROM ar_windows WHERE orders <> 0 OR customers <> 0`;
  await tx.$executeRaw`DROP TABLE ar_windows, ar_touched, ar_w`;
}

/** Moves the customers whose days since their last order crossed a recency bound between the two days. */
async function shiftRfInTx(tx: Tx, programId: number, previous: string, today: string) {
  const bounds = [30, 90, 180, 365];
  const crossed = Prisma.join(bounds.map((bound) => Prisma.sql`(a."lastDay" >= ${shiftDays(previous, -bound)}::date AND a."lastDay" < ${shiftDays(today, -bound)}::date)`), " OR ");
  await stageRfTables(tx);
  await stageRf(tx, programId, previous, Prisma.sql`(${crossed})`, -1);
  await stageRf(tx, programId, today, Prisma.sql`(${crossed})`, 1);
  await applyRf(tx, programId);
}

/** Folds one batch of queued changes; returns how many queue rows it took. */
async function foldBatchInTx(tx: Tx, clock: ProgramClock, today: string, now: Date): Promise<number> {
  const { programId } = clock;
  await tx.$executeRaw`CREATE TEMP TABLE af_claim ("orderId" int, "customerId" int, "since" timestamp(3)) ON COMMIT DROP`;
  const claimed = await tx.$executeRaw`
    WITH taken AS (
      DELETE FROM "AnalyticsChange" WHERE "id" IN (SELECT "id" FROM "AnalyticsChange" WHERE "programId" = ${programId} ORDER BY "id" LIMIT ${FOLD_BATCH})
      RETURNING "orderId", "customerId", "since")
    INSERT INTO af_claim SELECT * FROM taken`;
  if (claimed === 0) {
    await tx.$executeRaw`DROP TABLE af_claim`;
    return 0;
  }
  await tx.$executeRaw`
    CREATE TEMP TABLE af_orders ON COMMIT DROP AS
    SELECT "orderId" AS "id" FROM af_claim WHERE "orderId" IS NOT NULL
    UNION
    SELECT o."id" FROM af_claim c JOIN "Order" o ON o."customerId" = c."customerId" AND o."placedAt" >= c."since" WHERE c."customerId" IS NOT NULL`;
  await tx.$executeRaw`
    CREATE TEMP TABLE af_new ON COMMIT DROP AS
    SELECT facts.* FROM (${factsSelect(clock, Prisma.sql`o."id" IN (SELECT "id" FROM af_orders)`)}) facts`;
  await tx.$executeRaw`
    CREATE TEMP TABLE af_old ON COMMIT DROP AS
    SELECT f."orderId", f."customerId", f."day", f."netCents", f."isMember", f."isRedeemer", f."tierId"
    FROM "AnalyticsOrderFact" f WHERE f."orderId" IN (SELECT "id" FROM af_orders)`;
  // per customer, population and period: the change, and that customer's count before it
  await tx.$executeRaw`
    CREATE TEMP TABLE af_delta ON COMMIT DROP AS
    WITH changed AS (
      SELECT n."customerId", n."day", n."netCents", n."isMember", n."isRedeemer", n."tierId", 1 AS sign,
        EXISTS (SELECT 1 FROM af_old o WHERE o."orderId" = n."orderId") AS restates
      FROM af_new n
      UNION ALL
      SELECT o."customerId", o."day", o."netCents", o."isMember", o."isRedeemer", o."tierId", -1, TRUE FROM af_old o
    ),
    keyed AS (
      SELECT c."customerId", s.segment, p.grain, p.period_start, p.period_end,
        SUM(c.sign)::int AS dn, SUM(c.sign * c."netCents")::bigint AS dnet, bool_or(c.restates) AS restates
      FROM changed c
      CROSS JOIN LATERAL unnest(hearth_analytics_segments(c."isMember", c."isRedeemer", c."tierId")) AS s(segment)
      CROSS JOIN LATERAL (
        SELECT d.grain, d.period_start, d.period_end FROM hearth_analytics_periods(c."day") d
        UNION ALL
        SELECT w.grain, w.period_start, w.period_end FROM ${windowsSql(today)} WHERE c."day" >= w.period_start AND c."day" < w.period_end
      ) AS p
      GROUP BY 1, 2, 3, 4, 5
    ),
    counted AS (
      SELECT k.*, (
        SELECT COUNT(*) FROM "AnalyticsOrderFact" f
        WHERE f."customerId" = k."customerId" AND f."day" >= k.period_start AND f."day" < k.period_end
          AND k.segment = ANY (hearth_analytics_segments(f."isMember", f."isRedeemer", f."tierId"))
      )::int AS before
      FROM keyed k
    )
    SELECT grain, period_start, period_end, segment, SUM(dn)::int AS orders, SUM(dnet)::bigint AS net,
      SUM(((before + dn) > 0)::int - (before > 0)::int)::int AS customers,
      SUM(((before + dn) >= 2)::int - (before >= 2)::int)::int AS repeaters,
      bool_or(restates AND (dn <> 0 OR dnet <> 0)) AS restates
    FROM counted GROUP BY grain, period_start, period_end, segment`;
  // cohorts: each affected customer's whole contribution is taken out as it was folded...
  await tx.$executeRaw`
    CREATE TEMP TABLE af_customers ON COMMIT DROP AS
    SELECT "customerId" FROM af_new UNION SELECT "customerId" FROM af_old UNION SELECT "customerId" FROM af_claim WHERE "customerId" IS NOT NULL`;
  await tx.$executeRaw`
    CREATE TEMP TABLE af_cohort ON COMMIT DROP AS
    SELECT kind, segment, cohort, month_offset, -customers AS customers, -net AS net
    FROM (${cohortContributions(
      Prisma.sql`SELECT * FROM "AnalyticsOrderFact" WHERE "customerId" IN (SELECT "customerId" FROM af_customers)`,
      Prisma.sql`SELECT "customerId", "firstMonth", "joinMonth" FROM "AnalyticsCustomer" WHERE "customerId" IN (SELECT "customerId" FROM af_customers)`,
    )}) c`;
  // gaps between the affected customers' order days: out as they were...
  await tx.$executeRaw`
    CREATE TEMP TABLE af_gaps ON COMMIT DROP AS
    SELECT segment, kind, p, n, -1 AS sign, weight
    FROM (${gapsOf(Prisma.sql`SELECT * FROM "AnalyticsOrderFact" WHERE "customerId" IN (SELECT "customerId" FROM af_customers)`)}) g`;
  await tx.$executeRaw`
    DELETE FROM "AnalyticsOrderFact" f WHERE f."orderId" IN (SELECT "id" FROM af_orders) AND f."orderId" NOT IN (SELECT "orderId" FROM af_new)`;
  await tx.$executeRaw`
    INSERT INTO "AnalyticsOrderFact" ("orderId", "customerId", "day", "netCents", "isMember", "isRedeemer", "tierId", "programId")
    SELECT n."orderId", n."customerId", n."day", n."netCents", n."isMember", n."isRedeemer", n."tierId", ${programId} FROM af_new n
    ON CONFLICT ("orderId") DO UPDATE SET "customerId" = EXCLUDED."customerId", "day" = EXCLUDED."day", "netCents" = EXCLUDED."netCents",
      "isMember" = EXCLUDED."isMember", "isRedeemer" = EXCLUDED."isRedeemer", "tierId" = EXCLUDED."tierId"`;
  // ...and in as they are now; only the difference reaches the cells
  await tx.$executeRaw`
    INSERT INTO af_gaps SELECT segment, kind, p, n, 1, weight
    FROM (${gapsOf(Prisma.sql`SELECT * FROM "AnalyticsOrderFact" WHERE "customerId" IN (SELECT "customerId" FROM af_customers)`)}) g`;
  await applyGapChanges(tx, programId, Prisma.sql`
    SELECT segment, kind, p, n, SUM(sign)::int AS gaps, SUM(sign * weight)::int AS weight FROM af_gaps
    GROUP BY segment, kind, p, n HAVING SUM(sign) <> 0`);
  // ...and put back as it is now (the grid likewise: out as stored, back as recomputed)
  await stageRfTables(tx);
  await stageRf(tx, programId, today, Prisma.sql`a."customerId" IN (SELECT "customerId" FROM af_customers)`, -1);
  await tx.$executeRaw`DELETE FROM "AnalyticsCustomer" WHERE "customerId" IN (SELECT "customerId" FROM af_customers)`;
  await tx.$executeRaw`
    INSERT INTO "AnalyticsCustomer" ${CUSTOMER_COLUMNS}
    SELECT st.*, ${programId} FROM (${cohortStateNow(clock, Prisma.sql`c."id" IN (SELECT "customerId" FROM af_customers)`)}) st
    WHERE st."firstMonth" IS NOT NULL OR st."joinMonth" IS NOT NULL`;
  await tx.$executeRaw`DELETE FROM "AnalyticsCustomerCategory" WHERE "customerId" IN (SELECT "customerId" FROM af_customers)`;
  await tx.$executeRaw`
    INSERT INTO "AnalyticsCustomerCategory" ("customerId", "category", "netCents", "programId")
    SELECT k.*, ${programId} FROM (${categorySpendNow(clock, Prisma.sql`o."customerId" IN (SELECT "customerId" FROM af_customers)`)}) k`;
  await stageRf(tx, programId, today, Prisma.sql`a."customerId" IN (SELECT "customerId" FROM af_customers)`, 1);
  await applyRf(tx, programId);
  await tx.$executeRaw`
    INSERT INTO af_cohort
    SELECT kind, segment, cohort, month_offset, customers, net
    FROM (${cohortContributions(
      Prisma.sql`SELECT * FROM "AnalyticsOrderFact" WHERE "customerId" IN (SELECT "customerId" FROM af_customers)`,
      Prisma.sql`SELECT "customerId", "firstMonth", "joinMonth" FROM "AnalyticsCustomer" WHERE "customerId" IN (SELECT "customerId" FROM af_customers)`,
    )}) c`;
  await tx.$executeRaw`
    INSERT INTO "AnalyticsCohort" ("programId", "kind", "segment", "cohortMonth", "monthOffset", "customers", "netCents")
    SELECT ${programId}, kind, segment, cohort, month_offset, SUM(customers)::int, SUM(net)::bigint FROM af_cohort
    GROUP BY kind, segment, cohort, month_offset HAVING SUM(customers) <> 0 OR SUM(net) <> 0
    ON CONFLICT ("programId", "kind", "segment", "cohortMonth", "monthOffset") DO UPDATE SET
      "customers" = "AnalyticsCohort"."customers" + EXCLUDED."customers", "netCents" = "AnalyticsCohort"."netCents" + EXCLUDED."netCents"`;
  await tx.$executeRaw`
    DELETE FROM "AnalyticsCohort" c USING (SELECT DISTINCT kind, segment, cohort, month_offset FROM af_cohort) d
    WHERE c."programId" = ${programId} AND c."kind" = d.kind AND c."segment" = d.segment AND c."cohortMonth" = d.cohort
      AND c."monthOffset" = d.month_offset AND c."customers" = 0 AND c."netCents" = 0`;
  await tx.$executeRaw`
    INSERT INTO "AnalyticsPeriod" ("programId", "grain", "periodStart", "segment", "orders", "netCents", "customers", "repeatCustomers", "restatedAt")
    SELECT ${programId}, d.grain, d.period_start, d.segment, d.orders, d.net, d.customers, d.repeaters,
      CASE WHEN d.restates AND d.period_end <= ${today}::date THEN ${now}::timestamp END
    FROM af_delta d WHERE d.orders <> 0 OR d.net <> 0 OR d.customers <> 0 OR d.repeaters <> 0 OR d.restates
    ON CONFLICT ("programId", "grain", "periodStart", "segment") DO UPDATE SET
      "orders" = "AnalyticsPeriod"."orders" + EXCLUDED."orders",
      "netCents" = "AnalyticsPeriod"."netCents" + EXCLUDED."netCents",
      "customers" = "AnalyticsPeriod"."customers" + EXCLUDED."customers",
      "repeatCustomers" = "AnalyticsPeriod"."repeatCustomers" + EXCLUDED."repeatCustomers",
      "restatedAt" = COALESCE(EXCLUDED."restatedAt", "AnalyticsPeriod"."restatedAt")`;
  // a population that no longer has any order in a period leaves no row behind
  await tx.$executeRaw`
    DELETE FROM "AnalyticsPeriod" p USING af_delta d
    WHERE p."programId" = ${programId} AND p."grain" = d.grain AND p."periodStart" = d.period_start AND p."segment" = d.segment
      AND p."orders" = 0 AND p."customers" = 0 AND p."restatedAt" IS NULL`;
  await tx.$executeRaw`DROP TABLE af_claim, af_orders, af_new, af_old, af_delta, af_customers, af_cohort, af_gaps`;
  return claimed;
}

const NEVER = "9999-12-31";

/**
 * Money rollups from a set of point changes (`changes`: kind, detail, earnedAt, availableAt,
 * expiresAt, at, points): outstanding points by (earned, available, expires) day, system-account
 * postings by month, and what was earned and later left the lots by earning month.
 */
async function applyPointChanges(tx: Tx, clock: ProgramClock, changes: Prisma.Sql) {
  const { programId, timeZone } = clock;
  await tx.$executeRaw`
    INSERT INTO "AnalyticsLotBalance" ("programId", "earnedOn", "availableOn", "expiresOn", "points")
    SELECT ${programId}, ${localDaySql(Prisma.sql`c."earnedAt"`, timeZone)}, ${localDaySql(Prisma.sql`c."availableAt"`, timeZone)},
      COALESCE(${localDaySql(Prisma.sql`c."expiresAt"`, timeZone)}, ${NEVER}::date), SUM(c."points")
    FROM (${changes}) c WHERE c."kind" = 'BALANCE' GROUP BY 2, 3, 4
    ON CONFLICT ("programId", "earnedOn", "availableOn", "expiresOn") DO UPDATE SET "points" = "AnalyticsLotBalance"."points" + EXCLUDED."points"`;
  await tx.$executeRaw`DELETE FROM "AnalyticsLotBalance" WHERE "programId" = ${programId} AND "points" = 0`;
  await tx.$executeRaw`
    INSERT INTO "AnalyticsPointsFlow" ("programId", "month", "account", "points")
    SELECT ${programId}, ${localMonthSql(Prisma.sql`c."at"`, timeZone)}, c."detail", SUM(c."points")
    FROM (${changes}) c WHERE c."kind" = 'POSTING' GROUP BY 2, 3
    ON CONFLICT ("programId", "month", "account") DO UPDATE SET "points" = "AnalyticsPointsFlow"."points" + EXCLUDED."points"`;
  await tx.$executeRaw`
    INSERT INTO "AnalyticsLotFlow" ("programId", "earnMonth", "flowMonth", "flow", "points")
    SELECT ${programId}, ${localMonthSql(Prisma.sql`c."earnedAt"`, timeZone)},
      CASE WHEN c."kind" = 'EARNED' THEN ${localMonthSql(Prisma.sql`c."earnedAt"`, timeZone)} ELSE ${localMonthSql(Prisma.sql`c."at"`, timeZone)} END,
      CASE WHEN c."kind" = 'EARNED' THEN 'EARNED' ELSE c."detail" END, SUM(c."points")
    FROM (${changes}) c WHERE c."kind" IN ('EARNED', 'OUTFLOW') GROUP BY 2, 3, 4
    ON CONFLICT ("programId", "earnMonth", "flowMonth", "flow") DO UPDATE SET "points" = "AnalyticsLotFlow"."points" + EXCLUDED."points"`;
  // a change and its reversal in the same month (a redemption cancelled) leave no row behind
  await tx.$executeRaw`DELETE FROM "AnalyticsPointsFlow" WHERE "programId" = ${programId} AND "points" = 0`;
  await tx.$executeRaw`DELETE FROM "AnalyticsLotFlow" WHERE "programId" = ${programId} AND "points" = 0`;
}

/** The money rollups recomputed from the ledger itself (lots, consumptions, system-account entries). */
async function rebuildPointsInTx(tx: Tx, clock: ProgramClock) {
  const { programId } = clock;
  await tx.$executeRaw`DELETE FROM "AnalyticsPointsChange" WHERE "programId" = ${programId}`;
  await tx.$executeRaw`DELETE FROM "AnalyticsLotBalance" WHERE "programId" = ${programId}`;
  await tx.$executeRaw`DELETE FROM "AnalyticsPointsFlow" WHERE "programId" = ${programId}`;
  await tx.$executeRaw`DELETE FROM "AnalyticsLotFlow" WHERE "programId" = ${programId}`;
  await applyPointChanges(tx, clock, Prisma.sql`
    SELECT 'BALANCE' AS "kind", NULL::text AS "detail", l."createdAt" AS "earnedAt", l."availableAt", l."expiresAt", NULL::timestamp AS "at", l."remaining" AS "points"
    FROM "PointLot" l JOIN "LedgerAccount" a ON a."id" = l."accountId" WHERE a."programId" = ${programId} AND l."remaining" <> 0
    UNION ALL
    SELECT 'EARNED', NULL, l."createdAt", NULL, NULL, NULL, l."amount"
    FROM "PointLot" l JOIN "LedgerAccount" a ON a."id" = l."accountId" WHERE a."programId" = ${programId} AND l."amount" <> 0
    UNION ALL
    SELECT 'OUTFLOW', t."kind"::text, l."createdAt", NULL, NULL, t."createdAt", c."amount"
    FROM "LotConsumption" c JOIN "PointLot" l ON l."id" = c."lotId" JOIN "LedgerTransaction" t ON t."id" = c."transactionId"
    WHERE t."programId" = ${programId} AND c."amount" <> 0
    UNION ALL
    SELECT 'POSTING', a."kind"::text, NULL, NULL, NULL, t."createdAt", CASE WHEN a."kind" = 'ISSUED' THEN -e."amount" ELSE e."amount" END
    FROM "LedgerEntry" e JOIN "LedgerAccount" a ON a."id" = e."accountId" JOIN "LedgerTransaction" t ON t."id" = e."transactionId"
    WHERE a."programId" = ${programId} AND a."kind" <> 'MEMBER' AND e."amount" <> 0`);
}

/** Folds one batch of queued point changes into the money rollups; returns how many it took. */
async function foldPointsBatchInTx(tx: Tx, clock: ProgramClock): Promise<number> {
  await tx.$executeRaw`
    CREATE TEMP TABLE ap_claim ("kind" text, "detail" text, "earnedAt" timestamp(3), "availableAt" timestamp(3), "expiresAt" timestamp(3), "at" timestamp(3), "points" int) ON COMMIT DROP`;
  const claimed = await tx.$executeRaw`
    WITH taken AS (
      DELETE FROM "AnalyticsPointsChange" WHERE "id" IN (SELECT "id" FROM "AnalyticsPointsChange" WHERE "programId" = ${clock.programId} ORDER BY "id" LIMIT ${FOLD_BATCH * 5})
      RETURNING "kind", "detail", "earnedAt", "availableAt", "expiresAt", "at", "points")
    INSERT INTO ap_claim SELECT * FROM taken`;
  if (claimed > 0) await applyPointChanges(tx, clock, Prisma.sql`SELECT * FROM ap_claim`);
  await tx.$executeRaw`DROP TABLE ap_claim`;
  return claimed;
}

/** Reward rollup rows from redemption changes (`changes`: rewardId, redeemedAt, redemptions, cancelled, used, points). */
async function applyRewardChanges(tx: Tx, clock: ProgramClock, changes: Prisma.Sql) {
  await tx.$executeRaw`
    INSERT INTO "AnalyticsReward" ("programId", "rewardId", "month", "redemptions", "cancelled", "used", "points")
    SELECT ${clock.programId}, c."rewardId", ${localMonthSql(Prisma.sql`c."redeemedAt"`, clock.timeZone)},
      SUM(c."redemptions")::int, SUM(c."cancelled")::int, SUM(c."used")::int, SUM(c."points")::bigint
    FROM (${changes}) c GROUP BY 2, 3
    ON CONFLICT ("programId", "rewardId", "month") DO UPDATE SET
      "redemptions" = "AnalyticsReward"."redemptions" + EXCLUDED."redemptions", "cancelled" = "AnalyticsReward"."cancelled" + EXCLUDED."cancelled",
      "used" = "AnalyticsReward"."used" + EXCLUDED."used", "points" = "AnalyticsReward"."points" + EXCLUDED."points"`;
}

async function rebuildRewardsInTx(tx: Tx, clock: ProgramClock) {
  const { programId } = clock;
  await tx.$executeRaw`DELETE FROM "AnalyticsRewardChange" WHERE "programId" = ${programId}`;
  await tx.$executeRaw`DELETE FROM "AnalyticsReward" WHERE "programId" = ${programId}`;
  await applyRewardChanges(tx, clock, Prisma.sql`
    SELECT r."rewardId", r."createdAt" AS "redeemedAt", 1 AS "redemptions", (r."status" = 'CANCELLED')::int AS "cancelled",
      (r."status" = 'USED')::int AS "used", CASE WHEN r."status" = 'CANCELLED' THEN 0 ELSE r."pointsSpent" END AS "points"
    FROM "Redemption" r JOIN "Reward" w ON w."id" = r."rewardId" WHERE w."programId" = ${programId}`);
}

async function foldRewardsBatchInTx(tx: Tx, clock: ProgramClock): Promise<number> {
  await tx.$executeRaw`
    CREATE TEMP TABLE ar_claim ("rewardId" int, "redeemedAt" timestamp(3), "redemptions" int, "cancelled" int, "used" int, "points" int) ON COMMIT DROP`;
  const claimed = await tx.$executeRaw`
    WITH taken AS (
      DELETE FROM "AnalyticsRewardChange" WHERE "id" IN (SELECT "id" FROM "AnalyticsRewardChange" WHERE "programId" = ${clock.programId} ORDER BY "id" LIMIT ${FOLD_BATCH * 5})
      RETURNING "rewardId", "redeemedAt", "redemptions", "cancelled", "used", "points")
    INSERT INTO ar_claim SELECT * FROM taken`;
  if (claimed > 0) await applyRewardChanges(tx, clock, Prisma.sql`SELECT * FROM ar_claim`);
  await tx.$executeRaw`DROP TABLE ar_claim`;
  return claimed;
}

async function programClock(programId: number): Promise<ProgramClock> {
  const program = await prisma.program.findUniqueOrThrow({ where: { id: programId }, select: { id: true, timeZone: true, currency: true } });
  return { programId: program.id, timeZone: program.timeZone, currency: program.currency };
}

type FoldResult = { folded: number; rebuilt: boolean; reanchored: boolean; skipped: boolean };

/**
 * Brings the program's rollups up to date: a full rebuild when they were never built or the time
 * zone changed, new trailing windows when the local day changed, then the queued changes in
 * batches (each batch its own transaction). Only one process folds a program at a time
 * (an advisory lock); another caller returns at once with `skipped`.
 */
export async function foldAnalytics({ programId, now = new Date(), budgetMs = FOLD_BUDGET_MS }: { programId: number; now?: Date; budgetMs?: number }): Promise<FoldResult> {
  const clock = await programClock(programId);
  const today = localDay(now, clock.timeZone);
  const started = Date.now();
  const result: FoldResult = { folded: 0, rebuilt: false, reanchored: false, skipped: false };
  for (;;) {
    const step = await prisma.$transaction(async (tx) => {
      const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(hashtext('hearth.analytics'), ${programId}) AS "locked"`;
      if (!locked) return "skipped" as const;
      const state = await tx.$queryRaw<{ timeZone: string; trailingAnchor: Date | null }[]>`
        SELECT "timeZone", "trailingAnchor" FROM "AnalyticsState" WHERE "programId" = ${programId}`;
      if (state.length === 0 || state[0].timeZone !== clock.timeZone) {
        await rebuildInTx(tx, clock, today, now);
        return "rebuilt" as const;
      }
      if (!state[0].trailingAnchor || state[0].trailingAnchor.toISOString().slice(0, 10) !== today) {
        await reanchorInTx(tx, programId, state[0].trailingAnchor?.toISOString().slice(0, 10) ?? null, today);
        result.reanchored = true;
      }
      const folded = await foldBatchInTx(tx, clock, today, now);
      const points = await foldPointsBatchInTx(tx, clock);
      const rewards = await foldRewardsBatchInTx(tx, clock);
      await tx.$executeRaw`UPDATE "AnalyticsState" SET "refreshedAt" = ${now} WHERE "programId" = ${programId}`;
      return { folded, more: folded === FOLD_BATCH || points === FOLD_BATCH * 5 || rewards === FOLD_BATCH * 5 };
    }, ROLLUP_TX);
    if (step === "skipped") return { ...result, skipped: true };
    if (step === "rebuilt") {
      result.rebuilt = true;
      return result;
    }
    result.folded += step.folded;
    if (!step.more || Date.now() - started > budgetMs) return result;
  }
}

/** Recomputes every rollup of the program from the raw orders, whatever their state. */
export async function rebuildAnalytics({ programId, now = new Date() }: { programId: number; now?: Date }) {
  const clock = await programClock(programId);
  const today = localDay(now, clock.timeZone);
  await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('hearth.analytics'), ${programId})`;
    await rebuildInTx(tx, clock, today, now);
  }, ROLLUP_TX);
}
