import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { GET as getCategories } from "@/app/api/v1/analytics/categories/route";
import { GET as getList } from "@/app/api/v1/analytics/customers/list/route";
import { GET as getCustomers } from "@/app/api/v1/analytics/customers/route";
import { GET as getRewards } from "@/app/api/v1/analytics/rewards/route";
import { getBestCustomers, getCellCustomers, getRewardCosts, getTopCustomers } from "@/lib/db/analytics-customers-reads";
import { prisma } from "@/lib/db/prisma";
import { dayStartInstant, localDay, shiftDays } from "@/lib/domain/analytics-periods";
import { frequencyScore, recencyScore, RECENCY_DAYS, FREQUENCY_ORDERS } from "@/lib/domain/best-customers";
import { foldAnalytics } from "@/lib/services/analytics-rollups";
import { recordOrder } from "@/lib/services/record-order";
import { cancelOrderInTx, recordReturn } from "@/lib/services/record-return";
import { redeemReward } from "@/lib/services/redeem-reward";
import { cancelRedemption, markRedemptionUsed } from "@/lib/services/redemption-status";
import { createApiKey, jsonRequest } from "@/test/api-helpers";
import { createCustomer, createMember, createProgram, createReward, uniqueId } from "@/test/fixtures";

// Best customers and reward cost on a hand-computed shop (docs/analytics.md "Best customers",
// "Money"), in a time zone where a UTC day would put a customer in the wrong recency cell.

afterAll(async () => {
  await prisma.$disconnect();
});

const DAY = 86_400_000;
const TZ = "America/New_York";
const now = new Date();
const today = localDay(now, TZ);
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);

type Setup = Awaited<ReturnType<typeof createProgram>>;
let setup: Setup;
let key: string;
const ids: Record<string, { id: number; externalId: string }> = {};

async function order(who: string, placedAt: Date, lines: { category: string | null; cents: number }[], options: { shippingCents?: number } = {}) {
  const externalId = uniqueId("o");
  const merchandise = lines.reduce((sum, line) => sum + line.cents, 0);
  await recordOrder({
    program: setup.program, externalId, member: { externalId: ids[who].externalId }, currency: "USD",
    totalCents: merchandise + (options.shippingCents ?? 0), shippingCents: options.shippingCents ?? 0, placedAt,
    lines: lines.map((line, index) => ({ sku: `S${index}`, category: line.category, quantity: 1, unitPriceCents: line.cents })),
  });
  return externalId;
}

beforeAll(async () => {
  setup = await createProgram({ pendingDays: 0 });
  await prisma.program.update({ where: { id: setup.program.id }, data: { timeZone: TZ } });
  setup.program = { ...setup.program, timeZone: TZ } as Setup["program"];
  key = (await createApiKey(setup.program.id)).key;
  ids.ana = await createMember(setup.program, daysAgo(500)); // champion: 10 orders, last 5 days ago
  ids.ben = await createMember(setup.program, daysAgo(500)); // promising (R4 F2): 2 orders, last 31 days ago, one partly returned
  ids.cy = await createCustomer(setup.program.id); // guest: 1 order in the last hour of the local day 31 days ago (30 days ago in UTC)
  ids.dee = await createCustomer(setup.program.id); // guest: 3 orders, one cancelled -> F2; last 200 days ago -> at risk
  ids.eve = await createMember(setup.program, daysAgo(10)); // member without an order
  ids.gus = await createCustomer(setup.program.id); // guest: 1 order 40 days ago (R4 F1 with cy)

  for (let index = 0; index < 10; index += 1) {
    await order("ana", daysAgo(5 + index * 7), [{ category: "home", cents: 6_000 }, { category: "beauty", cents: 4_000 }], { shippingCents: 500 });
  }
  await order("ben", daysAgo(60), [{ category: "home", cents: 2_000 }]);
  const benLast = await order("ben", new Date(dayStartInstant(shiftDays(today, -31), TZ).getTime() + 12 * 3_600_000), [{ category: "beauty", cents: 3_000 }, { category: null, cents: 1_000 }]);
  await recordReturn({ programId: setup.program.id, orderExternalId: benLast, returnExternalId: uniqueId("r"), lines: [{ sku: "S0", quantity: 1 }] });
  await order("cy", new Date(dayStartInstant(shiftDays(today, -30), TZ).getTime() - 3_600_000), [{ category: "toys", cents: 2_500 }]);
  await order("dee", daysAgo(300), [{ category: "home", cents: 1_000 }]);
  await order("dee", daysAgo(200), [{ category: "home", cents: 1_000 }]);
  const deeLast = await order("dee", daysAgo(201), [{ category: "toys", cents: 9_000 }]);
  await prisma.$transaction((tx) => cancelOrderInTx(tx, { programId: setup.program.id, orderExternalId: deeLast, at: now }));
  // local noon 40 local days ago: "40 × 24 hours ago" is 39 local days ago in the hour before
  // local midnight when daylight saving time ended in between (as on Dec 1, 04:00-05:00 UTC)
  await order("gus", new Date(dayStartInstant(shiftDays(today, -40), TZ).getTime() + 12 * 3_600_000), [{ category: "garden", cents: 1_500 }]);

  const reward = await createReward(setup.program.id, { costPoints: 50 });
  const first = await redeemReward({ programId: setup.program.id, customerId: ids.ana.id, rewardId: reward.id, idempotencyKey: uniqueId("k"), source: "api" });
  const second = await redeemReward({ programId: setup.program.id, customerId: ids.ana.id, rewardId: reward.id, idempotencyKey: uniqueId("k"), source: "api" });
  await redeemReward({ programId: setup.program.id, customerId: ids.ana.id, rewardId: reward.id, idempotencyKey: uniqueId("k"), source: "api" });
  await cancelRedemption({ programId: setup.program.id, where: { code: first.code }, by: "shop" });
  await markRedemptionUsed({ programId: setup.program.id, code: second.code });
  await foldAnalytics({ programId: setup.program.id, now });
});

const cell = <T extends { recency: number; frequency: number }>(cells: T[], recency: number, frequency: number) =>
  cells.find((row) => row.recency === recency && row.frequency === frequency)!;

describe("best customers", () => {
  test("the SQL scores agree with the domain's bounds at every edge", async () => {
    const days = [null, 0, 30, 31, 90, 91, 180, 181, 365, 366, 5_000, ...Object.values(RECENCY_DAYS).flatMap((range) => [range.min, range.max ?? 9_999])];
    const orders = [0, 1, 2, 3, 4, 5, 9, 10, 11, 500, ...Object.values(FREQUENCY_ORDERS).flatMap((range) => [range.min, range.max ?? 999])];
    const rows = await prisma.$queryRaw<{ d: number | null; r: number }[]>`SELECT d, hearth_analytics_recency(d) AS r FROM unnest(${days}::int[]) AS d`;
    for (const row of rows) expect(row.r, `days ${row.d}`).toBe(recencyScore(row.d));
    const fRows = await prisma.$queryRaw<{ n: number; f: number }[]>`SELECT n, hearth_analytics_frequency(n) AS f FROM unnest(${orders}::int[]) AS n`;
    for (const row of fRows) expect(row.f, `orders ${row.n}`).toBe(frequencyScore(row.n));
  });

  test("grid, segments and monetary value by hand (local days, cancellations and returns)", async () => {
    const all = await getBestCustomers(setup.program.id, "all");
    expect(all.asOf).toBe(today);
    expect(cell(all.cells, 5, 5)).toMatchObject({ segment: "champions", customers: 1, orders: 10, netCents: 100_000 });
    expect(cell(all.cells, 4, 2)).toMatchObject({ segment: "promising", customers: 1, orders: 2, netCents: 3_000 }); // 20 + (30 + 10 - 30 returned)
    expect(cell(all.cells, 4, 1)).toMatchObject({ segment: "promising", customers: 2, orders: 2, netCents: 4_000 }); // cy 25 + gus 15
    expect(cell(all.cells, 2, 2)).toMatchObject({ segment: "atRisk", customers: 1, orders: 2, netCents: 2_000 }); // dee, cancelled order out
    expect(all.totals).toEqual({ customers: 5, orders: 16, netCents: 109_000 });
    expect(all.withoutOrder).toBe(1); // eve
    expect(cell(all.cells, 5, 5).revenueShare).toBeCloseTo(100_000 / 109_000, 12);
    expect(cell(all.cells, 4, 1).revenuePerCustomerCents).toBe(2_000);
    const segments = Object.fromEntries(all.segments.map((segment) => [segment.segment, segment]));
    expect(segments.promising).toMatchObject({ customers: 3, orders: 4, netCents: 7_000 });
    expect(segments.promising.customerShare).toBeCloseTo(3 / 5, 12);
    expect(segments.new).toMatchObject({ customers: 0, revenuePerCustomerCents: null });

    const members = await getBestCustomers(setup.program.id, "members");
    expect(members.totals).toEqual({ customers: 2, orders: 12, netCents: 103_000 });
    expect(members.withoutOrder).toBe(1);
    const guests = await getBestCustomers(setup.program.id, "nonMembers");
    expect(guests.totals).toEqual({ customers: 3, orders: 4, netCents: 6_000 });
  });

  test("category share of spend per segment against the whole shop", async () => {
    const { mix } = await getBestCustomers(setup.program.id, "all");
    // home 600 + 20 + 10 + 10 = 640; beauty 400 + 30 - 30 = 400; toys 25 (dee's toys order cancelled); garden 15; uncategorised 10
    expect(mix.shop.map((row) => [row.category, row.netCents])).toEqual([["home", 64_000], ["beauty", 40_000], ["toys", 2_500], ["garden", 1_500], ["", 1_000]]);
    expect(mix.shop[0].share).toBeCloseTo(64_000 / 109_000, 12);
    const promising = mix.segments.find((segment) => segment.segment === "promising")!;
    expect(Object.fromEntries(promising.shares.map((row) => [row.category, row.netCents]))).toEqual({ home: 2_000, beauty: 0, toys: 2_500, garden: 1_500, "": 1_000 });
    expect(promising.shares.reduce((sum, row) => sum + row.share, 0)).toBeCloseTo(1, 12);
  });

  test("a cell's customers and the top customers, by net revenue", async () => {
    const page = await getCellCustomers({ programId: setup.program.id, population: "all", recency: 4, frequency: 1, limit: 10 });
    expect(page.customers.map((row) => [row.externalId, row.netCents, row.daysSinceLastOrder])).toEqual([[ids.cy.externalId, 2_500, 31], [ids.gus.externalId, 1_500, 40]]);
    expect((await getCellCustomers({ programId: setup.program.id, population: "members", recency: 4, frequency: 1, limit: 10 })).customers).toEqual([]);
    const top = await getTopCustomers(setup.program.id, "all", 3);
    expect(top.map((row) => row.externalId)).toEqual([ids.ana.externalId, ids.ben.externalId, ids.cy.externalId]);
  });

  test("reward cost: made, cancelled (points refunded), used, at the point value", async () => {
    const costs = await getRewardCosts({ programId: setup.program.id, months: 12, thisMonth: `${today.slice(0, 7)}-01` });
    expect(costs.rewards).toHaveLength(1);
    expect(costs.rewards[0]).toMatchObject({ redemptions: 3, cancelled: 1, used: 1, points: 100, pointValueCents: 100 * setup.program.pointValueMillis / 10, faceValueCents: 1_000 });
  });
});

describe("a new day moves customers across recency bounds", () => {
  test("the grid shifted by the difference equals the grid rebuilt from raw rows, 1, 31 and 62 days later", async () => {
    const { foldAnalytics: fold, rebuildAnalytics } = await import("@/lib/services/analytics-rollups");
    const snapshot = async () => (await prisma.analyticsRfCell.findMany({ where: { programId: setup.program.id }, orderBy: [{ segment: "asc" }, { recency: "asc" }, { frequency: "asc" }] }))
      .map((cell) => `${cell.segment}|${cell.recency}|${cell.frequency}|${cell.customers}|${cell.orders}|${cell.netCents}`);
    const categories = async () => (await prisma.analyticsRfCategory.findMany({ where: { programId: setup.program.id }, orderBy: [{ segment: "asc" }, { recency: "asc" }, { frequency: "asc" }, { category: "asc" }] }))
      .map((row) => `${row.segment}|${row.recency}|${row.frequency}|${row.category}|${row.netCents}`);
    const before = await snapshot();
    for (const days of [1, 31, 62]) {
      const later = new Date(now.getTime() + days * DAY);
      const result = await fold({ programId: setup.program.id, now: later });
      expect(result.reanchored).toBe(true);
      const shifted = await snapshot();
      const shiftedCategories = await categories();
      await rebuildAnalytics({ programId: setup.program.id, now: later });
      expect(shifted, `+${days} days`).toEqual(await snapshot());
      expect(shiftedCategories, `+${days} days`).toEqual(await categories());
    }
    expect(await snapshot()).not.toEqual(before); // customers did move
    await rebuildAnalytics({ programId: setup.program.id, now });
  });
});

describe("GET /api/v1/analytics/customers, /customers/list, /categories, /rewards", () => {
  const get = (handler: (request: Request) => Promise<Response>, path: string, apiKey = key) => handler(jsonRequest(path, { key: apiKey, method: "GET" }));

  test("the grid as JSON and CSV agree", async () => {
    const body = await (await get(getCustomers, "/api/v1/analytics/customers?population=all")).json();
    expect(body).toMatchObject({ asOf: today, population: "all", customersWithOrders: 5, membersWithoutOrders: 1, netRevenue: 1_090 });
    expect(body.topCustomers[0]).toMatchObject({ customerId: ids.ana.externalId, orders: 10, netRevenue: 1_000 });
    const csv = await get(getCustomers, "/api/v1/analytics/customers?format=csv");
    const rows = Papa.parse<Record<string, string>>((await csv.text()).replace(/^\uFEFF/, ""), { header: true, skipEmptyLines: true }).data;
    expect(rows).toHaveLength(25);
    for (const row of rows) {
      const json = body.cells.find((c: { recency: number; frequency: number }) => c.recency === Number(row.recency) && c.frequency === Number(row.frequency));
      expect(Number(row.customers)).toBe(json.customers);
      expect(Number(row.net_revenue)).toBe(json.netRevenue);
    }
    const segments = Papa.parse<Record<string, string>>((await (await get(getCustomers, "/api/v1/analytics/customers?format=csv&table=segments")).text()).replace(/^\uFEFF/, ""), { header: true, skipEmptyLines: true }).data;
    expect(segments).toHaveLength(9);
    expect(segments.find((row) => row.segment === "promising")).toMatchObject({ customers: "3", net_revenue: "70" });
    const top = Papa.parse<Record<string, string>>((await (await get(getCustomers, "/api/v1/analytics/customers?format=csv&table=top")).text()).replace(/^\uFEFF/, ""), { header: true, skipEmptyLines: true }).data;
    expect(top[0]).toMatchObject({ customer_id: ids.ana.externalId, net_revenue: "1000" });
    expect((await get(getCustomers, "/api/v1/analytics/customers?format=csv&table=everything")).status).toBe(422);
    const categories = await (await get(getCategories, "/api/v1/analytics/categories")).json();
    expect(categories.find((row: { group: string; category: string }) => row.group === "shop" && row.category === "(uncategorised)").net_revenue).toBe(10);
  });

  test("a cell's customers page by cursor; the CSV streams the whole cell with its row count", async () => {
    const first = await (await get(getList, "/api/v1/analytics/customers/list?recency=4&frequency=1&limit=1")).json();
    expect(first.customers.map((row: { customerId: string }) => row.customerId)).toEqual([ids.cy.externalId]);
    expect(first.nextCursor).toBeTruthy();
    const second = await (await get(getList, `/api/v1/analytics/customers/list?recency=4&frequency=1&limit=1&after=${first.nextCursor}`)).json();
    expect(second.customers.map((row: { customerId: string }) => row.customerId)).toEqual([ids.gus.externalId]);
    expect(second.nextCursor).toBeNull();
    const csv = await get(getList, "/api/v1/analytics/customers/list?recency=4&frequency=1&format=csv");
    expect(csv.headers.get("x-total-rows")).toBe("2");
    const rows = Papa.parse<Record<string, string>>((await csv.text()).replace(/^\uFEFF/, ""), { header: true, skipEmptyLines: true }).data;
    expect(rows.map((row) => [row.customer_id, row.net_revenue])).toEqual([[ids.cy.externalId, "25"], [ids.gus.externalId, "15"]]);
    const empty = await get(getList, "/api/v1/analytics/customers/list?recency=1&frequency=5&format=csv");
    expect((await empty.text()).trim().split(/\r\n/)).toHaveLength(1); // the header only
  });

  test("reward cost as JSON", async () => {
    const body = await (await get(getRewards, "/api/v1/analytics/rewards?months=all")).json();
    expect(body.rewards[0]).toMatchObject({ redemptions: 3, cancelled: 1, used: 1, points: 100, faceValue: 10 });
    expect(body.since).toBeNull();
  });

  test.each([
    [getCustomers, "/api/v1/analytics/customers?population=vip"],
    [getCustomers, "/api/v1/analytics/customers?period=month"],
    [getList, "/api/v1/analytics/customers/list?recency=6&frequency=1"],
    [getList, "/api/v1/analytics/customers/list?recency=5"],
    [getList, "/api/v1/analytics/customers/list?recency=5&frequency=1&after=drop%20table"],
    [getList, "/api/v1/analytics/customers/list?recency=5&frequency=1&limit=100000"],
    [getRewards, "/api/v1/analytics/rewards?months=0"],
    [getRewards, "/api/v1/analytics/rewards?months=soon"],
  ])("%#: a bad query is a 422 with the JSON error envelope", async (handler, path) => {
    const response = await get(handler, path);
    expect(response.status).toBe(422);
    expect((await response.json()).error.code).toBe("VALIDATION");
  });

  test("without a key 401; another program's key sees only its own customers", async () => {
    expect((await getCustomers(jsonRequest("/api/v1/analytics/customers", { method: "GET" }))).status).toBe(401);
    const other = await createProgram({ pendingDays: 0 });
    const otherKey = (await createApiKey(other.program.id)).key;
    const theirs = await (await get(getList, "/api/v1/analytics/customers/list?recency=4&frequency=1", otherKey)).json();
    expect(theirs.customers).toEqual([]);
    const grid = await (await get(getCustomers, "/api/v1/analytics/customers", otherKey)).json();
    expect(grid.customersWithOrders).toBe(0);
  });
});

