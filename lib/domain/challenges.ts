import { z } from "zod";

// Challenges: a goal over a window (3 orders in 30 days, a first review, $500 in 90 days...).
// Completing one pays its points once and gives the member its badge.

export const challengeMetrics = ["ORDERS", "SPEND", "REVIEWS", "SHARES", "REFERRALS"] as const;
export type ChallengeMetric = (typeof challengeMetrics)[number];

/** The pictures a badge can have: plain symbols every system font draws. */
export const badgeIcons = { star: "★", heart: "♥", flower: "✿", diamond: "◆", sparkle: "✦", sun: "☀" } as const;
export type BadgeIcon = keyof typeof badgeIcons;
export const badgeIconNames = Object.keys(badgeIcons) as BadgeIcon[];

export function badgeSymbol(icon: string): string {
  return (badgeIcons as Record<string, string>)[icon] ?? badgeIcons.star;
}

/**
 * Where counting starts for a member at `at`: the later of the challenge's start, the start of
 * its rolling window and the day the member joined (what happened before joining never counts).
 */
export function countingFrom({ startsAt, windowDays, enrolledAt, at }: { startsAt: Date | null; windowDays: number | null; enrolledAt: Date; at: Date }): Date {
  const candidates = [enrolledAt.getTime()];
  if (startsAt) candidates.push(startsAt.getTime());
  if (windowDays !== null) candidates.push(at.getTime() - windowDays * 86_400_000);
  return new Date(Math.max(...candidates));
}

/** Progress as shown: the value capped at the target, and a whole percentage. */
export function progressOf({ value, target }: { value: number; target: number }): { value: number; percent: number; done: boolean } {
  const capped = Math.max(0, Math.min(value, target));
  return { value: capped, percent: target > 0 ? Math.floor((capped * 100) / target) : 0, done: value >= target };
}

/** Whether the challenge can be completed at `at`. */
export function isChallengeOpen(challenge: { isActive: boolean; startsAt: Date | null; endsAt: Date | null }, at: Date): boolean {
  if (!challenge.isActive) return false;
  if (challenge.startsAt && at < challenge.startsAt) return false;
  if (challenge.endsAt && at >= challenge.endsAt) return false;
  return true;
}

/** Metrics counted from orders: their bonus waits for the orders' return window and a return can reverse it. */
export const orderMetrics = ["ORDERS", "SPEND", "REFERRALS"] as const satisfies readonly ChallengeMetric[];

export function isOrderMetric(metric: string): boolean {
  return (orderMetrics as readonly string[]).includes(metric);
}

/**
 * When a completion's bonus can be spent: for a goal met by orders, when the return window of the
 * last order it counted closes (exactly like that order's own points, so it may already have
 * passed); for reviews and shares, at once.
 */
export function challengeBonusAvailableAt({ metric, lastOrderAt, completedAt, pendingDays }: { metric: string; lastOrderAt: Date | null; completedAt: Date; pendingDays: number }): Date {
  if (!isOrderMetric(metric)) return completedAt;
  return new Date((lastOrderAt ?? completedAt).getTime() + pendingDays * 86_400_000);
}
