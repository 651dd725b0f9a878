import { describe, expect, test } from "vitest";
import { allocateProportionally, calculateOrderPoints, type SpendRule } from "./earn-points";

const rule: SpendRule = { pointsPerUnitHundredths: 100, tierMultipliers: { "2": 12_500, "3": 15_000 }, isActive: true, startsAt: null, endsAt: null };
const at = new Date("2026-06-01T12:00:00Z");

describe("calculateOrderPoints", () => {
  test.each([
    { name: "1 point per unit, no tier", tierId: null, lines: [{ quantity: 1, unitPriceCents: 12_345 }], points: 123 },
    { name: "Silver x1.25", tierId: 2, lines: [{ quantity: 2, unitPriceCents: 5_000 }], points: 125 },
    { name: "Gold x1.5 rounds down", tierId: 3, lines: [{ quantity: 1, unitPriceCents: 999 }], points: 14 },
    { name: "unknown tier falls back to x1", tierId: 99, lines: [{ quantity: 1, unitPriceCents: 10_000 }], points: 100 },
    { name: "cheap lines still add up before rounding", tierId: null, lines: Array.from({ length: 4 }, () => ({ quantity: 1, unitPriceCents: 50 })), points: 2 },
  ])("$name", ({ tierId, lines, points }) => {
    const result = calculateOrderPoints({ rule, tierId, lines, at });
    expect(result.points).toBe(points);
    expect(result.linePoints.reduce((a, b) => a + b, 0)).toBe(points);
  });

  test.each([
    { name: "inactive rule", rule: { ...rule, isActive: false } },
    { name: "before the window", rule: { ...rule, startsAt: new Date("2026-07-01T00:00:00Z") } },
    { name: "after the window", rule: { ...rule, endsAt: new Date("2026-06-01T00:00:00Z") } },
    { name: "no rule", rule: null },
  ])("earns nothing with $name", ({ rule: candidate }) => {
    expect(calculateOrderPoints({ rule: candidate, tierId: null, lines: [{ quantity: 1, unitPriceCents: 10_000 }], at }).points).toBe(0);
  });

  test("half a point per unit", () => {
    expect(calculateOrderPoints({ rule: { ...rule, pointsPerUnitHundredths: 50 }, tierId: null, lines: [{ quantity: 3, unitPriceCents: 1_000 }], at }).points).toBe(15);
  });

  test("huge orders stay exact (no float overflow)", () => {
    const result = calculateOrderPoints({ rule, tierId: 3, lines: [{ quantity: 1000, unitPriceCents: 99_999_999 }], at });
    expect(result.points).toBe(1_499_999_985);
  });
});

describe("allocateProportionally", () => {
  test.each([
    { total: 10, weights: [1n, 1n, 1n], parts: [4, 3, 3] },
    { total: 100, weights: [3n, 1n], parts: [75, 25] },
    { total: 7, weights: [0n, 0n], parts: [7, 0] },
    { total: 0, weights: [5n, 5n], parts: [0, 0] },
    { total: 5, weights: [], parts: [] },
  ])("$total over $weights", ({ total, weights, parts }) => {
    expect(allocateProportionally({ total, weights })).toEqual(parts);
  });
});
