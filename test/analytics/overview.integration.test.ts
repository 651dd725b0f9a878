import { afterAll, describe, expect, test } from "vitest";
import { POST as postOrder } from "@/app/api/v1/orders/route";
import { POST as postMember } from "@/app/api/v1/members/route";
import { prisma } from "@/lib/db/prisma";
import { getAnalyticsOverview } from "@/lib/db/analytics-reads";
import { customPeriod, localDay, presetPeriod, shiftDays } from "@/lib/domain/analytics-periods";
import { foldAnalytics } from "@/lib/services/analytics-rollups";
import { enrollCustomer } from "@/lib/services/enroll-customer";
import { recordOrder } from "@/lib/services/record-order";
import { cancelOrderInTx, recordReturn } from "@/lib/services/record-return";
import { createApiKey, jsonRequest, ledgerChecksum } from "@/test/api-helpers";
import { createCustomer, createMember, createProgram, uniqueId } from "@/test/fixtures";

// The overview as a manager reads it, on hand-computed shops: guests who join later, late
// reports, cancellations, shipping, another currency, the program's time zone, partial periods
// and restated ones.

afterAll(async () => {
  await prisma.$disconnect();
});

const DAY = 86_400_000;
type Setup = Awaited<ReturnType<typeof createProgram>>;

const order = (setup: Setup, customer: { externalId: string }, cents: number, placedAt: Date, extra: { shippingCents?: number; externalId?: string } = {}) =>
  recordOrder({
    program: setup.program, externalId: extra.externalId ?? uniqueId("o"), member: { externalId: customer.externalId }, currency: "USD",
    totalCents: cents + (extra.shippingCents ?? 0), shippingCents: extra.shippingCents ?? 0, placedAt, lines: [{ sku: "A", quantity: 1, unitPriceCents: cents }],
  });

function figures(overview: Awaited<ReturnType<typeof getAnalyticsOverview>>, segment: string) {
  const population = overview.populations.find((item) => item.segment === segment);
  return population ? { current: population.current, previous: population.previous } : null;
}

describe("member orders: a guest who joins later", () => {
  test("keeps earlier orders as non-member orders (even reported after joining) and earns only on orders placed as a member", async () => {
    const setup = await createProgram();
    const { key } = await createApiKey(setup.program.id);
    const externalId = uniqueId("guest");
    const created = await postMember(jsonRequest("/api/v1/members", { key, idempotencyKey: uniqueId("k"), body: { externalId, email: `${externalId}@example.test`, enroll: false } }));
    expect(created.status).toBe(201);
    const customer = await prisma.customer.findFirstOrThrow({ where: { programId: setup.program.id, externalId } });
    const post = (placedAt: Date, total: number) =>
      postOrder(jsonRequest("/api/v1/orders", { key, idempotencyKey: uniqueId("k"), body: { externalId: uniqueId("o"), member: { externalId }, currency: "USD", total, placedAt: placedAt.toISOString(), lines: [{ sku: "A", quantity: 1, unitPrice: total }] } }));
    const now = Date.now();
    const asGuest = await post(new Date(now - 10 * DAY), 40);
    expect(await asGuest.json()).toMatchObject({ pointsEarned: 0 });
    await enrollCustomer({ program: setup.program, customerId: customer.id, at: new Date(now - 5 * DAY) });
    // reported after joining, but placed before: still a guest order, no points
    const lateReport = await post(new Date(now - 7 * DAY), 60);
    expect(await lateReport.json()).toMatchObject({ pointsEarned: 0 });
    const asMember = await post(new Date(now - 1 * DAY), 25);
    expect(await asMember.json()).toMatchObject({ pointsEarned: 25 });
    const stored = await prisma.order.findMany({ where: { customerId: customer.id }, orderBy: { placedAt: "asc" }, select: { isMemberOrder: true, totalCents: true } });
    expect(stored).toEqual([
      { isMemberOrder: false, totalCents: 4_000 },
      { isMemberOrder: false, totalCents: 6_000 },
      { isMemberOrder: true, totalCents: 2_500 },
    ]);
    await foldAnalytics({ programId: setup.program.id });
    const overview = await getAnalyticsOverview({ programId: setup.program.id, timeZone: "UTC", period: presetPeriod("t30", localDay(new Date(), "UTC")) });
    expect(figures(overview, "nonMembers")?.current).toMatchObject({ orders: 2, netCents: 10_000, customers: 1, repeatCustomers: 1 });
    expect(figures(overview, "members")?.current).toMatchObject({ orders: 1, netCents: 2_500, customers: 1, repeatCustomers: 0 });
    expect(figures(overview, "all")?.current).toMatchObject({ orders: 3, netCents: 12_500, customers: 1, repeatCustomers: 1 });
  });
});

describe("currency", () => {
  test("an order in another currency is a clear 422 and records nothing", async () => {
    const setup = await createProgram();
    const { key } = await createApiKey(setup.program.id);
    const member = await createMember(setup.program, new Date(Date.now() - 90 * DAY));
    const before = await ledgerChecksum();
    const response = await postOrder(jsonRequest("/api/v1/orders", {
      key, idempotencyKey: uniqueId("k"),
      body: { externalId: uniqueId("o"), member: { externalId: member.externalId }, currency: "EUR", total: 10, placedAt: new Date().toISOString(), lines: [{ sku: "A", quantity: 1, unitPrice: 10 }] },
    }));
    expect(response.status).toBe(422);
    expect((await response.json()).error.code).toBe("CURRENCY_MISMATCH");
    expect(await ledgerChecksum()).toBe(before);
    expect(await prisma.order.count({ where: { customerId: member.id } })).toBe(0);
  });
});

describe("the overview, hand-computed", () => {
  test("month in the program's time zone: shipping, returns and cancellations; partial month; previous month; custom range; trailing window", async () => {
    const setup = await createProgram({ pendingDays: 0 });
    const timeZone = "America/New_York";
    await prisma.program.update({ where: { id: setup.program.id }, data: { timeZone } });
    const now = new Date("2026-11-30T15:00:00Z"); // 10:00 in New York
    const joined = new Date("2026-01-01T00:00:00Z");
    const [a, b] = [await createMember(setup.program, joined), await createMember(setup.program, joined)];
    const guest = await createCustomer(setup.program.id);
    // November (local): a: 100 + 50 shipping, 80 (returns 30 of it later); b: 200 placed at 02:00 UTC on
    // 1 December = 21:00 on 30 November in New York; guest: 60 and a cancelled 500
    await order(setup, a, 10_000, new Date("2026-11-03T12:00:00Z"), { shippingCents: 5_000 });
    const returned = await order(setup, a, 8_000, new Date("2026-11-20T12:00:00Z"));
    await order(setup, b, 20_000, new Date("2026-11-30T02:00:00Z")); // 29 November, 21:00 local
    await order(setup, guest, 6_000, new Date("2026-11-10T12:00:00Z"));
    await order(setup, guest, 50_000, new Date("2026-11-11T12:00:00Z"), { externalId: "to-cancel" });
    // October (local): 03:30 UTC on 1 November is 23:30 on 31 October in New York (still summer
    // time, UTC-4, until 06:00 UTC that day; 04:30 UTC would already be 1 November)
    await order(setup, a, 4_000, new Date("2026-11-01T03:30:00Z"));
    await order(setup, b, 1_000, new Date("2026-10-15T12:00:00Z"));
    await order(setup, b, 3_000, new Date("2026-10-16T12:00:00Z"));
    await foldAnalytics({ programId: setup.program.id, now });
    expect(returned.orderId).toBeGreaterThan(0);
    await recordReturn({ programId: setup.program.id, orderExternalId: (await prisma.order.findUniqueOrThrow({ where: { id: returned.orderId } })).externalId, returnExternalId: "r1", lines: [{ sku: "A", quantity: 1 }], at: new Date("2026-11-25T12:00:00Z") });
    await prisma.$transaction((tx) => cancelOrderInTx(tx, { programId: setup.program.id, orderExternalId: "to-cancel", at: new Date("2026-11-12T12:00:00Z") }));
    await foldAnalytics({ programId: setup.program.id, now });

    const month = await getAnalyticsOverview({ programId: setup.program.id, timeZone, period: presetPeriod("month", "2026-11-30"), now });
    expect(month.isPartial).toBe(true);
    expect(month.previous).toEqual({ grain: "month", start: "2026-10-01", end: "2026-11-01" });
    // members in November: a (100 net of shipping, 80 fully returned -> 0), b (200): 3 orders, 300.00
    expect(figures(month, "members")?.current).toEqual({ orders: 3, netCents: 30_000, customers: 2, repeatCustomers: 1, aovCents: 10_000, frequency: 1.5, repeatRate: 0.5 });
    // non-members: the guest's 60; the cancelled order is out of every figure
    expect(figures(month, "nonMembers")?.current).toMatchObject({ orders: 1, netCents: 6_000, customers: 1, repeatCustomers: 0 });
    // October: a's order at 03:30 UTC on 1 November is a local October order
    expect(figures(month, "members")?.previous).toMatchObject({ orders: 3, netCents: 8_000, customers: 2, repeatCustomers: 1 });
    expect(month.populations.map((population) => population.segment).slice(0, 5)).toEqual(["all", "members", "nonMembers", "redeemers", "nonRedeemers"]);

    const custom = await getAnalyticsOverview({ programId: setup.program.id, timeZone, period: customPeriod("2026-10-16", "2026-11-03"), now });
    // 16 Oct (b 30), 31 Oct (a 40), 3 Nov (a 100): 3 orders, 2 customers, a repeats
    expect(figures(custom, "all")?.current).toMatchObject({ orders: 3, netCents: 17_000, customers: 2, repeatCustomers: 1 });
    // the 19 days before: 27 Sep - 15 Oct: b's 10
    expect(custom.previous).toEqual({ grain: "custom", start: "2026-09-27", end: "2026-10-16" });
    expect(figures(custom, "all")?.previous).toMatchObject({ orders: 1, netCents: 1_000, customers: 1 });

    const trailing = await getAnalyticsOverview({ programId: setup.program.id, timeZone, period: presetPeriod("t30", "2026-11-30"), now });
    // 1 Nov - 30 Nov local: a 100 + 0, b 200, guest 60
    expect(figures(trailing, "all")?.current).toMatchObject({ orders: 4, netCents: 36_000, customers: 3, repeatCustomers: 1 });
    // the same window read from facts (as for a day the rollups are not anchored on) agrees
    const asCustom = await getAnalyticsOverview({ programId: setup.program.id, timeZone, period: customPeriod("2026-11-01", "2026-11-30"), now });
    expect(figures(asCustom, "all")?.current).toEqual(figures(trailing, "all")?.current);

    const trend = month.trend.find((point) => point.period.start === "2026-10-01");
    expect(trend?.figures.members).toMatchObject({ orders: 3, netCents: 8_000 });
    expect(month.trend.at(-1)).toMatchObject({ isPartial: true, period: { start: "2026-11-01" } });
  });

  test("a return that arrives after the month ended restates that month, and the overview says so", async () => {
    const setup = await createProgram({ pendingDays: 0 });
    const member = await createMember(setup.program, new Date("2026-01-01T00:00:00Z"));
    const now = new Date("2026-11-30T12:00:00Z");
    await order(setup, member, 10_000, new Date("2026-10-20T12:00:00Z"), { externalId: "oct-order" });
    await foldAnalytics({ programId: setup.program.id, now });
    let overview = await getAnalyticsOverview({ programId: setup.program.id, timeZone: "UTC", period: presetPeriod("month", "2026-11-30"), now });
    expect(overview.isPreviousRestated).toBe(false);
    expect(figures(overview, "members")?.previous).toMatchObject({ netCents: 10_000 });
    await recordReturn({ programId: setup.program.id, orderExternalId: "oct-order", returnExternalId: "late", lines: [{ sku: "A", quantity: 1 }], at: new Date("2026-11-05T12:00:00Z") });
    await foldAnalytics({ programId: setup.program.id, now });
    overview = await getAnalyticsOverview({ programId: setup.program.id, timeZone: "UTC", period: presetPeriod("month", "2026-11-30"), now });
    expect(overview.isPreviousRestated).toBe(true);
    expect(overview.isRestated).toBe(false);
    expect(figures(overview, "members")?.previous).toMatchObject({ orders: 1, netCents: 0 });
  });

  test("changing the time zone recounts every figure in the new one", async () => {
    const setup = await createProgram({ pendingDays: 0 });
    const member = await createMember(setup.program, new Date("2026-01-01T00:00:00Z"));
    const now = new Date("2026-11-30T12:00:00Z");
    await order(setup, member, 10_000, new Date("2026-11-01T03:00:00Z")); // 1 Nov UTC, 31 Oct in Los Angeles
    await foldAnalytics({ programId: setup.program.id, now });
    const november = presetPeriod("month", "2026-11-30");
    expect(figures(await getAnalyticsOverview({ programId: setup.program.id, timeZone: "UTC", period: november, now }), "all")?.current.orders).toBe(1);
    await prisma.program.update({ where: { id: setup.program.id }, data: { timeZone: "America/Los_Angeles" } });
    const result = await foldAnalytics({ programId: setup.program.id, now });
    expect(result.rebuilt).toBe(true);
    const overview = await getAnalyticsOverview({ programId: setup.program.id, timeZone: "America/Los_Angeles", period: november, now });
    expect(figures(overview, "all")?.current.orders ?? 0).toBe(0);
    expect(figures(overview, "all")?.previous.orders).toBe(1);
  });

  test("the trailing windows move to a new day on the first fold of that day", async () => {
    const setup = await createProgram({ pendingDays: 0 });
    const member = await createMember(setup.program, new Date("2026-01-01T00:00:00Z"));
    await order(setup, member, 10_000, new Date("2026-11-01T12:00:00Z"));
    await foldAnalytics({ programId: setup.program.id, now: new Date("2026-11-30T12:00:00Z") });
    const result = await foldAnalytics({ programId: setup.program.id, now: new Date("2026-12-01T12:00:00Z") });
    expect(result.reanchored).toBe(true);
    const today = "2026-12-01";
    const overview = await getAnalyticsOverview({ programId: setup.program.id, timeZone: "UTC", period: presetPeriod("t30", today), now: new Date("2026-12-01T12:00:00Z") });
    // 1 November has left the last 30 days (2 Nov - 1 Dec) and is in the 30 days before
    expect(figures(overview, "all")?.current.orders ?? 0).toBe(0);
    expect(figures(overview, "all")?.previous.orders).toBe(1);
    expect(shiftDays(today, -29)).toBe("2026-11-02");
  });
});
