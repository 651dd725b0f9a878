import { addDays, addMonths } from "./dates";

export const tierBases = ["SPEND", "POINTS"] as const;
export const tierWindows = ["ROLLING_12_MONTHS", "CALENDAR_YEAR"] as const;
export type TierBasis = (typeof tierBases)[number];
export type TierWindow = (typeof tierWindows)[number];
export type TierPolicy = { basis: TierBasis; window: TierWindow; graceDays: number };

export type TierDef = { id: number; name: string; rank: number; minSpendCents: number; minPoints: number; earlyAccessHours?: number };

/** Why a member's tier moved; recorded on every TierChange and sent with `tier.changed`. */
export type TierChangeReason = "qualified" | "floor" | "below_threshold" | "grace_expired" | "config_change" | "floor_removed";

/** A dated amount that counts towards a tier: an order's net spend in cents, or its net points. */
export type Contribution = { at: Date; amount: number };

export const defaultTierPolicy: TierPolicy = { basis: "SPEND", window: "ROLLING_12_MONTHS", graceDays: 30 };

export function tierThreshold({ tier, basis }: { tier: TierDef; basis: TierBasis }): number {
  return basis === "POINTS" ? tier.minPoints : tier.minSpendCents;
}

const byRank = (tiers: TierDef[]) => [...tiers].sort((a, b) => a.rank - b.rank);
const rankOf = (tier: TierDef | null) => tier?.rank ?? Number.NEGATIVE_INFINITY;

/** The highest tier whose threshold the amount meets. */
export function resolveTier({ tiers, basis = "SPEND", amount }: { tiers: TierDef[]; basis?: TierBasis; amount: number }): TierDef | null {
  let current: TierDef | null = null;
  for (const tier of byRank(tiers)) {
    if (amount >= tierThreshold({ tier, basis })) current = tier;
  }
  return current;
}

const yearStart = (year: number) => new Date(Date.UTC(year, 0, 1));

/** The earliest moment a contribution can still count on `at` (calendar years: last year's too). */
export function windowStart({ window, at }: { window: TierWindow; at: Date }): Date {
  return window === "CALENDAR_YEAR" ? yearStart(at.getUTCFullYear() - 1) : addMonths(at, -12);
}

/**
 * What holds a tier on `at`. Rolling: the sum over the 12 months up to `at`. Calendar year:
 * the better of this year and last year, so a tier reached in a year lasts through the next.
 */
export function qualifyingAmount({ policy, contributions, at }: { policy: TierPolicy; contributions: Contribution[]; at: Date }): number {
  if (policy.window === "CALENDAR_YEAR") {
    const { thisYear, lastYear } = calendarSums({ contributions, at });
    return Math.max(thisYear, lastYear);
  }
  const from = addMonths(at, -12);
  return contributions.filter((c) => c.at > from && c.at <= at).reduce((sum, c) => sum + c.amount, 0);
}

function calendarSums({ contributions, at }: { contributions: Contribution[]; at: Date }) {
  const year = at.getUTCFullYear();
  let thisYear = 0;
  let lastYear = 0;
  for (const c of contributions) {
    if (c.at > at) continue;
    const y = c.at.getUTCFullYear();
    if (y === year) thisYear += c.amount;
    else if (y === year - 1) lastYear += c.amount;
  }
  return { thisYear, lastYear };
}

export type TierState = { tierId: number | null; floorTierId: number | null; graceUntil: Date | null };
export type TierDecision = { tierId: number | null; graceUntil: Date | null; reason: TierChangeReason | null; graceStarted: boolean };

/**
 * The tier a member should hold. Moving up is immediate (qualifying or a manual floor).
 * Moving down only happens on a review (the periodic job or a configuration change), never on
 * an order, and only after the grace period: the first review that finds the member below
 * their tier starts it, a review after it has passed moves them to what they qualify for.
 */
export function evaluateTier({
  tiers,
  policy,
  amount,
  state,
  at,
  mode,
}: {
  tiers: TierDef[];
  policy: TierPolicy;
  amount: number;
  state: TierState;
  at: Date;
  mode: "order" | "review";
}): TierDecision {
  const earned = resolveTier({ tiers, basis: policy.basis, amount });
  const floor = tiers.find((tier) => tier.id === state.floorTierId) ?? null;
  const target = rankOf(floor) > rankOf(earned) ? floor : earned;
  const current = tiers.find((tier) => tier.id === state.tierId) ?? null;
  const keep = { tierId: current?.id ?? null, graceUntil: state.graceUntil, reason: null, graceStarted: false };

  if (rankOf(target) > rankOf(current)) {
    return { tierId: target!.id, graceUntil: null, reason: target === floor && target !== earned ? "floor" : "qualified", graceStarted: false };
  }
  if (rankOf(target) === rankOf(current)) return { ...keep, graceUntil: null };
  if (mode === "order") return keep;
  if (policy.graceDays <= 0) return { tierId: target?.id ?? null, graceUntil: null, reason: "below_threshold", graceStarted: false };
  if (state.graceUntil === null) return { ...keep, graceUntil: addDays(at, policy.graceDays), graceStarted: true };
  if (state.graceUntil <= at) return { tierId: target?.id ?? null, graceUntil: null, reason: "grace_expired", graceStarted: false };
  return keep;
}

export type TierKeep =
  | { kind: "base" }
  | { kind: "floor" }
  /** the amount stays above the tier's threshold until this day (then grace starts) */
  | { kind: "secure"; until: Date }
  /** this much more is needed by this day to hold the tier after it */
  | { kind: "needs"; remaining: number; by: Date | null }
  /** below the threshold: the tier ends on `until` unless `remaining` more is reached */
  | { kind: "grace"; until: Date; remaining: number };

export type TierOutlook = {
  current: TierDef | null;
  next: TierDef | null;
  /** the amount that counts towards the next tier */
  amount: number;
  toNext: { remaining: number; by: Date | null; percent: number } | null;
  keep: TierKeep | null;
};

const yearEnd = (year: number) => new Date(Date.UTC(year, 11, 31));

/**
 * What a member sees: what is left to reach the next tier and by when, and what keeps the
 * current one. Rolling window: progress holds until the oldest counted order leaves the 12
 * months. Calendar year: this year's amount must reach the threshold by 31 December.
 */
export function tierOutlook({
  tiers,
  policy,
  contributions,
  state,
  at,
}: {
  tiers: TierDef[];
  policy: TierPolicy;
  contributions: Contribution[];
  state: TierState;
  at: Date;
}): TierOutlook {
  const sorted = byRank(tiers);
  const current = sorted.find((tier) => tier.id === state.tierId) ?? null;
  const threshold = (tier: TierDef) => tierThreshold({ tier, basis: policy.basis });
  const next = sorted.find((tier) => tier.rank > rankOf(current)) ?? null;
  const isCalendar = policy.window === "CALENDAR_YEAR";
  const year = at.getUTCFullYear();
  const from = addMonths(at, -12); // once: date arithmetic per order cost a member with many orders milliseconds
  const inWindow = contributions.filter((c) => c.at > from && c.at <= at).sort((a, b) => a.at.getTime() - b.at.getTime());
  const rollingAmount = inWindow.reduce((sum, c) => sum + c.amount, 0);
  const { thisYear } = calendarSums({ contributions, at });
  const amount = isCalendar ? thisYear : rollingAmount;

  let toNext: TierOutlook["toNext"] = null;
  if (next) {
    const remaining = Math.max(0, threshold(next) - amount);
    const floor = current ? Math.min(threshold(current), threshold(next)) : 0;
    const span = threshold(next) - floor;
    const percent = span <= 0 ? 100 : Math.min(100, Math.max(0, Math.floor(((amount - floor) * 100) / span)));
    const by = isCalendar ? yearEnd(year) : inWindow.length > 0 ? addMonths(inWindow[0].at, 12) : null;
    toNext = { remaining, by, percent };
  }

  let keep: TierKeep | null = null;
  if (current) {
    const needed = threshold(current);
    const floorTier = sorted.find((tier) => tier.id === state.floorTierId) ?? null;
    if (floorTier && floorTier.rank >= current.rank) keep = { kind: "floor" };
    else if (needed <= 0) keep = { kind: "base" };
    else if (state.graceUntil) keep = { kind: "grace", until: state.graceUntil, remaining: Math.max(0, needed - amount) };
    else if (isCalendar) keep = thisYear >= needed ? { kind: "secure", until: yearEnd(year + 1) } : { kind: "needs", remaining: needed - thisYear, by: yearEnd(year) };
    else if (rollingAmount < needed) keep = { kind: "needs", remaining: needed - rollingAmount, by: null };
    else {
      // walk the counted orders oldest first: the day the sum would drop below the threshold
      let left = rollingAmount;
      let until: Date | null = null;
      for (const c of inWindow) {
        left -= c.amount;
        if (left < needed) {
          until = addMonths(c.at, 12);
          break;
        }
      }
      keep = { kind: "secure", until: until ?? addMonths(at, 12) };
    }
  }
  return { current, next, amount, toNext, keep };
}

export type TierMoves = { up: number; down: number; unchanged: number; byTier: { tierId: number | null; before: number; after: number }[] };

function placement({ tiers, basis, amount, floorTierId }: { tiers: TierDef[]; basis: TierBasis; amount: number; floorTierId: number | null }) {
  const earned = resolveTier({ tiers, basis, amount });
  const floor = tiers.find((tier) => tier.id === floorTierId) ?? null;
  return rankOf(floor) > rankOf(earned) ? floor : earned;
}

/**
 * What a tier configuration change does, for the preview before saving: every member placed
 * under the current configuration and under the proposed one (same orders, their VIP floors),
 * counted up, down or unchanged. Moves down are counted although they wait for the grace
 * period. Drift that exists either way (a grace period already running) is not the change's.
 */
export function previewTierMoves({
  members,
  before,
  after,
  policyBefore,
  policyAfter,
}: {
  /** each member, or (count) that many members placed alike: the same floor and, before and after, the same thresholds reached */
  members: { floorTierId: number | null; amountBefore: number; amountAfter: number; count?: number }[];
  before: TierDef[];
  after: TierDef[];
  policyBefore: TierPolicy;
  policyAfter: TierPolicy;
}): TierMoves {
  const counts = new Map<number | null, { before: number; after: number }>();
  const bump = (tierId: number | null, key: "before" | "after", count: number) => {
    const entry = counts.get(tierId) ?? { before: 0, after: 0 };
    entry[key] += count;
    counts.set(tierId, entry);
  };
  let up = 0;
  let down = 0;
  let unchanged = 0;
  const sortedBefore = byRank(before);
  const sortedAfter = byRank(after);
  for (const member of members) {
    const from = placement({ tiers: sortedBefore, basis: policyBefore.basis, amount: member.amountBefore, floorTierId: member.floorTierId });
    const to = placement({ tiers: sortedAfter, basis: policyAfter.basis, amount: member.amountAfter, floorTierId: member.floorTierId });
    const count = member.count ?? 1;
    bump(from?.id ?? null, "before", count);
    bump(to?.id ?? null, "after", count);
    const fromAfter = from ? sortedAfter.find((tier) => tier.id === from.id) : undefined;
    if ((to?.id ?? null) === (from?.id ?? null)) unchanged += count;
    else if (!to) down += count;
    else if (!from) up += count;
    // a kept tier compares by its new rank; a removed one by what it asked for
    else if (fromAfter ? to.rank > fromAfter.rank : tierThreshold({ tier: to, basis: policyAfter.basis }) >= tierThreshold({ tier: from, basis: policyAfter.basis })) up += count;
    else down += count;
  }
  const ids = [...sortedAfter.map((tier) => tier.id), ...sortedBefore.filter((tier) => !after.some((a) => a.id === tier.id)).map((tier) => tier.id), null];
  const byTier = ids.map((tierId) => ({ tierId, ...(counts.get(tierId) ?? { before: 0, after: 0 }) }));
  return { up, down, unchanged, byTier };
}
