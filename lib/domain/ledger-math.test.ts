import { describe, expect, test } from "vitest";
import { lineReversal, planLotConsumption, splitClawback, splitEarningAgainstDebt } from "./ledger-math";

describe("planLotConsumption", () => {
  const lots = [{ id: 1, remaining: 30 }, { id: 2, remaining: 0 }, { id: 3, remaining: 50 }];
  test.each([
    { amount: 10, plan: [{ lotId: 1, amount: 10 }] },
    { amount: 30, plan: [{ lotId: 1, amount: 30 }] },
    { amount: 45, plan: [{ lotId: 1, amount: 30 }, { lotId: 3, amount: 15 }] },
    { amount: 80, plan: [{ lotId: 1, amount: 30 }, { lotId: 3, amount: 50 }] },
  ])("takes $amount in order", ({ amount, plan }) => {
    expect(planLotConsumption({ lots, amount })).toEqual(plan);
  });
  test.each([81, 0, -5, 1.5])("refuses %s", (amount) => {
    expect(() => planLotConsumption({ lots, amount })).toThrow();
  });
});

describe("debt and clawback", () => {
  test.each([
    { points: 100, debt: 0, repaid: 0, credited: 100 },
    { points: 100, debt: 30, repaid: 30, credited: 70 },
    { points: 20, debt: 30, repaid: 20, credited: 0 },
  ])("earning $points against debt $debt", ({ points, debt, repaid, credited }) => {
    expect(splitEarningAgainstDebt({ points, debt })).toEqual({ repaid, credited, debtAfter: debt - repaid });
  });
  test.each([
    { points: 50, held: 80, taken: 50, debt: 0 },
    { points: 50, held: 20, taken: 20, debt: 30 },
    { points: 50, held: 0, taken: 0, debt: 50 },
  ])("clawing back $points from $held", ({ points, held, taken, debt }) => {
    expect(splitClawback({ points, held })).toEqual({ taken, debt });
  });
});

describe("lineReversal", () => {
  const line = { quantity: 3, returnedQuantity: 0, pointsEarned: 100, pointsReversed: 0 };
  test.each([
    { state: line, returning: 1, reversed: 33 },
    { state: { ...line, returnedQuantity: 1, pointsReversed: 33 }, returning: 1, reversed: 33 },
    { state: { ...line, returnedQuantity: 2, pointsReversed: 66 }, returning: 1, reversed: 34 },
    { state: line, returning: 3, reversed: 100 },
  ])("returning $returning of a line", ({ state, returning, reversed }) => {
    expect(lineReversal({ line: state, returning })).toBe(reversed);
  });
  test("cannot return more than was bought", () => {
    expect(() => lineReversal({ line: { ...line, returnedQuantity: 3, pointsReversed: 100 }, returning: 1 })).toThrow();
  });
});
