import { describe, expect, test } from "vitest";
import {
  DEFAULT_SPEND_CONFIG, allocateDiscounts, allocateProportionally, applyEarnCaps, calculateOrderEarning, returnedValueCents, roundRatio, type Promotion, type SpendRule,
} from "./earn-points";

const calculateOrderPoints = (args: Parameters<typeof calculateOrderEarning>[0]) => {
  const result = calculateOrderEarning(args);
  return { ...result, points: result.total };
};

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

const lines = [
  { sku: "TSHIRT", category: "apparel", quantity: 2, unitPriceCents: 2_500 },
  { sku: "GIFT-50", category: "gift-cards", quantity: 1, unitPriceCents: 5_000 },
  { sku: "MUG", category: "kitchen", quantity: 1, unitPriceCents: 1_250 },
];
const withConfig = (config: Partial<typeof DEFAULT_SPEND_CONFIG>): SpendRule => ({ ...rule, config: { ...DEFAULT_SPEND_CONFIG, ...config } });
const promo = (overrides: Partial<Promotion> = {}): Promotion => ({
  id: 7, version: 2, multiplierBps: 20_000, categories: [], tierIds: [], isActive: true, startsAt: new Date("2026-05-30T00:00:00Z"), endsAt: new Date("2026-06-02T00:00:00Z"), ...overrides,
});

describe("spend options", () => {
  test.each([
    { name: "plain: every line, shipping is never a line", config: {}, total: 112 },
    { name: "excluded category", config: { excludedCategories: ["gift-cards"] }, total: 62 },
    { name: "excluded SKU", config: { excludedSkus: ["MUG"] }, total: 100 },
    { name: "rounding up", config: { rounding: "up" as const }, total: 113 },
    { name: "rounding to nearest (.5 goes up)", config: { rounding: "nearest" as const }, total: 113 },
    { name: "category x2 on apparel", config: { categoryMultipliers: { apparel: 20_000 } }, total: 162 },
    { name: "below the minimum order", config: { minOrderCents: 20_000 }, total: 0 },
    { name: "exactly the minimum order", config: { minOrderCents: 11_250 }, total: 112 },
  ])("$name", ({ config, total }) => {
    const result = calculateOrderEarning({ rule: withConfig(config), tierId: null, lines, at });
    expect(result.total).toBe(total);
    expect(result.linePoints.reduce((a, b) => a + b, 0)).toBe(total);
  });

  test("an excluded line earns nothing, so returning it reverses nothing", () => {
    const result = calculateOrderEarning({ rule: withConfig({ excludedCategories: ["gift-cards"] }), tierId: null, lines, at });
    expect(result.linePoints[1]).toBe(0);
  });

  test("below the minimum explains why in the preview", () => {
    expect(calculateOrderEarning({ rule: withConfig({ minOrderCents: 20_000 }), tierId: null, lines, at }).notes).toEqual(["below_minimum"]);
  });
});

describe("promotions", () => {
  test.each([
    { name: "double points on everything", promotions: [promo()], tierId: null, extra: 112 },
    { name: "double points on apparel only", promotions: [promo({ categories: ["apparel"] })], tierId: null, extra: 50 },
    { name: "x1.5 for Gold only, member is Gold (base x1.5 too)", promotions: [promo({ multiplierBps: 15_000, tierIds: [3] })], tierId: 3, extra: 84 },
    { name: "for Gold only, member is Silver", promotions: [promo({ tierIds: [3] })], tierId: 2, extra: 0 },
    { name: "outside the window", promotions: [promo({ endsAt: new Date("2026-06-01T12:00:00Z") })], tierId: null, extra: 0 },
    { name: "paused", promotions: [promo({ isActive: false })], tierId: null, extra: 0 },
  ])("$name", ({ promotions, tierId, extra }) => {
    const result = calculateOrderEarning({ rule, promotions, tierId, lines, at });
    const promotionPoints = result.promotions.reduce((sum, part) => sum + part.points, 0);
    expect(promotionPoints).toBe(extra);
    expect(result.total).toBe(result.base.points + extra);
    if (extra > 0) expect(result.promotions[0]).toMatchObject({ ruleId: 7, version: 2 });
  });

  test("a promotion only multiplies lines the spend rule lets earn", () => {
    const result = calculateOrderEarning({ rule: withConfig({ excludedCategories: ["gift-cards"] }), promotions: [promo()], tierId: null, lines, at });
    expect(result.promotions[0].linePoints[1]).toBe(0);
    expect(result.total).toBe(124);
  });
});

describe("caps", () => {
  const earned = () => calculateOrderEarning({ rule, promotions: [promo()], tierId: null, lines, at }); // 112 + 112
  test.each([
    { name: "no caps", memberRemaining: null, budget: null, base: 112, extra: 112, capped: false },
    { name: "member cap cuts the promotion first", memberRemaining: 150, budget: null, base: 112, extra: 38, capped: true },
    { name: "member cap smaller than the base", memberRemaining: 100, budget: null, base: 100, extra: 0, capped: true },
    { name: "member cap already used up", memberRemaining: -5, budget: null, base: 0, extra: 0, capped: true },
    { name: "promotion budget nearly spent", memberRemaining: null, budget: 10, base: 112, extra: 10, capped: true },
    { name: "both", memberRemaining: 115, budget: 10, base: 112, extra: 3, capped: true },
  ])("$name", ({ memberRemaining, budget, base, extra, capped }) => {
    const result = applyEarnCaps(earned(), { memberRemaining, promotionRemaining: { 7: budget } });
    expect(result.base.points).toBe(base);
    expect(result.promotions.reduce((sum, part) => sum + part.points, 0)).toBe(extra);
    expect(result.total).toBe(base + extra);
    expect(result.linePoints.reduce((a, b) => a + b, 0)).toBe(base + extra);
    expect(result.notes.includes("capped")).toBe(capped);
  });
});

describe("roundRatio", () => {
  test.each([
    { numerator: 7n, denominator: 2n, rounding: "down" as const, result: 3 },
    { numerator: 7n, denominator: 2n, rounding: "nearest" as const, result: 4 },
    { numerator: 5n, denominator: 4n, rounding: "nearest" as const, result: 1 },
    { numerator: 5n, denominator: 4n, rounding: "up" as const, result: 2 },
    { numerator: 8n, denominator: 4n, rounding: "up" as const, result: 2 },
  ])("$numerator/$denominator $rounding", ({ numerator, denominator, rounding, result }) => {
    expect(roundRatio({ numerator, denominator, rounding })).toBe(result);
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

describe("discounts (an order's stated discounts, spread over its lines)", () => {
  test.each([
    ["no discount", [{ quantity: 2, unitPriceCents: 500 }], 0, [0]],
    ["a line's own discount stays on it", [{ quantity: 2, unitPriceCents: 500, discountCents: 150 }, { quantity: 1, unitPriceCents: 100 }], 0, [150, 0]],
    ["an order discount by what is left of each line", [{ quantity: 3, unitPriceCents: 3333, discountCents: 999 }, { quantity: 1, unitPriceCents: 1000 }], 1000, [1899, 100]],
    ["shares add up exactly (largest remainder)", [{ quantity: 1, unitPriceCents: 100 }, { quantity: 1, unitPriceCents: 100 }, { quantity: 1, unitPriceCents: 100 }], 100, [34, 33, 33]],
  ])("%s", (_name, lines, orderDiscountCents, expected) => {
    const shares = allocateDiscounts({ lines, orderDiscountCents });
    expect(shares).toEqual(expected);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(lines.reduce((sum, line) => sum + ("discountCents" in line ? line.discountCents ?? 0 : 0), 0) + orderDiscountCents);
  });

  test("returned units give back exactly what was paid, in any order of partial returns", () => {
    const line = { quantity: 7, unitPriceCents: 999, discountCents: 1000 }; // paid 5993
    for (const steps of [[7], [1, 6], [3, 3, 1], [1, 1, 1, 1, 1, 1, 1]]) {
      let returned = 0;
      let total = 0;
      for (const step of steps) {
        total += returnedValueCents({ line, returnedBefore: returned, returning: step });
        returned += step;
      }
      expect(total).toBe(5993);
    }
    expect(returnedValueCents({ line, returnedBefore: 0, returning: 1 })).toBe(856); // floor(5993 / 7)
  });

  test("points are earned on the paid amount", () => {
    const earn = calculateOrderEarning({ rule, tierId: null, at: new Date(), lines: [{ quantity: 3, unitPriceCents: 3333, discountCents: 1899 }, { quantity: 1, unitPriceCents: 1000, discountCents: 100 }] });
    expect(earn.linePoints).toEqual([81, 9]);
  });
});
