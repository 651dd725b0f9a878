// Spend earning: points per currency unit, multiplied by the member's tier, allocated to lines.
export type SpendRule = {
  pointsPerUnitHundredths: number;
  /** tierId -> multiplier in basis points (10000 = x1) */
  tierMultipliers: Record<string, number>;
  isActive: boolean;
  startsAt: Date | null;
  endsAt: Date | null;
};

export type EarnLine = { quantity: number; unitPriceCents: number };

export type EarnResult = { points: number; linePoints: number[]; multiplierBps: number };

export const BASE_MULTIPLIER_BPS = 10_000;

export function isRuleActive({ rule, at }: { rule: SpendRule; at: Date }): boolean {
  if (!rule.isActive) return false;
  if (rule.startsAt && at < rule.startsAt) return false;
  if (rule.endsAt && at >= rule.endsAt) return false;
  return true;
}

export function tierMultiplierBps({ rule, tierId }: { rule: SpendRule; tierId: number | null }): number {
  if (tierId === null) return BASE_MULTIPLIER_BPS;
  const value = rule.tierMultipliers[String(tierId)];
  return Number.isInteger(value) && value > 0 ? value : BASE_MULTIPLIER_BPS;
}

/**
 * Points for an order: floor(subtotal x rate x multiplier), then split across lines in
 * proportion to their value (largest remainder) so returns can reverse exactly what a line earned.
 */
export function calculateOrderPoints({
  rule,
  tierId,
  lines,
  at,
}: {
  rule: SpendRule | null;
  tierId: number | null;
  lines: EarnLine[];
  at: Date;
}): EarnResult {
  const lineCents = lines.map((line) => BigInt(line.quantity) * BigInt(line.unitPriceCents));
  if (!rule || !isRuleActive({ rule, at })) {
    return { points: 0, linePoints: lines.map(() => 0), multiplierBps: BASE_MULTIPLIER_BPS };
  }
  const multiplierBps = tierMultiplierBps({ rule, tierId });
  const subtotal = lineCents.reduce((sum, cents) => sum + cents, 0n);
  // cents/100 x hundredths/100 x bps/10000
  const scale = 100n * 100n * 10_000n;
  const points = Number((subtotal * BigInt(rule.pointsPerUnitHundredths) * BigInt(multiplierBps)) / scale);
  return { points, linePoints: allocateProportionally({ total: points, weights: lineCents }), multiplierBps };
}

/** Splits an integer total by weights; the parts always add up to the total exactly. */
export function allocateProportionally({ total, weights }: { total: number; weights: bigint[] }): number[] {
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0n);
  if (weights.length === 0) return [];
  if (weightSum === 0n) return weights.map((_, index) => (index === 0 ? total : 0));
  const bigTotal = BigInt(total);
  const floors = weights.map((weight) => (bigTotal * weight) / weightSum);
  const remainders = weights.map((weight, index) => ({ index, rest: (bigTotal * weight) % weightSum }));
  let left = Number(bigTotal - floors.reduce((sum, part) => sum + part, 0n));
  remainders.sort((a, b) => (a.rest === b.rest ? a.index - b.index : a.rest > b.rest ? -1 : 1));
  const parts = floors.map(Number);
  for (const { index } of remainders) {
    if (left === 0) break;
    parts[index] += 1;
    left -= 1;
  }
  return parts;
}
