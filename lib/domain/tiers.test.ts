import { describe, expect, test } from "vitest";
import { evaluateTier, previewTierMoves, qualifyingAmount, resolveTier, tierOutlook, type TierDef, type TierPolicy } from "./tiers";

const tiers: TierDef[] = [
  { id: 3, name: "Gold", rank: 3, minSpendCents: 150_000, minPoints: 1_500 },
  { id: 1, name: "Bronze", rank: 1, minSpendCents: 0, minPoints: 0 },
  { id: 2, name: "Silver", rank: 2, minSpendCents: 50_000, minPoints: 500 },
];
const rolling: TierPolicy = { basis: "SPEND", window: "ROLLING_12_MONTHS", graceDays: 30 };
const calendar: TierPolicy = { basis: "SPEND", window: "CALENDAR_YEAR", graceDays: 0 };
const at = new Date("2026-06-15T12:00:00Z");
const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

test.each([
  { basis: "SPEND" as const, amount: 0, tier: "Bronze" },
  { basis: "SPEND" as const, amount: 49_999, tier: "Bronze" },
  { basis: "SPEND" as const, amount: 50_000, tier: "Silver" },
  { basis: "SPEND" as const, amount: 200_000, tier: "Gold" },
  { basis: "POINTS" as const, amount: 499, tier: "Bronze" },
  { basis: "POINTS" as const, amount: 1_500, tier: "Gold" },
])("$basis $amount -> $tier", ({ basis, amount, tier }) => {
  expect(resolveTier({ tiers, basis, amount })?.name).toBe(tier);
});

test.each([
  { window: "ROLLING_12_MONTHS" as const, expected: 1_000 + 30_000 + 20_000, note: "the order 13 months ago no longer counts" },
  { window: "CALENDAR_YEAR" as const, expected: 60_000 + 1_000, note: "last year (61,000) beats this year (50,000)" },
])("qualifying amount, $window: $note", ({ window, expected }) => {
  const contributions = [
    { at: day("2025-05-01"), amount: 60_000 },
    { at: day("2025-12-30"), amount: 1_000 },
    { at: day("2026-01-10"), amount: 30_000 },
    { at: day("2026-06-01"), amount: 20_000 },
    { at: day("2026-07-01"), amount: 99_999 }, // after `at`
  ];
  const result = qualifyingAmount({ policy: { ...rolling, window }, contributions, at });
  expect(result).toBe(expected);
});

describe("evaluateTier", () => {
  const state = (tierId: number | null, extra: Partial<{ floorTierId: number; graceUntil: Date }> = {}) => ({
    tierId,
    floorTierId: extra.floorTierId ?? null,
    graceUntil: extra.graceUntil ?? null,
  });

  test.each([
    { name: "qualifying moves up at once", amount: 60_000, from: state(1), mode: "order" as const, tierId: 2, reason: "qualified", grace: null },
    { name: "an order never moves down", amount: 10_000, from: state(3), mode: "order" as const, tierId: 3, reason: null, grace: null },
    { name: "review below the tier starts grace", amount: 10_000, from: state(3), mode: "review" as const, tierId: 3, reason: null, grace: "2026-07-15" },
    {
      name: "grace not over: stays",
      amount: 10_000,
      from: state(3, { graceUntil: day("2026-06-20") }),
      mode: "review" as const,
      tierId: 3,
      reason: null,
      grace: "2026-06-20",
    },
    {
      name: "grace over: down to what the amount earns",
      amount: 60_000,
      from: state(3, { graceUntil: day("2026-06-10") }),
      mode: "review" as const,
      tierId: 2,
      reason: "grace_expired",
      grace: null,
    },
    {
      name: "back above during grace clears it",
      amount: 150_000,
      from: state(3, { graceUntil: day("2026-06-20") }),
      mode: "order" as const,
      tierId: 3,
      reason: null,
      grace: null,
    },
    { name: "VIP floor lifts", amount: 0, from: state(1, { floorTierId: 3 }), mode: "review" as const, tierId: 3, reason: "floor", grace: null },
    { name: "VIP floor holds", amount: 0, from: state(3, { floorTierId: 3 }), mode: "review" as const, tierId: 3, reason: null, grace: null },
    { name: "floor below what is earned", amount: 200_000, from: state(2, { floorTierId: 2 }), mode: "order" as const, tierId: 3, reason: "qualified", grace: null },
    { name: "deleted tier: re-placed", amount: 60_000, from: state(99), mode: "review" as const, tierId: 2, reason: "qualified", grace: null },
  ])("$name", ({ amount, from, mode, tierId, reason, grace }) => {
    const decision = evaluateTier({ tiers, policy: rolling, amount, state: from, at, mode });
    expect(decision.tierId).toBe(tierId);
    expect(decision.reason).toBe(reason);
    expect(decision.graceUntil?.toISOString().slice(0, 10) ?? null).toBe(grace);
  });

  test("no grace period: down at the first review", () => {
    const decision = evaluateTier({ tiers, policy: { ...rolling, graceDays: 0 }, amount: 0, state: state(3), at, mode: "review" });
    expect(decision).toMatchObject({ tierId: 1, reason: "below_threshold", graceUntil: null });
  });
});

describe("tierOutlook", () => {
  test("rolling: what is left to Gold, by when, and until when Silver is secure", () => {
    const contributions = [
      { at: day("2025-08-01"), amount: 20_000 },
      { at: day("2025-11-01"), amount: 40_000 },
      { at: day("2026-03-01"), amount: 10_000 },
    ];
    const outlook = tierOutlook({ tiers, policy: rolling, contributions, state: { tierId: 2, floorTierId: null, graceUntil: null }, at });
    expect(outlook.next?.name).toBe("Gold");
    expect(outlook.amount).toBe(70_000);
    // the oldest order leaves the window on 2026-08-01: until then 80,000 more reaches Gold
    expect(outlook.toNext).toEqual({ remaining: 80_000, by: new Date("2026-08-01T12:00:00Z"), percent: 20 });
    // 70,000 - 20,000 (Aug) = 50,000 still holds Silver; - 40,000 (Nov) drops below
    expect(outlook.keep).toEqual({ kind: "secure", until: new Date("2026-11-01T12:00:00Z") });
  });

  test("calendar year: spend by 31 December to keep the tier through next year", () => {
    const contributions = [
      { at: day("2025-04-01"), amount: 80_000 },
      { at: day("2026-02-01"), amount: 30_000 },
    ];
    const outlook = tierOutlook({ tiers, policy: calendar, contributions, state: { tierId: 2, floorTierId: null, graceUntil: null }, at });
    expect(outlook.amount).toBe(30_000);
    expect(outlook.keep).toEqual({ kind: "needs", remaining: 20_000, by: new Date(Date.UTC(2026, 11, 31)) });
    expect(outlook.toNext).toMatchObject({ remaining: 120_000, by: new Date(Date.UTC(2026, 11, 31)) });
  });

  test("grace, floor and the base tier", () => {
    const graceUntil = day("2026-07-01");
    expect(tierOutlook({ tiers, policy: rolling, contributions: [], state: { tierId: 3, floorTierId: null, graceUntil }, at }).keep).toEqual({
      kind: "grace",
      until: graceUntil,
      remaining: 150_000,
    });
    expect(tierOutlook({ tiers, policy: rolling, contributions: [], state: { tierId: 3, floorTierId: 3, graceUntil: null }, at }).keep).toEqual({ kind: "floor" });
    const base = tierOutlook({ tiers, policy: rolling, contributions: [], state: { tierId: 1, floorTierId: null, graceUntil: null }, at });
    expect(base.keep).toEqual({ kind: "base" });
    expect(base.toNext).toEqual({ remaining: 50_000, by: null, percent: 0 });
  });

  test("top tier: nothing next", () => {
    const outlook = tierOutlook({ tiers, policy: rolling, contributions: [{ at: day("2026-06-01"), amount: 200_000 }], state: { tierId: 3, floorTierId: null, graceUntil: null }, at });
    expect(outlook.next).toBeNull();
    expect(outlook.toNext).toBeNull();
  });
});

test("preview: raising Silver's threshold and adding Platinum", () => {
  const members = [
    { floorTierId: null, amountBefore: 10_000, amountAfter: 10_000 },
    { floorTierId: null, amountBefore: 60_000, amountAfter: 60_000 }, // falls to Bronze
    { floorTierId: 2, amountBefore: 60_000, amountAfter: 60_000 }, // VIP floor keeps Silver
    { floorTierId: null, amountBefore: 400_000, amountAfter: 400_000 }, // up to Platinum
    { floorTierId: null, amountBefore: 0, amountAfter: 0 },
  ];
  const after: TierDef[] = [
    { ...tiers[1] },
    { ...tiers[2], minSpendCents: 80_000 },
    { ...tiers[0] },
    { id: -1, name: "Platinum", rank: 4, minSpendCents: 300_000, minPoints: 3_000 },
  ];
  const moves = previewTierMoves({ members, before: tiers, after, policyBefore: rolling, policyAfter: rolling });
  expect(moves).toMatchObject({ up: 1, down: 1, unchanged: 3 });
  expect(moves.byTier).toEqual([
    { tierId: 1, before: 2, after: 3 },
    { tierId: 2, before: 2, after: 1 },
    { tierId: 3, before: 1, after: 0 },
    { tierId: -1, before: 0, after: 1 },
    { tierId: null, before: 0, after: 0 },
  ]);
});

test("preview: an unchanged configuration moves nobody; switching the basis to points does", () => {
  const members = [
    { floorTierId: null, amountBefore: 60_000, amountAfter: 200 },
    { floorTierId: null, amountBefore: 200_000, amountAfter: 2_000 },
  ];
  expect(previewTierMoves({ members: members.map((m) => ({ ...m, amountAfter: m.amountBefore })), before: tiers, after: tiers, policyBefore: rolling, policyAfter: rolling })).toMatchObject({
    up: 0,
    down: 0,
    unchanged: 2,
  });
  expect(previewTierMoves({ members, before: tiers, after: tiers, policyBefore: rolling, policyAfter: { ...rolling, basis: "POINTS" } })).toMatchObject({ up: 0, down: 1, unchanged: 1 });
});
