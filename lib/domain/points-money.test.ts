import { describe, expect, test } from "vitest";
import { expectedRedemptionShare, liabilityEstimate, redemptionCurves, redemptionHazards, type LotFlowRow } from "./points-money";

// Hand-computed: January earned 1,000 points: 300 redeemed in January (age 0), 200 in February
// (age 1), 100 expired in March (age 2). February earned 500: 100 redeemed in February (age 0),
// 100 in March (age 1). Today is in April (current, partial month).
const rows: LotFlowRow[] = [
  { earnMonth: "2026-01-01", flowMonth: "2026-01-01", flow: "EARNED", points: 1_000 },
  { earnMonth: "2026-01-01", flowMonth: "2026-01-01", flow: "REDEEM", points: 300 },
  { earnMonth: "2026-01-01", flowMonth: "2026-02-01", flow: "REDEEM", points: 200 },
  { earnMonth: "2026-01-01", flowMonth: "2026-03-01", flow: "EXPIRE", points: 100 },
  { earnMonth: "2026-02-01", flowMonth: "2026-02-01", flow: "EARNED", points: 500 },
  { earnMonth: "2026-02-01", flowMonth: "2026-02-01", flow: "REDEEM", points: 100 },
  { earnMonth: "2026-02-01", flowMonth: "2026-03-01", flow: "REDEEM", points: 100 },
];

describe("redemption hazards", () => {
  test("share of the points still held at the start of each age that were redeemed, or left otherwise", () => {
    const hazards = redemptionHazards({ rows, currentMonth: "2026-04-01" });
    // age 0: Jan 300/1000 and Feb 100/500 -> 400/1500; age 1: Jan 200/700, Feb 100/400 -> 300/1100;
    // age 2: only January has completed it (Feb's age 2 is April): 0 redeemed, 100 expired of 500
    expect(hazards.redeem).toEqual([400 / 1500, 300 / 1100, 0]);
    expect(hazards.other).toEqual([0, 0, 100 / 500]);
  });

  test("expected share still to be redeemed from a given age", () => {
    const hazards = { redeem: [0.3, 0.2, 0.1, 0], other: [0, 0, 0.5, 1] };
    // from age 0: 0.2 + (1 - 0.2) x 0.1 + ... = 0.2 + 0.08 + 0.8 x 0.4 x 0 = 0.28
    expect(expectedRedemptionShare({ hazards, age: 0 })).toBeCloseTo(0.28, 12);
    expect(expectedRedemptionShare({ hazards, age: 1 })).toBeCloseTo(0.1, 12);
    expect(expectedRedemptionShare({ hazards, age: 3 })).toBe(0);
  });
});

describe("liability net of expected breakage", () => {
  test("today's points by earning month, projected with the curves", () => {
    // outstanding: January 400 (age 3: no data after it -> never redeemed), February 300 (age 2:
    // no data after it either), March 200 (age 1: will see age 2's hazard: 0 redeemed)
    const estimate = liabilityEstimate({
      outstandingByEarnMonth: new Map([["2026-01-01", 400], ["2026-02-01", 300], ["2026-03-01", 200]]),
      rows,
      currentMonth: "2026-04-01",
    });
    expect(estimate).toEqual({ outstanding: 900, expectedRedeemed: 0, breakage: 1 });
    // a cohort at age 0 still has ages 1 (300/1100) and 2 (0) ahead
    const young = liabilityEstimate({ outstandingByEarnMonth: new Map([["2026-04-01", 1_100]]), rows, currentMonth: "2026-04-01" });
    expect(young.expectedRedeemed).toBeCloseTo(300, 9);
    expect(young.breakage).toBeCloseTo(800 / 1100, 12);
    expect(liabilityEstimate({ outstandingByEarnMonth: new Map(), rows, currentMonth: "2026-04-01" }).breakage).toBeNull();
  });
});

describe("redemption curves", () => {
  test("cumulative share redeemed by age; months not reached yet are empty; the current month is partial", () => {
    const [january, february] = redemptionCurves({ rows, months: ["2026-01-01", "2026-02-01"], currentMonth: "2026-04-01", maxAge: 4 });
    expect(january.cells.map((cell) => cell?.share ?? null)).toEqual([0.3, 0.5, 0.5, 0.5, null]);
    expect(january.cells[3]?.isPartial).toBe(true);
    expect(january).toMatchObject({ earned: 1_000, redeemed: 500, otherOut: 100 });
    expect(february.cells.map((cell) => cell?.share ?? null)).toEqual([0.2, 0.4, 0.4, null, null]);
  });
});
