// Earning maths: spend points (rate x tier x category, rounding, minimum order, exclusions),
// promotions (multipliers in a date window, by category/tier, with a budget) and member caps.
// Pure: the service loads the rules and the caps' current usage and passes them in.

import type { Audience } from "./offers";

export type Rounding = "down" | "nearest" | "up";

export type SpendConfig = {
  rounding: Rounding;
  minOrderCents: number;
  excludedCategories: string[];
  excludedSkus: string[];
  /** category -> multiplier in basis points (10000 = x1) */
  categoryMultipliers: Record<string, number>;
  /** most points a member may earn from orders per UTC day / calendar month; null = no cap */
  capPerMemberDay: number | null;
  capPerMemberMonth: number | null;
};

export const DEFAULT_SPEND_CONFIG: SpendConfig = {
  rounding: "down",
  minOrderCents: 0,
  excludedCategories: [],
  excludedSkus: [],
  categoryMultipliers: {},
  capPerMemberDay: null,
  capPerMemberMonth: null,
};

type Windowed = { isActive: boolean; startsAt: Date | null; endsAt: Date | null };

export type SpendRule = Windowed & {
  pointsPerUnitHundredths: number;
  /** tierId -> multiplier in basis points (10000 = x1) */
  tierMultipliers: Record<string, number>;
  config?: SpendConfig;
};

export type Promotion = Windowed & {
  id: number;
  version: number;
  multiplierBps: number;
  /** empty = every eligible line */
  categories: string[];
  /** empty = every tier (and members without one) */
  tierIds: number[];
  /** member attributes the promotion is limited to (an offer's audience); checked by the service */
  audience?: Audience;
};

/** discountCents: the line's share of the order's stated discounts (see allocateDiscounts): points are earned on what was paid */
export type EarnLine = { sku?: string; category?: string | null; quantity: number; unitPriceCents: number; discountCents?: number };

/** What the customer paid for a line: quantity × unit price less its share of the discounts. */
export const linePaidCents = (line: EarnLine): bigint => BigInt(line.quantity) * BigInt(line.unitPriceCents) - BigInt(line.discountCents ?? 0);

/**
 * What `returning` more units of a line are worth, given `returnedBefore` already returned: the
 * paid amount spread over the units so that returning every unit gives back exactly what was paid
 * (value of n units = floor(n × paid / quantity); a return is the difference).
 */
export function returnedValueCents({ line, returnedBefore, returning }: { line: EarnLine; returnedBefore: number; returning: number }): number {
  const paid = linePaidCents(line);
  const valueOf = (units: number) => (BigInt(units) * paid) / BigInt(line.quantity);
  return Number(valueOf(returnedBefore + returning) - valueOf(returnedBefore));
}

/**
 * Each line's share of an order's discounts: its own stated discount plus a share of the
 * order-level discount in proportion to what is left of each line (largest remainder, so the
 * shares add up to the stated discounts exactly). The order total is Σ(quantity × unit price)
 * − line discounts − order discount + shipping (checked by the API and the import).
 */
export function allocateDiscounts({ lines, orderDiscountCents }: { lines: { quantity: number; unitPriceCents: number; discountCents?: number }[]; orderDiscountCents: number }): number[] {
  const own = lines.map((line) => line.discountCents ?? 0);
  const rest = lines.map((line, index) => BigInt(line.quantity) * BigInt(line.unitPriceCents) - BigInt(own[index]));
  const shared = allocateProportionally({ total: orderDiscountCents, weights: rest });
  return own.map((cents, index) => cents + shared[index]);
}

export type EarnPart = { points: number; linePoints: number[] };
export type PromotionPart = EarnPart & { ruleId: number; version: number };

export type EarnBreakdown = {
  base: EarnPart;
  promotions: PromotionPart[];
  total: number;
  /** per line, base + promotions */
  linePoints: number[];
  multiplierBps: number;
  /** why points were not earned, for the preview */
  notes: ("no_rule" | "inactive" | "below_minimum" | "capped")[];
};

export const BASE_MULTIPLIER_BPS = 10_000;
const SCALE = 100n * 100n * 10_000n * 10_000n; // cents x hundredths x tier bps x category bps

export function isRuleActive({ rule, at }: { rule: Windowed; at: Date }): boolean {
  if (!rule.isActive) return false;
  if (rule.startsAt && at < rule.startsAt) return false;
  if (rule.endsAt && at >= rule.endsAt) return false;
  return true;
}

/** A promotion opens `earlyAccessHours` early for members of a tier with early access to offers. */
export function isPromotionOpen({ promotion, at, earlyAccessHours = 0 }: { promotion: Windowed; at: Date; earlyAccessHours?: number }): boolean {
  const startsAt = promotion.startsAt && earlyAccessHours > 0 ? new Date(promotion.startsAt.getTime() - earlyAccessHours * 3_600_000) : promotion.startsAt;
  return isRuleActive({ rule: { ...promotion, startsAt }, at });
}

export function tierMultiplierBps({ rule, tierId }: { rule: SpendRule; tierId: number | null }): number {
  if (tierId === null) return BASE_MULTIPLIER_BPS;
  const value = rule.tierMultipliers[String(tierId)];
  return Number.isInteger(value) && value > 0 ? value : BASE_MULTIPLIER_BPS;
}

export function roundRatio({ numerator, denominator, rounding }: { numerator: bigint; denominator: bigint; rounding: Rounding }): number {
  const quotient = numerator / denominator;
  const rest = numerator % denominator;
  if (rest === 0n || rounding === "down") return Number(quotient);
  if (rounding === "up") return Number(quotient + 1n);
  return Number(rest * 2n >= denominator ? quotient + 1n : quotient);
}

function isLineEligible(config: SpendConfig, line: EarnLine): boolean {
  if (line.sku && config.excludedSkus.includes(line.sku)) return false;
  if (line.category && config.excludedCategories.includes(line.category)) return false;
  return true;
}

/**
 * What an order earns. Base points = round(sum over eligible lines of value x rate x tier x
 * category multiplier); each active promotion adds round(base value of its lines x (multiplier
 * - 1)). Every part is split across lines (largest remainder) so returns can reverse exactly
 * what each line earned. Shipping is never a line, so it never earns.
 */
export function calculateOrderEarning({
  rule,
  promotions = [],
  tierId,
  lines,
  at,
  earlyAccessHours = 0,
}: {
  rule: SpendRule | null;
  promotions?: Promotion[];
  tierId: number | null;
  lines: EarnLine[];
  at: Date;
  /** the member's tier's early access to offers, in hours */
  earlyAccessHours?: number;
}): EarnBreakdown {
  const zero = (): EarnBreakdown => ({
    base: { points: 0, linePoints: lines.map(() => 0) },
    promotions: [],
    total: 0,
    linePoints: lines.map(() => 0),
    multiplierBps: BASE_MULTIPLIER_BPS,
    notes: [],
  });
  if (!rule) return { ...zero(), notes: ["no_rule"] };
  if (!isRuleActive({ rule, at })) return { ...zero(), notes: ["inactive"] };
  const config = rule.config ?? DEFAULT_SPEND_CONFIG;
  const subtotal = lines.reduce((sum, line) => sum + linePaidCents(line), 0n);
  if (subtotal < BigInt(config.minOrderCents)) return { ...zero(), notes: ["below_minimum"] };

  const multiplierBps = tierMultiplierBps({ rule, tierId });
  const weights = lines.map((line) => {
    if (!isLineEligible(config, line)) return 0n;
    const categoryBps = line.category ? (config.categoryMultipliers[line.category] ?? BASE_MULTIPLIER_BPS) : BASE_MULTIPLIER_BPS;
    return linePaidCents(line) * BigInt(rule.pointsPerUnitHundredths) * BigInt(multiplierBps) * BigInt(categoryBps);
  });
  const baseNumerator = weights.reduce((sum, weight) => sum + weight, 0n);
  const basePoints = roundRatio({ numerator: baseNumerator, denominator: SCALE, rounding: config.rounding });
  const base = { points: basePoints, linePoints: allocateProportionally({ total: basePoints, weights }) };

  const promotionParts: PromotionPart[] = [];
  for (const promotion of promotions) {
    if (!isPromotionOpen({ promotion, at, earlyAccessHours }) || promotion.multiplierBps <= BASE_MULTIPLIER_BPS) continue;
    if (promotion.tierIds.length > 0 && (tierId === null || !promotion.tierIds.includes(tierId))) continue;
    const promoWeights = lines.map((line, index) =>
      promotion.categories.length === 0 || (line.category && promotion.categories.includes(line.category)) ? weights[index] : 0n,
    );
    const numerator = promoWeights.reduce((sum, weight) => sum + weight, 0n) * BigInt(promotion.multiplierBps - BASE_MULTIPLIER_BPS);
    const points = roundRatio({ numerator, denominator: SCALE * 10_000n, rounding: config.rounding });
    if (points === 0) continue;
    promotionParts.push({ ruleId: promotion.id, version: promotion.version, points, linePoints: allocateProportionally({ total: points, weights: promoWeights }) });
  }
  return summarise({ base, promotions: promotionParts, multiplierBps, notes: [] });
}

function summarise({ base, promotions, multiplierBps, notes }: Omit<EarnBreakdown, "total" | "linePoints">): EarnBreakdown {
  const linePoints = base.linePoints.map((points, index) => points + promotions.reduce((sum, part) => sum + part.linePoints[index], 0));
  return { base, promotions, total: linePoints.reduce((sum, points) => sum + points, 0), linePoints, multiplierBps, notes };
}

function trimPart<T extends EarnPart>(part: T, points: number): T {
  if (points >= part.points) return part;
  return { ...part, points, linePoints: allocateProportionally({ total: points, weights: part.linePoints.map(BigInt) }) };
}

/**
 * Applies caps: each promotion to what is left of its budget, then the whole order to what
 * the member may still earn (base first, then promotions in order). Null = no cap.
 */
export function applyEarnCaps(
  breakdown: EarnBreakdown,
  { memberRemaining, promotionRemaining }: { memberRemaining: number | null; promotionRemaining: Record<number, number | null> },
): EarnBreakdown {
  let capped = false;
  let promotions = breakdown.promotions.map((part) => {
    const budget = promotionRemaining[part.ruleId];
    if (budget === null || budget === undefined || budget >= part.points) return part;
    capped = true;
    return trimPart(part, Math.max(0, budget));
  });
  let base = breakdown.base;
  if (memberRemaining !== null) {
    let left = Math.max(0, memberRemaining);
    if (base.points > left) capped = true;
    base = trimPart(base, Math.min(base.points, left));
    left -= base.points;
    promotions = promotions.map((part) => {
      const kept = trimPart(part, Math.min(part.points, left));
      if (kept.points < part.points) capped = true;
      left -= kept.points;
      return kept;
    });
  }
  promotions = promotions.filter((part) => part.points > 0);
  return summarise({ base, promotions, multiplierBps: breakdown.multiplierBps, notes: capped ? [...breakdown.notes, "capped"] : breakdown.notes });
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

/** Start of the cap periods (UTC) that contain `at`. */
export function capPeriodStarts(at: Date): { day: Date; month: Date } {
  return {
    day: new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate())),
    month: new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1)),
  };
}
