import { z } from "zod";

// Offers: time-boxed campaigns members see. Who an offer is for (the audience) is a tier list
// plus simple member attributes; the same definition decides the console's target count, the
// member's offers page and, for points offers, whether an order earns the extra points.

export const offerKinds = ["POINTS", "CODE"] as const;
export type OfferKind = (typeof offerKinds)[number];

export const audienceSchema = z
  .object({
    /** empty = every tier (and members without one) */
    tierIds: z.array(z.number().int().positive()).max(20).default([]),
    /** members who chose at least one of these categories in their profile; empty = anyone */
    preferredCategories: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
    /** joined the program in the last N days */
    joinedWithinDays: z.number().int().min(1).max(3650).nullable().default(null),
    /** no paid order in the last N days (win-back) */
    inactiveDays: z.number().int().min(1).max(3650).nullable().default(null),
    /** at least N paid orders ever */
    minOrders: z.number().int().min(1).max(10_000).nullable().default(null),
    /** only members whose birthday is in the current month */
    birthdayMonth: z.boolean().default(false),
  })
  .strict();
export type Audience = z.infer<typeof audienceSchema>;

export const emptyAudience: Audience = { tierIds: [], preferredCategories: [], joinedWithinDays: null, inactiveDays: null, minOrders: null, birthdayMonth: false };

export function parseAudience(value: unknown): Audience {
  const parsed = audienceSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : emptyAudience;
}

/** Whether the audience needs more than the member's tier to decide (a database lookup). */
export function hasAttributeConditions(audience: Audience): boolean {
  return audience.preferredCategories.length > 0 || audience.joinedWithinDays !== null || audience.inactiveDays !== null
    || audience.minOrders !== null || audience.birthdayMonth;
}

export type OfferPhase = "scheduled" | "early" | "live" | "paused" | "ended";

type Timed = { status: string; startsAt: Date; endsAt: Date; endedAt?: Date | null };

/**
 * When the offer opens for a member of a tier with `earlyAccessHours` (0 for everyone else):
 * that many hours before its start.
 */
export function opensAt(offer: { startsAt: Date }, earlyAccessHours = 0): Date {
  return new Date(offer.startsAt.getTime() - Math.max(0, earlyAccessHours) * 3_600_000);
}

/**
 * Where an offer stands at `at` for a member with `earlyAccessHours`: ended (past its end or
 * ended early), paused, early (open to this member before everyone else), live or scheduled.
 */
export function offerPhase(offer: Timed, at: Date, earlyAccessHours = 0): OfferPhase {
  if (offer.endedAt || at >= offer.endsAt) return "ended";
  if (offer.status === "PAUSED") return "paused";
  if (at >= offer.startsAt) return "live";
  if (at >= opensAt(offer, earlyAccessHours)) return "early";
  return "scheduled";
}

/** An offer is open to a member (can be used) when it is live, or early for their tier. */
export function isOpenFor(offer: Timed, at: Date, earlyAccessHours = 0): boolean {
  const phase = offerPhase(offer, at, earlyAccessHours);
  return phase === "live" || phase === "early";
}

/** The console's view: the phase for everyone (no early access). */
export function consolePhase(offer: Timed, at: Date): OfferPhase {
  return offerPhase(offer, at, 0);
}

/** Shareable text for a code offer: "<title> <code> #hashtag". */
export function shareText({ title, code, hashtag }: { title: string; code: string | null; hashtag: string | null }): string {
  return [title, code, hashtag ? `#${hashtag}` : null].filter(Boolean).join(" ");
}

/** A hashtag as typed by a marketer ("#Summer Sale" → "SummerSale"); null when nothing is left. */
export function normaliseHashtag(value: string | null | undefined): string | null {
  const cleaned = (value ?? "").replace(/^#+/, "").replace(/[^\p{L}\p{N}_]/gu, "");
  return cleaned === "" ? null : cleaned.slice(0, 50);
}
