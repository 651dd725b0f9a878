import { describe, expect, test } from "vitest";
import { averageOrderValue, historicLtv, monthlyMetrics, monthRange, periodMetrics, purchaseFrequency, repeatPurchaseRate, type OrderFact } from "./analytics";

// Hand-computed fixture: members 1 and 2, non-members 3 and 4.
const d = (iso: string) => new Date(`${iso}T12:00:00Z`);
const orders: OrderFact[] = [
  { customerId: 1, placedAt: d("2026-01-05"), netCents: 10_000, isMember: true },
  { customerId: 1, placedAt: d("2026-01-20"), netCents: 5_000, isMember: true },
  { customerId: 2, placedAt: d("2026-01-10"), netCents: 3_000, isMember: true },
  { customerId: 1, placedAt: d("2026-02-02"), netCents: 2_000, isMember: true },
  { customerId: 3, placedAt: d("2026-01-15"), netCents: 4_000, isMember: false },
  { customerId: 4, placedAt: d("2026-02-15"), netCents: 0, isMember: false }, // fully returned
];

describe("definitions", () => {
  test("AOV = net revenue / orders", () => {
    expect(averageOrderValue({ orders: orders.slice(0, 3) })).toBe(6_000); // 18000 / 3
    expect(averageOrderValue({ orders: [] })).toBeNull();
  });
  test("repeat-purchase rate = customers with >= 2 orders / customers with >= 1", () => {
    expect(repeatPurchaseRate({ orders: orders.slice(0, 3) })).toBe(0.5); // customer 1 of {1, 2}
    expect(repeatPurchaseRate({ orders: [] })).toBeNull();
  });
  test("frequency = orders / customers", () => {
    expect(purchaseFrequency({ orders })).toBe(1.5); // 6 orders / 4 customers
  });
  test("historic LTV = cumulative net revenue per customer so far", () => {
    const members = orders.filter((order) => order.isMember);
    expect(historicLtv({ orders: members, asOf: d("2026-01-31") })).toBe(9_000); // 18000 / 2
    expect(historicLtv({ orders: members, asOf: d("2026-03-01") })).toBe(10_000); // 20000 / 2
  });
});

describe("monthly series and headline", () => {
  test("per month and segment", () => {
    const months = monthRange({ from: d("2026-01-01"), to: d("2026-03-01") });
    expect(months).toEqual(["2026-01", "2026-02", "2026-03"]);
    const [jan, feb, mar] = monthlyMetrics({ orders, months });
    expect(jan.members).toEqual({ orders: 3, customers: 2, aovCents: 6_000, repeatRate: 0.5, ltvCents: 9_000 });
    expect(jan.nonMembers).toEqual({ orders: 1, customers: 1, aovCents: 4_000, repeatRate: 0, ltvCents: 4_000 });
    expect(feb.members).toEqual({ orders: 1, customers: 1, aovCents: 2_000, repeatRate: 0, ltvCents: 10_000 });
    expect(feb.nonMembers.ltvCents).toBe(2_000); // (4000 + 0) / 2
    expect(mar.members).toEqual({ orders: 0, customers: 0, aovCents: null, repeatRate: null, ltvCents: 10_000 });
  });
  test("period headline", () => {
    const result = periodMetrics({ orders, from: d("2026-01-01"), to: d("2026-03-01") });
    expect(result.members).toMatchObject({ orders: 4, customers: 2, aovCents: 5_000, repeatRate: 0.5, ltvCents: 10_000, frequency: 2 });
    expect(result.nonMembers).toMatchObject({ orders: 2, aovCents: 2_000, repeatRate: 0, frequency: 1 });
  });
});
