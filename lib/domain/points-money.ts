import { addMonthsToMonth, monthsBetween } from "./cohorts";

// The points liability and its expected breakage (docs/analytics.md "Money"), from the money
// rollups: points earned per local month and what later left those lots (redeemed, expired,
// reversed by returns, adjusted), by month.

export type LotFlowRow = { earnMonth: string; flowMonth: string; flow: string; points: number };

type Cohort = { earned: number; redeemed: number[]; other: number[] };

function cohortsOf(rows: LotFlowRow[]): Map<string, Cohort> {
  const cohorts = new Map<string, Cohort>();
  for (const row of rows) {
    const cohort = cohorts.get(row.earnMonth) ?? { earned: 0, redeemed: [], other: [] };
    if (row.flow === "EARNED") cohort.earned += row.points;
    else {
      const age = monthsBetween(row.earnMonth, row.flowMonth);
      const list = row.flow === "REDEEM" ? cohort.redeemed : cohort.other;
      list[age] = (list[age] ?? 0) + row.points;
    }
    cohorts.set(row.earnMonth, cohort);
  }
  return cohorts;
}

export type Hazards = { redeem: number[]; other: number[] };

/**
 * Per month of age k (k = 0 is the month points were earned): the share of the points still in the
 * lots at the start of that month that were redeemed in it, and the share that left otherwise
 * (expired, reversed, adjusted), over every cohort that has completed month k (the current month is
 * not complete). Ages no cohort has completed are left out.
 */
export function redemptionHazards({ rows, currentMonth }: { rows: LotFlowRow[]; currentMonth: string }): Hazards {
  const redeemed: number[] = [];
  const other: number[] = [];
  const open: number[] = [];
  for (const [earnMonth, cohort] of cohortsOf(rows)) {
    let left = cohort.earned;
    for (let age = 0; addMonthsToMonth(earnMonth, age) < currentMonth; age += 1) {
      open[age] = (open[age] ?? 0) + left;
      redeemed[age] = (redeemed[age] ?? 0) + (cohort.redeemed[age] ?? 0);
      other[age] = (other[age] ?? 0) + (cohort.other[age] ?? 0);
      left -= (cohort.redeemed[age] ?? 0) + (cohort.other[age] ?? 0);
    }
  }
  return {
    redeem: open.map((points, age) => (points > 0 ? redeemed[age] / points : 0)),
    other: open.map((points, age) => (points > 0 ? other[age] / points : 0)),
  };
}

/**
 * The share of points now held at age `age` that will still be redeemed, by the hazards of the
 * ages after this one: sum over k > age of (survival to k) x redeem(k). Points that survive every
 * age with data are never redeemed (they expire, or stay unredeemed): breakage.
 */
export function expectedRedemptionShare({ hazards, age }: { hazards: Hazards; age: number }): number {
  let survive = 1;
  let share = 0;
  for (let k = age + 1; k < hazards.redeem.length; k += 1) {
    share += survive * hazards.redeem[k];
    survive *= Math.max(0, 1 - hazards.redeem[k] - hazards.other[k]);
  }
  return share;
}

export type LiabilityEstimate = {
  /** outstanding unexpired points (available and pending) */
  outstanding: number;
  /** of them, expected to be redeemed one day */
  expectedRedeemed: number;
  /** share of today's points expected never to be redeemed: 1 - expectedRedeemed / outstanding */
  breakage: number | null;
};

/** Today's points by earning month, and how many of them the curves say will be redeemed. */
export function liabilityEstimate({ outstandingByEarnMonth, rows, currentMonth }: { outstandingByEarnMonth: Map<string, number>; rows: LotFlowRow[]; currentMonth: string }): LiabilityEstimate {
  const hazards = redemptionHazards({ rows, currentMonth });
  let outstanding = 0;
  let expectedRedeemed = 0;
  for (const [earnMonth, points] of outstandingByEarnMonth) {
    outstanding += points;
    expectedRedeemed += points * expectedRedemptionShare({ hazards, age: monthsBetween(earnMonth, currentMonth) });
  }
  return { outstanding, expectedRedeemed, breakage: outstanding > 0 ? 1 - expectedRedeemed / outstanding : null };
}

/** Cumulative share of each earning month's points redeemed by the end of each month of age. */
export function redemptionCurves({ rows, months, currentMonth, maxAge }: { rows: LotFlowRow[]; months: string[]; currentMonth: string; maxAge: number }) {
  const cohorts = cohortsOf(rows);
  return months.map((earnMonth) => {
    const cohort = cohorts.get(earnMonth) ?? { earned: 0, redeemed: [], other: [] };
    let redeemed = 0;
    let left = 0;
    const cells: ({ share: number; isPartial: boolean } | null)[] = [];
    for (let age = 0; age <= maxAge; age += 1) {
      const month = addMonthsToMonth(earnMonth, age);
      if (month > currentMonth || cohort.earned === 0) {
        cells.push(null);
        continue;
      }
      redeemed += cohort.redeemed[age] ?? 0;
      left += (cohort.redeemed[age] ?? 0) + (cohort.other[age] ?? 0);
      cells.push({ share: redeemed / cohort.earned, isPartial: month === currentMonth });
    }
    return { earnMonth, earned: cohort.earned, redeemed, otherOut: left - redeemed, cells };
  });
}
