import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";

// Program impact (docs/analytics.md "Program impact"): a difference in differences over strata of
// members and matched non-members. SQL returns, per stratum and arm, the count, sum and sum of
// squares of each unit's change (after - before); this turns them into the estimate and its
// interval. The normal quantile comes from a kept library (@stdlib), not a hand-written one.

export type ArmSums = { n: number; sum: number; sumSquares: number };
export type StratumSums = { treated: ArmSums; control: ArmSums };

export type DidEstimate = {
  /** average effect on the treated: members' change minus matched non-members' change */
  estimate: number;
  standardError: number;
  low: number;
  high: number;
  /** members with at least one matching non-member (those without are left out) */
  matchedTreated: number;
  /** matched non-members (units) used */
  matchedControls: number;
};

function sampleVariance({ n, sum, sumSquares }: ArmSums): number | null {
  if (n < 2) return null;
  return Math.max(0, (sumSquares - (sum * sum) / n) / (n - 1));
}

function pooled(arms: ArmSums[]): ArmSums {
  return arms.reduce((total, arm) => ({ n: total.n + arm.n, sum: total.sum + arm.sum, sumSquares: total.sumSquares + arm.sumSquares }), { n: 0, sum: 0, sumSquares: 0 });
}

/**
 * ATT = sum over strata of w_s (mean change of members - mean change of non-members), w_s = the
 * stratum's share of matched members. Var = sum of w_s^2 (s_t^2 / n_t + s_c^2 / n_c); an arm with a
 * single unit uses its arm's variance pooled over all strata. When the same customer can be a unit
 * in both arms, pass `clustered`: the sum over customers of the squared sum of their units'
 * influence on the estimate; the variance is then that sum x G / (G - 1) (cluster-robust, G
 * customers). Null without any matched member.
 */
export function stratifiedDid({ strata, level = 0.95, clustered }: { strata: StratumSums[]; level?: number; clustered?: { clusters: number; sumOfSquares: number } }): DidEstimate | null {
  const matched = strata.filter((stratum) => stratum.treated.n > 0 && stratum.control.n > 0);
  const treatedTotal = matched.reduce((sum, stratum) => sum + stratum.treated.n, 0);
  if (treatedTotal === 0) return null;
  const pooledTreated = sampleVariance(pooled(matched.map((stratum) => stratum.treated))) ?? 0;
  const pooledControl = sampleVariance(pooled(matched.map((stratum) => stratum.control))) ?? 0;
  let estimate = 0;
  let variance = 0;
  for (const { treated, control } of matched) {
    const weight = treated.n / treatedTotal;
    estimate += weight * (treated.sum / treated.n - control.sum / control.n);
    const treatedVariance = sampleVariance(treated) ?? pooledTreated;
    const controlVariance = sampleVariance(control) ?? pooledControl;
    variance += weight * weight * (treatedVariance / treated.n + controlVariance / control.n);
  }
  if (clustered && clustered.clusters > 1) variance = (clustered.sumOfSquares * clustered.clusters) / (clustered.clusters - 1);
  const standardError = Math.sqrt(variance);
  const z = normalQuantile(1 - (1 - level) / 2, 0, 1);
  return {
    estimate,
    standardError,
    low: estimate - z * standardError,
    high: estimate + z * standardError,
    matchedTreated: treatedTotal,
    matchedControls: matched.reduce((sum, stratum) => sum + stratum.control.n, 0),
  };
}

/** Mean of an arm; null when it is empty. */
export function armMean(arm: ArmSums): number | null {
  return arm.n > 0 ? arm.sum / arm.n : null;
}

export type ProgramReturn = {
  /** the effect on net revenue per member per month, with the interval's ends */
  incrementalCents: number;
  incrementalLowCents: number;
  incrementalHighCents: number;
  /** points issued per member per month (average over complete months) at the point value */
  issuedCostCents: number;
  /** points redeemed per member per month at the point value */
  redeemedCostCents: number;
  /** incremental net revenue per unit of currency of points issued; null without issued points */
  revenuePerCostUnit: number | null;
};

/**
 * The program's cost against the incremental revenue the impact estimate implies, per member and
 * month: incremental = the effect on net revenue per member per month; cost = points issued (and
 * redeemed) per month, averaged over complete months, at the point value, divided by the members.
 */
export function programReturn({ effect, members, issuedPerMonth, redeemedPerMonth, pointValueMillis }: {
  effect: { estimate: number; low: number; high: number };
  members: number;
  issuedPerMonth: number;
  redeemedPerMonth: number;
  pointValueMillis: number;
}): ProgramReturn | null {
  if (members <= 0) return null;
  const issuedCostCents = (issuedPerMonth * pointValueMillis) / 10 / members;
  return {
    incrementalCents: effect.estimate,
    incrementalLowCents: effect.low,
    incrementalHighCents: effect.high,
    issuedCostCents,
    redeemedCostCents: (redeemedPerMonth * pointValueMillis) / 10 / members,
    revenuePerCostUnit: issuedCostCents > 0 ? effect.estimate / issuedCostCents : null,
  };
}
