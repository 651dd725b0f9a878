import { z } from "zod";
import { DEFAULT_SPEND_CONFIG, type SpendConfig } from "./earn-points";
import { audienceSchema } from "./offers";

// The kinds of earning rule and the shape of each kind's settings (EarnRule.config).

export const actionKinds = ["SIGNUP", "BIRTHDAY", "PROFILE", "REVIEW", "SOCIAL_SHARE", "SOCIAL_FOLLOW", "REFERRAL"] as const;
export type ActionKind = (typeof actionKinds)[number];
export const ruleKinds = ["SPEND", "MULTIPLIER", ...actionKinds] as const;
export type RuleKind = (typeof ruleKinds)[number];

/** Event types shops send to POST /api/v1/events and the action rule each one triggers. */
export const eventTypes = {
  review: "REVIEW",
  social_share: "SOCIAL_SHARE",
  social_follow: "SOCIAL_FOLLOW",
  profile_completed: "PROFILE",
} as const satisfies Record<string, ActionKind>;
export type EventType = keyof typeof eventTypes;

export const limitPeriods = ["lifetime", "year", "month", "day"] as const;
export type LimitPeriod = (typeof limitPeriods)[number];

const bps = z.number().int().min(1).max(100_000);
const cap = z.number().int().min(1).max(100_000_000).nullable();

export const spendConfigSchema = z
  .object({
    rounding: z.enum(["down", "nearest", "up"]).default("down"),
    minOrderCents: z.number().int().min(0).max(100_000_000).default(0),
    excludedCategories: z.array(z.string().trim().min(1).max(100)).max(200).default([]),
    excludedSkus: z.array(z.string().trim().min(1).max(100)).max(1000).default([]),
    categoryMultipliers: z.record(z.string().trim().min(1).max(100), bps).default({}),
    capPerMemberDay: cap.default(null),
    capPerMemberMonth: cap.default(null),
  })
  .strict();

export const actionConfigSchema = z
  .object({
    points: z.number().int().min(0).max(1_000_000),
    /** how many times one member can earn this rule per period; null = no limit */
    limit: z.number().int().min(1).max(10_000).nullable().default(null),
    period: z.enum(limitPeriods).default("lifetime"),
    /** REFERRAL: points for the referrer (`points` is the friend's) */
    referrerPoints: z.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();
export type ActionConfig = z.infer<typeof actionConfigSchema>;

export const multiplierConfigSchema = z
  .object({
    multiplierBps: z.number().int().min(10_001).max(100_000),
    categories: z.array(z.string().trim().min(1).max(100)).max(200).default([]),
    tierIds: z.array(z.number().int().positive()).max(50).default([]),
    /** an offer's audience (member attributes besides the tier) */
    audience: audienceSchema.optional(),
  })
  .strict();
export type MultiplierConfig = z.infer<typeof multiplierConfigSchema>;

/** Default limits: sign-up, profile and birthday-per-year happen once; the rest are open. */
export const defaultActionConfig: Record<ActionKind, ActionConfig> = {
  SIGNUP: { points: 0, limit: 1, period: "lifetime", referrerPoints: 0 },
  BIRTHDAY: { points: 0, limit: 1, period: "year", referrerPoints: 0 },
  PROFILE: { points: 0, limit: 1, period: "lifetime", referrerPoints: 0 },
  REVIEW: { points: 0, limit: 5, period: "month", referrerPoints: 0 },
  SOCIAL_SHARE: { points: 0, limit: 3, period: "month", referrerPoints: 0 },
  SOCIAL_FOLLOW: { points: 0, limit: 1, period: "lifetime", referrerPoints: 0 },
  REFERRAL: { points: 0, limit: 10, period: "year", referrerPoints: 0 },
};

export function parseSpendConfig(value: unknown): SpendConfig {
  const parsed = spendConfigSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : DEFAULT_SPEND_CONFIG;
}

export function parseActionConfig(kind: ActionKind, value: unknown): ActionConfig {
  const parsed = actionConfigSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : defaultActionConfig[kind];
}

/** Start of the limit period containing `at` (UTC); null for lifetime limits. */
export function limitPeriodStart(period: LimitPeriod, at: Date): Date | null {
  switch (period) {
    case "lifetime":
      return null;
    case "year":
      return new Date(Date.UTC(at.getUTCFullYear(), 0, 1));
    case "month":
      return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
    case "day":
      return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  }
}

/** Whether a member with a birthday earns the birthday bonus on `at`: in their birthday month. */
export function isBirthdayMonth(birthday: Date | null, at: Date): boolean {
  return birthday !== null && birthday.getUTCMonth() === at.getUTCMonth();
}
