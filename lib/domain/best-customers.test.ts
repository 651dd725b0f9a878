import { describe, expect, test } from "vitest";
import { shiftDays } from "./analytics-periods";
import { OTHER_CATEGORIES, categoryMix, frequencyScore, recencyDayRange, recencyScore, rfGrid, rfSegment } from "./best-customers";

describe("recency and frequency scores (docs/analytics.md \"Best customers\")", () => {
  test.each([
    [null, 0], [0, 5], [30, 5], [31, 4], [90, 4], [91, 3], [180, 3], [181, 2], [365, 2], [366, 1], [4_000, 1], [-2, 5],
  ])("%s days since the last order -> recency %i", (days, score) => {
    expect(recencyScore(days)).toBe(score);
  });

  test.each([[0, 0], [1, 1], [2, 2], [3, 3], [4, 3], [5, 4], [9, 4], [10, 5], [250, 5]])("%i orders -> frequency %i", (orders, score) => {
    expect(frequencyScore(orders)).toBe(score);
  });

  test.each([
    [5, 5, "champions"], [4, 4, "champions"], [5, 1, "new"], [5, 2, "promising"], [4, 1, "promising"], [5, 3, "loyal"], [3, 5, "loyal"],
    [3, 3, "needAttention"], [3, 1, "aboutToSleep"], [2, 3, "atRisk"], [1, 3, "atRisk"], [2, 5, "cantLose"], [1, 4, "cantLose"], [1, 1, "hibernating"], [2, 1, "hibernating"],
  ] as const)("R%i F%i is %s", (recency, frequency, segment) => {
    expect(rfSegment(recency, frequency)).toBe(segment);
  });

  test("a recency score's last-order days, counted back from today (inclusive)", () => {
    expect(recencyDayRange(5, "2026-03-31", shiftDays)).toEqual({ from: "2026-03-01", to: null });
    expect(recencyDayRange(4, "2026-03-31", shiftDays)).toEqual({ from: "2025-12-31", to: "2026-02-28" });
    expect(recencyDayRange(1, "2026-03-31", shiftDays)).toEqual({ from: null, to: "2025-03-30" });
  });
});

describe("the grid's figures", () => {
  const rows = [
    { recency: 5, frequency: 5, customers: 2, orders: 30, netCents: 90_000 },
    { recency: 4, frequency: 1, customers: 3, orders: 3, netCents: 10_000 },
    { recency: 5, frequency: 2, customers: 1, orders: 2, netCents: 0 },
    { recency: 0, frequency: 0, customers: 7, orders: 0, netCents: 0 },
  ];

  test("every cell, shares of the customers who ordered, revenue per customer to the cent", () => {
    const grid = rfGrid(rows);
    expect(grid.cells).toHaveLength(25);
    expect(grid.totals).toEqual({ customers: 6, orders: 35, netCents: 100_000 });
    expect(grid.withoutOrder).toBe(7);
    const r4f1 = grid.cells.find((cell) => cell.recency === 4 && cell.frequency === 1)!;
    expect(r4f1).toMatchObject({ segment: "promising", customerShare: 0.5, revenueShare: 0.1, revenuePerCustomerCents: 3_333, ordersPerCustomer: 1 });
    const empty = grid.cells.find((cell) => cell.recency === 1 && cell.frequency === 1)!;
    expect(empty).toMatchObject({ customers: 0, revenuePerCustomerCents: null, ordersPerCustomer: null, customerShare: 0 });
    const promising = grid.segments.find((segment) => segment.segment === "promising")!;
    expect(promising).toMatchObject({ customers: 4, orders: 5, netCents: 10_000, revenuePerCustomerCents: 2_500 });
    expect(grid.segments.reduce((sum, segment) => sum + segment.customers, 0)).toBe(6);
  });

  test("an empty program has zero shares, not NaN", () => {
    const grid = rfGrid([]);
    expect(grid.cells.every((cell) => cell.customerShare === 0 && cell.revenueShare === 0)).toBe(true);
  });
});

describe("category mix", () => {
  test("the shop's top categories in its order, the rest as one line; each column adds up to 1", () => {
    const rows = [
      { recency: 5, frequency: 5, category: "home", netCents: 600 },
      { recency: 5, frequency: 5, category: "beauty", netCents: 300 },
      { recency: 1, frequency: 1, category: "toys", netCents: 50 },
      { recency: 1, frequency: 1, category: "garden", netCents: 50 },
    ];
    const mix = categoryMix(rows, 2);
    expect(mix.categories).toEqual(["home", "beauty", OTHER_CATEGORIES]);
    expect(mix.shop.map((row) => row.share)).toEqual([0.6, 0.3, 0.1]);
    const hibernating = mix.segments.find((segment) => segment.segment === "hibernating")!;
    expect(hibernating.shares.map((row) => [row.category, row.share])).toEqual([["home", 0], ["beauty", 0], [OTHER_CATEGORIES, 1]]);
    const atRisk = mix.segments.find((segment) => segment.segment === "atRisk")!;
    expect(atRisk.shares.every((row) => row.share === 0)).toBe(true);
  });
});
