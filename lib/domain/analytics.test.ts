import { describe, expect, test } from "vitest";
import { countsFromFacts, orderNetCents, orderSegments, overviewFigures, relativeChange, type OrderFact } from "./analytics";

// Hand-computed fixture (docs/analytics.md): customers 1 and 2 are members from the start; 3 is a
// guest who joined on 2026-01-20 (earlier orders stay non-member orders); 4 never joined.
// Net revenue is merchandise net of returns, without shipping. Cancelled orders never become facts.
const fact = (customerId: number, day: string, netCents: number, isMember: boolean, extra: Partial<OrderFact> = {}): OrderFact => ({
  customerId, day, netCents, isMember, isRedeemer: false, tierId: isMember ? 1 : null, ...extra,
});
const facts: OrderFact[] = [
  fact(1, "2026-01-05", 10_000, true),
  fact(1, "2026-01-20", 5_000, true, { isRedeemer: true, tierId: 2 }),
  fact(2, "2026-01-10", 3_000, true),
  fact(1, "2026-02-02", 2_000, true, { isRedeemer: true, tierId: 2 }),
  fact(3, "2026-01-15", 4_000, false), // guest, before joining
  fact(3, "2026-01-25", 6_000, true), // after joining on 2026-01-20
  fact(4, "2026-02-15", 0, false), // fully returned: still an order, 0 revenue
];

describe("net revenue of an order", () => {
  test.each([
    [{ totalCents: 10_500, shippingCents: 500, returnedCents: 0 }, 10_000],
    [{ totalCents: 10_500, shippingCents: 500, returnedCents: 2_500 }, 7_500],
    [{ totalCents: 10_500, shippingCents: 500, returnedCents: 10_000 }, 0],
    [{ totalCents: 1_000, shippingCents: 1_000, returnedCents: 0 }, 0], // only shipping
    [{ totalCents: 1_000, shippingCents: 0, returnedCents: 1_200 }, 0], // never below 0
  ])("%o -> %i cents", (order, expected) => {
    expect(orderNetCents(order)).toBe(expected);
  });
});

describe("populations", () => {
  test.each([
    [{ isMember: false, isRedeemer: false, tierId: null }, ["all", "nonMembers"]],
    [{ isMember: true, isRedeemer: false, tierId: 3 }, ["all", "members", "nonRedeemers", "tier:3"]],
    [{ isMember: true, isRedeemer: true, tierId: null }, ["all", "members", "redeemers", "tier:none"]],
  ])("%o belongs to %o", (attributes, expected) => {
    expect(orderSegments(attributes)).toEqual(expected);
  });
});

describe("counts and figures over a period", () => {
  const january = { start: "2026-01-01", end: "2026-02-01" };
  test.each([
    // members in January: c1 (2 orders: 15,000), c2 (3,000), c3 after joining (6,000)
    ["members", { orders: 4, netCents: 24_000, customers: 3, repeatCustomers: 1 }],
    // non-members in January: only c3's guest order
    ["nonMembers", { orders: 1, netCents: 4_000, customers: 1, repeatCustomers: 0 }],
    // all: c3 has two orders in January across both populations, so is a repeat customer overall
    ["all", { orders: 5, netCents: 28_000, customers: 3, repeatCustomers: 2 }],
    ["redeemers", { orders: 1, netCents: 5_000, customers: 1, repeatCustomers: 0 }],
    ["nonRedeemers", { orders: 3, netCents: 19_000, customers: 3, repeatCustomers: 0 }],
    ["tier:1", { orders: 3, netCents: 19_000, customers: 3, repeatCustomers: 0 }],
    ["tier:2", { orders: 1, netCents: 5_000, customers: 1, repeatCustomers: 0 }],
  ] as const)("January, %s", (segment, expected) => {
    expect(countsFromFacts({ facts, ...january, segment })).toEqual(expected);
  });

  test("a period boundary is a local day: the end day is not included", () => {
    expect(countsFromFacts({ facts, start: "2026-01-05", end: "2026-01-10", segment: "all" }).orders).toBe(1);
    expect(countsFromFacts({ facts, start: "2026-01-05", end: "2026-01-11", segment: "all" }).orders).toBe(2);
  });

  test("figures: AOV = revenue / orders, frequency = orders / customers, repeat rate = repeaters / customers", () => {
    const all = overviewFigures(countsFromFacts({ facts, ...january, segment: "all" }));
    expect(all.aovCents).toBe(5_600); // 28,000 / 5
    expect(all.frequency).toBeCloseTo(5 / 3, 12);
    expect(all.repeatRate).toBeCloseTo(2 / 3, 12);
    const february = overviewFigures(countsFromFacts({ facts, start: "2026-02-01", end: "2026-03-01", segment: "nonMembers" }));
    expect(february).toMatchObject({ orders: 1, netCents: 0, aovCents: 0, frequency: 1, repeatRate: 0 });
  });

  test("an empty population has no AOV, frequency or repeat rate (not zero)", () => {
    expect(overviewFigures(countsFromFacts({ facts, start: "2026-03-01", end: "2026-04-01", segment: "members" }))).toEqual({
      orders: 0, netCents: 0, customers: 0, repeatCustomers: 0, aovCents: null, frequency: null, repeatRate: null,
    });
  });
});

describe("relative change", () => {
  test.each([
    [120, 100, 0.2],
    [80, 100, -0.2],
    [5, 0, null],
    [null, 100, null],
    [100, null, null],
  ])("%s vs %s", (current, previous, expected) => {
    expect(relativeChange(current, previous)).toBe(expected);
  });
});
