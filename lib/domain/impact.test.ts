import { describe, expect, test } from "vitest";
import { armMean, programReturn, stratifiedDid, type ArmSums } from "./impact";

const arm = (values: number[]): ArmSums => ({ n: values.length, sum: values.reduce((a, b) => a + b, 0), sumSquares: values.reduce((a, b) => a + b * b, 0) });

describe("difference in differences over strata", () => {
  test("hand-computed: two strata weighted by matched members", () => {
    // stratum A: members change [2, 4] (mean 3, var 2), non-members [1, 1, 1] (mean 1, var 0): +2
    // stratum B: members [0, 1, 2] (mean 1, var 1), non-members [1, 3] (mean 2, var 2): -1
    // weights 2/5 and 3/5: 0.4 x 2 + 0.6 x (-1) = 0.2
    // variance: 0.16 x (2/2 + 0/3) + 0.36 x (1/3 + 2/2) = 0.16 + 0.48 = 0.64 -> SE 0.8
    const result = stratifiedDid({ strata: [{ treated: arm([2, 4]), control: arm([1, 1, 1]) }, { treated: arm([0, 1, 2]), control: arm([1, 3]) }] })!;
    expect(result.estimate).toBeCloseTo(0.2, 12);
    expect(result.standardError).toBeCloseTo(0.8, 12);
    expect(result.low).toBeCloseTo(0.2 - 1.959963984540054 * 0.8, 9);
    expect(result.high).toBeCloseTo(0.2 + 1.959963984540054 * 0.8, 9);
    expect(result).toMatchObject({ matchedTreated: 5, matchedControls: 5 });
  });

  test("members without a matching non-member are left out and counted as unmatched", () => {
    const result = stratifiedDid({ strata: [{ treated: arm([5, 5]), control: arm([]) }, { treated: arm([2, 2]), control: arm([1, 1]) }] })!;
    expect(result.estimate).toBe(1);
    expect(result.matchedTreated).toBe(2);
  });

  test("a single unit in an arm borrows its arm's pooled variance", () => {
    const result = stratifiedDid({ strata: [{ treated: arm([3]), control: arm([1, 2]) }, { treated: arm([1, 3]), control: arm([0, 0]) }] })!;
    // pooled treated [3, 1, 3]: var 4/3; pooled control [1, 2, 0, 0]: var 11/12
    // stratum 1: w 1/3, diff 1.5, var (4/3)/1 + 0.5/2; stratum 2: w 2/3, diff 2, var 2/2 + 0/2
    expect(result.estimate).toBeCloseTo((1 / 3) * 1.5 + (2 / 3) * 2, 12);
    expect(result.standardError ** 2).toBeCloseTo((1 / 9) * (4 / 3 + 0.25) + (4 / 9) * 1, 12);
  });

  test("no matched member: no estimate", () => {
    expect(stratifiedDid({ strata: [{ treated: arm([1]), control: arm([]) }] })).toBeNull();
    expect(stratifiedDid({ strata: [] })).toBeNull();
  });

  test("arm means", () => {
    expect(armMean(arm([1, 2, 3]))).toBe(2);
    expect(armMean(arm([]))).toBeNull();
  });
});

describe("cluster-robust variance", () => {
  test("with customers in both arms, the variance is the sum of squared customer influences x G/(G-1)", () => {
    const strata = [{ treated: arm([2, 4]), control: arm([1, 1, 1]) }];
    // influences: members (x - 3)/2 -> -0.5, 0.5; non-members -(x - 1)/3 -> 0, 0, 0. Customer A is
    // the member with 2 and one non-member; B the member with 4; C and D the other non-members
    // A: -0.5 + 0 = -0.5, B: 0.5, C: 0, D: 0 -> sum of squares 0.5, G = 4 -> 0.5 x 4/3
    const result = stratifiedDid({ strata, clustered: { clusters: 4, sumOfSquares: 0.5 } })!;
    expect(result.estimate).toBe(2);
    expect(result.standardError ** 2).toBeCloseTo((0.5 * 4) / 3, 12);
  });
});

describe("program cost against incremental revenue", () => {
  test("hand-computed: $4.00 more per member per month; 60,000 points a month at 1 cent for 1,000 members", () => {
    const result = programReturn({ effect: { estimate: 400, low: 100, high: 700 }, members: 1_000, issuedPerMonth: 60_000, redeemedPerMonth: 30_000, pointValueMillis: 10 });
    expect(result).toEqual({
      incrementalCents: 400,
      incrementalLowCents: 100,
      incrementalHighCents: 700,
      issuedCostCents: 60, // $600 of points a month / 1,000 members = $0.60 each
      redeemedCostCents: 30,
      revenuePerCostUnit: 400 / 60,
    });
    expect(programReturn({ effect: { estimate: 1, low: 0, high: 2 }, members: 10, issuedPerMonth: 0, redeemedPerMonth: 0, pointValueMillis: 10 })!.revenuePerCostUnit).toBeNull();
    expect(programReturn({ effect: { estimate: 1, low: 0, high: 2 }, members: 0, issuedPerMonth: 5, redeemedPerMonth: 0, pointValueMillis: 10 })).toBeNull();
  });
});
