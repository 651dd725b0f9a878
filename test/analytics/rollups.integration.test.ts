import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import { Prisma } from "@/lib/db/generated/client";
import { prisma } from "@/lib/db/prisma";
import { countsFromFacts, orderNetCents, orderSegments, type OrderFact, type Segment } from "@/lib/domain/analytics";
import { calendarGrains, calendarPeriod, localDay, previousPeriod, shiftDays, trailingGrains, trailingPeriod, type Period } from "@/lib/domain/analytics-periods";
import { monthsBetween } from "@/lib/domain/cohorts";
import { foldAnalytics, rebuildAnalytics } from "@/lib/services/analytics-rollups";
import { rangeCounts } from "@/lib/db/analytics-reads";
import { enrollCustomer } from "@/lib/services/enroll-customer";
import { expireDuePoints } from "@/lib/services/expire-points";
import { recordOrder } from "@/lib/services/record-order";
import { cancelOrderInTx, recordReturn } from "@/lib/services/record-return";
import { redeemReward } from "@/lib/services/redeem-reward";
import { cancelRedemption, markRedemptionUsed } from "@/lib/services/redemption-status";
import { frequencyScore, recencyScore } from "@/lib/domain/best-customers";
import { daysBetween } from "@/lib/domain/analytics-periods";
import { createCustomer, createProgram, createReward, uniqueId } from "@/test/fixtures";

// The analytics store on real PostgreSQL: after random orders (some reported late), returns,
// cancellations, enrolments (guests who join later), redemptions and tier moves, the period and
// cohort rollups
// the fold maintained equal a full recomputation from the raw rows, computed here in
// TypeScript by the definitions in docs/analytics.md, and equal what a rebuild produces.

afterAll(async () => {
  await prisma.$disconnect();
});

const DAY = 86_400_000;

type Raw = Awaited<ReturnType<typeof loadRaw>>;

async function loadRaw(programId: number) {
  const [program, orders, customers, redemptions, tierChanges] = await Promise.all([
    prisma.program.findUniqueOrThrow({ where: { id: programId }, select: { timeZone: true, currency: true } }),
    prisma.order.findMany({ where: { programId }, select: { id: true, customerId: true, placedAt: true, totalCents: true, shippingCents: true, returnedCents: true, cancelledAt: true, currency: true, isMemberOrder: true } }),
    prisma.customer.findMany({ where: { programId }, select: { id: true, enrolledAt: true } }),
    prisma.redemption.findMany({ where: { customer: { programId } }, select: { customerId: true, createdAt: true } }),
    prisma.tierChange.findMany({ where: { programId }, select: { id: true, customerId: true, createdAt: true, toTierId: true } }),
  ]);
  return { program, orders, customers, redemptions, tierChanges };
}

/** The facts by the definitions, from raw rows only. */
function referenceFacts(raw: Raw): OrderFact[] {
  const enrolled = new Map(raw.customers.map((customer) => [customer.id, customer.enrolledAt]));
  return raw.orders
    .filter((order) => order.cancelledAt === null && order.currency === raw.program.currency)
    .map((order) => {
      const joinedAt = enrolled.get(order.customerId) ?? null;
      const isMember = joinedAt !== null && joinedAt <= order.placedAt;
      expect(order.isMemberOrder, `order ${order.id}: stored member flag`).toBe(isMember);
      const isRedeemer = isMember && raw.redemptions.some((r) => r.customerId === order.customerId && r.createdAt < order.placedAt);
      const tier = raw.tierChanges
        .filter((change) => change.customerId === order.customerId && change.createdAt <= order.placedAt)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id)
        .at(-1);
      return {
        customerId: order.customerId,
        day: localDay(order.placedAt, raw.program.timeZone),
        netCents: orderNetCents(order),
        isMember,
        isRedeemer,
        tierId: isMember ? (tier?.toTierId ?? null) : null,
      };
    });
}

function key(grain: string, start: string, segment: string) {
  return `${grain}|${start}|${segment}`;
}

/** Every period row the definitions imply: calendar periods with orders, and today's trailing windows. */
function expectedRows(facts: OrderFact[], today: string) {
  const periods = new Map<string, Period>();
  for (const fact of facts) for (const grain of calendarGrains) periods.set(key(grain, calendarPeriod(grain, fact.day).start, ""), calendarPeriod(grain, fact.day));
  for (const grain of trailingGrains) {
    const current = trailingPeriod(grain, today);
    periods.set(key(grain, current.start, ""), current);
    periods.set(key(grain, previousPeriod(current).start, ""), previousPeriod(current));
  }
  const segments = new Set<Segment>(facts.flatMap((fact) => orderSegments(fact)));
  const rows = new Map<string, { orders: number; netCents: number; customers: number; repeatCustomers: number }>();
  for (const period of periods.values()) {
    for (const segment of segments) {
      const counts = countsFromFacts({ facts, start: period.start, end: period.end, segment });
      if (counts.orders > 0) rows.set(key(period.grain, period.start, segment), counts);
    }
  }
  return rows;
}

async function actualRows(programId: number) {
  const rows = await prisma.analyticsPeriod.findMany({ where: { programId } });
  return new Map(
    rows
      .filter((row) => row.orders !== 0 || row.customers !== 0 || row.netCents !== 0n || row.repeatCustomers !== 0)
      .map((row) => [key(row.grain, row.periodStart.toISOString().slice(0, 10), row.segment), { orders: row.orders, netCents: Number(row.netCents), customers: row.customers, repeatCustomers: row.repeatCustomers }]),
  );
}

function monthOf(day: string) {
  return `${day.slice(0, 7)}-01`;
}

/** Cohort rows by the definitions: size (offset -1), then customers ordering and their net revenue per month offset. */
function expectedCohorts(raw: Raw) {
  const facts = referenceFacts(raw);
  const rows = new Map<string, { customers: number; netCents: number }>();
  const add = (kind: string, segment: string, cohort: string, offset: number, customers: number, netCents: number) => {
    const rowKey = `${kind}|${segment}|${cohort}|${offset}`;
    const row = rows.get(rowKey) ?? { customers: 0, netCents: 0 };
    rows.set(rowKey, { customers: row.customers + customers, netCents: row.netCents + netCents });
  };
  for (const customer of raw.customers) {
    const own = facts.filter((fact) => fact.customerId === customer.id);
    const joinMonth = customer.enrolledAt ? monthOf(localDay(customer.enrolledAt, raw.program.timeZone)) : null;
    const byMonth = (list: OrderFact[]) => {
      const months = new Map<string, number>();
      for (const fact of list) months.set(monthOf(fact.day), (months.get(monthOf(fact.day)) ?? 0) + fact.netCents);
      return months;
    };
    if (own.length > 0) {
      const first = monthOf(own.map((fact) => fact.day).sort()[0]);
      for (const segment of ["all", joinMonth ? "joined" : "neverJoined"]) {
        add("first", segment, first, -1, 1, 0);
        for (const [month, net] of byMonth(own)) add("first", segment, first, monthsBetween(first, month), 1, net);
      }
    }
    if (joinMonth) {
      add("join", "members", joinMonth, -1, 1, 0);
      for (const [month, net] of byMonth(own.filter((fact) => fact.isMember))) if (month >= joinMonth) add("join", "members", joinMonth, monthsBetween(joinMonth, month), 1, net);
    }
  }
  return rows;
}

async function expectCohortsMatch(programId: number, label: string) {
  const expected = expectedCohorts(await loadRaw(programId));
  const stored = await prisma.analyticsCohort.findMany({ where: { programId } });
  const actual = new Map(stored.map((row) => [`${row.kind}|${row.segment}|${row.cohortMonth.toISOString().slice(0, 10)}|${row.monthOffset}`, { customers: row.customers, netCents: Number(row.netCents) }]));
  const diff: string[] = [];
  for (const [rowKey, value] of expected) if (JSON.stringify(actual.get(rowKey)) !== JSON.stringify(value)) diff.push(`${rowKey}: expected ${JSON.stringify(value)} got ${JSON.stringify(actual.get(rowKey))}`);
  for (const [rowKey, value] of actual) if (!expected.has(rowKey)) diff.push(`${rowKey}: unexpected ${JSON.stringify(value)}`);
  expect(diff.slice(0, 10), `${label}: ${diff.length} cohort rows differ`).toEqual([]);
}

/** The money rollups against the same groupings computed straight from the ledger's tables. */
async function expectPointsMatch(programId: number, label: string) {
  const { timeZone } = await prisma.program.findUniqueOrThrow({ where: { id: programId }, select: { timeZone: true } });
  const local = (column: string) => Prisma.raw(`((${column} AT TIME ZONE 'UTC') AT TIME ZONE '${timeZone}')`);
  const compare = async (name: string, expected: { key: string; points: bigint }[], actual: { key: string; points: bigint }[]) => {
    const e = new Map(expected.filter((row) => row.points !== 0n).map((row) => [row.key, row.points]));
    const a = new Map(actual.map((row) => [row.key, row.points]));
    const diff = [...new Set([...e.keys(), ...a.keys()])].filter((key) => e.get(key) !== a.get(key)).map((key) => `${key}: expected ${e.get(key)} got ${a.get(key)}`);
    expect(diff.slice(0, 8), `${label}: ${name}`).toEqual([]);
  };
  await compare(
    "outstanding lots",
    await prisma.$queryRaw`SELECT ${local('l."createdAt"')}::date::text || '|' || ${local('l."availableAt"')}::date::text || '|' || COALESCE(${local('l."expiresAt"')}::date::text, '9999-12-31') AS "key", SUM(l."remaining")::bigint AS "points"
      FROM "PointLot" l JOIN "LedgerAccount" a ON a."id" = l."accountId" WHERE a."programId" = ${programId} GROUP BY 1`,
    await prisma.$queryRaw`SELECT "earnedOn"::text || '|' || "availableOn"::text || '|' || "expiresOn"::text AS "key", "points" FROM "AnalyticsLotBalance" WHERE "programId" = ${programId}`,
  );
  await compare(
    "system-account postings by month",
    await prisma.$queryRaw`SELECT date_trunc('month', ${local('t."createdAt"')})::date::text || '|' || a."kind"::text AS "key", SUM(CASE WHEN a."kind" = 'ISSUED' THEN -e."amount" ELSE e."amount" END)::bigint AS "points"
      FROM "LedgerEntry" e JOIN "LedgerAccount" a ON a."id" = e."accountId" JOIN "LedgerTransaction" t ON t."id" = e."transactionId"
      WHERE a."programId" = ${programId} AND a."kind" <> 'MEMBER' GROUP BY 1`,
    await prisma.$queryRaw`SELECT "month"::text || '|' || "account" AS "key", "points" FROM "AnalyticsPointsFlow" WHERE "programId" = ${programId}`,
  );
  await compare(
    "lot flows by earning month",
    await prisma.$queryRaw`
      SELECT date_trunc('month', ${local('l."createdAt"')})::date::text || '|' || date_trunc('month', ${local('l."createdAt"')})::date::text || '|EARNED' AS "key", SUM(l."amount")::bigint AS "points"
      FROM "PointLot" l JOIN "LedgerAccount" a ON a."id" = l."accountId" WHERE a."programId" = ${programId} GROUP BY 1
      UNION ALL
      SELECT date_trunc('month', ${local('l."createdAt"')})::date::text || '|' || date_trunc('month', ${local('t."createdAt"')})::date::text || '|' || t."kind"::text, SUM(c."amount")::bigint
      FROM "LotConsumption" c JOIN "PointLot" l ON l."id" = c."lotId" JOIN "LedgerTransaction" t ON t."id" = c."transactionId" WHERE t."programId" = ${programId} GROUP BY 1`,
    await prisma.$queryRaw`SELECT "earnMonth"::text || '|' || "flowMonth"::text || '|' || "flow" AS "key", "points" FROM "AnalyticsLotFlow" WHERE "programId" = ${programId}`,
  );
}

/**
 * The best-customers grid and category spend against the definitions computed here from raw
 * orders and lines (scores by the TypeScript bounds, so the SQL functions are checked too), and
 * the reward rollup against the redemptions.
 */
async function expectCustomersMatch(programId: number, now: Date, label: string) {
  const raw = await loadRaw(programId);
  const today = localDay(now, raw.program.timeZone);
  const lines = await prisma.orderLine.findMany({ where: { order: { programId } }, select: { orderId: true, category: true, quantity: true, returnedQuantity: true, unitPriceCents: true } });
  const counted = new Map(raw.orders.filter((order) => order.cancelledAt === null && order.currency === raw.program.currency).map((order) => [order.id, order]));
  const perCustomer = new Map<number, { orders: number; net: number; last: string }>();
  for (const order of counted.values()) {
    const day = localDay(order.placedAt, raw.program.timeZone);
    const row = perCustomer.get(order.customerId) ?? { orders: 0, net: 0, last: day };
    perCustomer.set(order.customerId, { orders: row.orders + 1, net: row.net + orderNetCents(order), last: day > row.last ? day : row.last });
  }
  const enrolled = new Map(raw.customers.map((customer) => [customer.id, customer.enrolledAt !== null]));
  const cellOf = (customerId: number) => {
    const row = perCustomer.get(customerId);
    return row ? `${recencyScore(daysBetween(row.last, today))}|${frequencyScore(row.orders)}` : "0|0";
  };
  const expectedCells = new Map<string, string>();
  const add = (key: string, orders: number, net: number) => {
    const [c, o, n] = (expectedCells.get(key) ?? "0|0|0").split("|").map(Number);
    expectedCells.set(key, `${c + 1}|${o + orders}|${n + net}`);
  };
  for (const customer of raw.customers) {
    const row = perCustomer.get(customer.id);
    if (!row && !customer.enrolledAt) continue;
    for (const population of ["all", enrolled.get(customer.id) ? "members" : "nonMembers"]) add(`${population}|${cellOf(customer.id)}`, row?.orders ?? 0, row?.net ?? 0);
  }
  const cells = await prisma.analyticsRfCell.findMany({ where: { programId } });
  expect(new Map(cells.map((cell) => [`${cell.segment}|${cell.recency}|${cell.frequency}`, `${cell.customers}|${cell.orders}|${cell.netCents}`])), `${label}: grid`).toEqual(expectedCells);

  const expectedCategories = new Map<string, number>();
  for (const line of lines) {
    const order = counted.get(line.orderId);
    if (!order) continue;
    const net = (line.quantity - line.returnedQuantity) * line.unitPriceCents;
    for (const population of ["all", enrolled.get(order.customerId) ? "members" : "nonMembers"]) {
      const key = `${population}|${cellOf(order.customerId)}|${line.category ?? ""}`;
      expectedCategories.set(key, (expectedCategories.get(key) ?? 0) + net);
    }
  }
  for (const [key, value] of expectedCategories) if (value === 0) expectedCategories.delete(key);
  const categories = await prisma.analyticsRfCategory.findMany({ where: { programId } });
  expect(new Map(categories.map((row) => [`${row.segment}|${row.recency}|${row.frequency}|${row.category}`, Number(row.netCents)])), `${label}: category spend`).toEqual(expectedCategories);

  const redemptions = await prisma.redemption.findMany({ where: { customer: { programId } }, select: { rewardId: true, createdAt: true, status: true, pointsSpent: true } });
  const expectedRewards = new Map<string, string>();
  for (const r of redemptions) {
    const key = `${r.rewardId}|${localDay(r.createdAt, raw.program.timeZone).slice(0, 7)}-01`;
    const [n, c, u, p] = (expectedRewards.get(key) ?? "0|0|0|0").split("|").map(Number);
    expectedRewards.set(key, `${n + 1}|${c + (r.status === "CANCELLED" ? 1 : 0)}|${u + (r.status === "USED" ? 1 : 0)}|${p + (r.status === "CANCELLED" ? 0 : r.pointsSpent)}`);
  }
  const rewards = await prisma.analyticsReward.findMany({ where: { programId } });
  expect(new Map(rewards.map((row) => [`${row.rewardId}|${row.month.toISOString().slice(0, 10)}`, `${row.redemptions}|${row.cancelled}|${row.used}|${row.points}`])), `${label}: rewards`).toEqual(expectedRewards);
}

/**
 * Custom ranges read from the gap cells and the calendar periods against the facts: ranges of
 * many lengths around the days that have orders, starting and ending on and off month and year
 * boundaries.
 */
async function expectRangesMatch(programId: number, label: string) {
  const raw = await loadRaw(programId);
  const facts = referenceFacts(raw);
  const days = [...new Set(facts.map((fact) => fact.day))].sort();
  if (days.length === 0) return;
  const starts = new Set<string>();
  for (const day of [days[0], days[Math.floor(days.length / 2)], days.at(-1)!]) {
    for (const shift of [-40, -1, 0, 1]) starts.add(shiftDays(day, shift));
    starts.add(`${day.slice(0, 7)}-01`);
    starts.add(`${day.slice(0, 4)}-01-01`);
  }
  const segments = new Set<Segment>(facts.flatMap((fact) => orderSegments(fact)));
  const diff: string[] = [];
  for (const start of starts) {
    for (const length of [1, 2, 7, 30, 31, 59, 95, 200, 366, 500]) {
      const end = shiftDays(start, length);
      const rows = await rangeCounts(programId, { grain: "custom", start, end });
      for (const segment of segments) {
        const expected = countsFromFacts({ facts, start, end, segment });
        const row = rows.find((candidate) => candidate.segment === segment);
        const actual = row ? { orders: row.orders, netCents: Number(row.netCents), customers: row.customers, repeatCustomers: row.repeatCustomers } : { orders: 0, netCents: 0, customers: 0, repeatCustomers: 0 };
        if (JSON.stringify(actual) !== JSON.stringify(expected)) diff.push(`${start}+${length} ${segment}: expected ${JSON.stringify(expected)} got ${JSON.stringify(actual)}`);
      }
    }
  }
  expect(diff.slice(0, 8), `${label}: ${diff.length} range counts differ`).toEqual([]);
}

async function expectRollupsMatch(programId: number, now: Date, label: string) {
  const raw = await loadRaw(programId);
  const expected = expectedRows(referenceFacts(raw), localDay(now, raw.program.timeZone));
  const actual = await actualRows(programId);
  const diff: string[] = [];
  for (const [rowKey, value] of expected) if (JSON.stringify(actual.get(rowKey)) !== JSON.stringify(value)) diff.push(`${rowKey}: expected ${JSON.stringify(value)} got ${JSON.stringify(actual.get(rowKey))}`);
  for (const [rowKey, value] of actual) if (!expected.has(rowKey)) diff.push(`${rowKey}: unexpected ${JSON.stringify(value)}`);
  expect(diff.slice(0, 10), `${label}: ${diff.length} rows differ`).toEqual([]);
  const facts = await prisma.analyticsOrderFact.count({ where: { programId } });
  expect(facts).toBe(referenceFacts(raw).length);
}

const opArb = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("customer" as const), joins: fc.constantFrom("now", "never", "later") }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("order" as const), who: fc.nat(), daysBack: fc.constantFrom(0, 0, 0, 1, 3, 20, 45), dollars: fc.integer({ min: 1, max: 900 }), shipping: fc.constantFrom(0, 0, 5), second: fc.constantFrom(null, "beauty", "") }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("advance" as const), days: fc.integer({ min: 1, max: 40 }), hours: fc.integer({ min: 0, max: 23 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("return" as const), which: fc.nat(), quantity: fc.integer({ min: 1, max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("cancel" as const), which: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("join" as const), who: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("redeem" as const), who: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("settle" as const), which: fc.nat(), use: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("fold" as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("expire" as const) }) },
);

describe("analytics rollups", () => {
  test("equal a full recomputation after random orders, late reports, returns, cancellations, enrolments, redemptions and tier moves", async () => {
    const runs = Number(process.env.FC_RUNS ?? 5);
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 20, maxLength: 70 }), fc.constantFrom("UTC", "America/Los_Angeles", "Pacific/Auckland", "Asia/Kolkata"), async (ops, timeZone) => {
        const setup = await createProgram({ pendingDays: 0 });
        await prisma.program.update({ where: { id: setup.program.id }, data: { timeZone } });
        const reward = await createReward(setup.program.id, { costPoints: 5 });
        const now = new Date();
        let clock = now.getTime() - 400 * DAY;
        const customers: { id: number; externalId: string; joins: string; enrolled: boolean }[] = [];
        const orders: { externalId: string; quantity: number }[] = [];
        const codes: string[] = [];
        for (const op of ops) {
          const at = new Date(clock);
          if (op.kind === "customer" || customers.length === 0) {
            const customer = await createCustomer(setup.program.id);
            const joins = op.kind === "customer" ? op.joins : "now";
            if (joins === "now") await enrollCustomer({ program: setup.program, customerId: customer.id, at });
            customers.push({ id: customer.id, externalId: customer.externalId, joins, enrolled: joins === "now" });
          } else if (op.kind === "order") {
            const customer = customers[op.who % customers.length];
            const externalId = uniqueId("o");
            const placedAt = new Date(Math.max(clock - op.daysBack * DAY, now.getTime() - 420 * DAY));
            await recordOrder({
              program: setup.program, externalId, member: { externalId: customer.externalId }, currency: "USD", totalCents: op.dollars * 200 + (op.second === null ? 0 : 1_250) + op.shipping * 100, shippingCents: op.shipping * 100,
              placedAt, lines: [
                { sku: "A", category: "home", quantity: 2, unitPriceCents: op.dollars * 100 },
                ...(op.second === null ? [] : [{ sku: "B", category: op.second || undefined, quantity: 1, unitPriceCents: 1_250 }]),
              ],
            });
            orders.push({ externalId, quantity: 2 });
          } else if (op.kind === "advance") {
            clock = Math.min(clock + op.days * DAY + op.hours * 3_600_000, now.getTime() - 60_000);
          } else if (op.kind === "return" && orders.length > 0) {
            const order = orders[op.which % orders.length];
            if (order.quantity >= op.quantity) {
              await recordReturn({ programId: setup.program.id, orderExternalId: order.externalId, returnExternalId: uniqueId("r"), lines: [{ sku: "A", quantity: op.quantity }], at }).catch(() => undefined);
              order.quantity -= op.quantity;
            }
          } else if (op.kind === "cancel" && orders.length > 0) {
            const order = orders[op.which % orders.length];
            await prisma.$transaction((tx) => cancelOrderInTx(tx, { programId: setup.program.id, orderExternalId: order.externalId, at }));
            order.quantity = 0;
          } else if (op.kind === "join") {
            const customer = customers[op.who % customers.length];
            if (!customer.enrolled && customer.joins !== "never") {
              // joining happens after the guest orders already reported (a minute later)
              clock += 60_000;
              await enrollCustomer({ program: setup.program, customerId: customer.id, at: new Date(clock) });
              customer.enrolled = true;
            }
          } else if (op.kind === "redeem") {
            const customer = customers[op.who % customers.length];
            if (customer.enrolled) {
              const redeemed = await redeemReward({ programId: setup.program.id, customerId: customer.id, rewardId: reward.id, idempotencyKey: uniqueId("k"), source: "api", at }).catch(() => undefined);
              if (redeemed) codes.push(redeemed.code);
            }
          } else if (op.kind === "settle" && codes.length > 0) {
            const code = codes[op.which % codes.length];
            if (op.use) await markRedemptionUsed({ programId: setup.program.id, code, at }).catch(() => undefined);
            else await cancelRedemption({ programId: setup.program.id, where: { code }, at, by: "shop" }).catch(() => undefined);
          } else if (op.kind === "expire") {
            await expireDuePoints({ programId: setup.program.id, at });
          } else if (op.kind === "fold") {
            await foldAnalytics({ programId: setup.program.id, now });
          }
        }
        await foldAnalytics({ programId: setup.program.id, now });
        await expectRollupsMatch(setup.program.id, now, "folded");
        await expectCohortsMatch(setup.program.id, "folded");
        await expectPointsMatch(setup.program.id, "folded");
        await expectCustomersMatch(setup.program.id, now, "folded");
        await expectRangesMatch(setup.program.id, "folded");
        await rebuildAnalytics({ programId: setup.program.id, now });
        await expectRollupsMatch(setup.program.id, now, "rebuilt");
        await expectCohortsMatch(setup.program.id, "rebuilt");
        await expectPointsMatch(setup.program.id, "rebuilt");
        await expectCustomersMatch(setup.program.id, now, "rebuilt");
        await expectRangesMatch(setup.program.id, "rebuilt");
        // later days move the trailing windows and customers across recency bounds: shifted by
        // the difference (1 and 20 days later), recomputed (95 days later)
        for (const days of [1, 21, 116]) {
          const later = new Date(now.getTime() + days * DAY);
          await foldAnalytics({ programId: setup.program.id, now: later });
          await expectRollupsMatch(setup.program.id, later, `re-anchored +${days} days`);
          await expectCustomersMatch(setup.program.id, later, `re-anchored +${days} days`);
        }
      }),
      { numRuns: runs },
    );
  });
});
