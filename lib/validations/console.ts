import { z } from "zod";
import { actionKinds, limitPeriods } from "@/lib/domain/earn-rules";
import { badgeIconNames, challengeMetrics } from "@/lib/domain/challenges";
import { audienceSchema, offerKinds } from "@/lib/domain/offers";
import { tierBases, tierWindows } from "@/lib/domain/tiers";

const optionalDate = z
  .union([z.literal(""), z.iso.datetime({ local: true }), z.iso.datetime({ offset: true })])
  .optional()
  .transform((value) => (value ? new Date(value.length === 16 ? `${value}:00Z` : value) : null));

export const rewardKinds = ["FIXED_DISCOUNT", "PERCENT_DISCOUNT", "FREE_SHIPPING", "FREE_PRODUCT", "VOUCHER", "CASHBACK", "EXPERIENCE"] as const;

export const saveRewardSchema = z
  .object({
    id: z.number().int().positive().optional(),
    name: z.string().trim().min(1).max(100),
    description: z.string().trim().max(500).default(""),
    kind: z.enum(rewardKinds),
    costPoints: z.number().int().min(1).max(10_000_000),
    valueCents: z.number().int().min(1).max(100_000_000).nullable().optional(),
    percentOff: z.number().int().min(1).max(100).nullable().optional(),
    sku: z.string().trim().max(100).nullable().optional(),
    stock: z.number().int().min(0).max(10_000_000).nullable().optional(),
    startsAt: optionalDate,
    endsAt: optionalDate,
    isActive: z.boolean(),
    /** tiers that may redeem it; empty = every member */
    tierIds: z.array(z.number().int().positive()).max(20).default([]),
    /** discount codes limited to these categories; empty = whole order */
    categories: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
    perMemberLimit: z.number().int().min(1).max(1000).nullable().optional(),
  })
  .strict()
  .superRefine((reward, ctx) => {
    if (reward.categories.length > 0 && reward.kind !== "FIXED_DISCOUNT" && reward.kind !== "PERCENT_DISCOUNT") {
      ctx.addIssue({ code: "custom", path: ["categories"], message: "CATEGORIES_DISCOUNT_ONLY" });
    }
    if ((reward.kind === "FIXED_DISCOUNT" || reward.kind === "CASHBACK" || reward.kind === "VOUCHER") && !reward.valueCents) {
      ctx.addIssue({ code: "custom", path: ["valueCents"], message: "VALUE_REQUIRED" });
    }
    if (reward.kind === "PERCENT_DISCOUNT" && !reward.percentOff) {
      ctx.addIssue({ code: "custom", path: ["percentOff"], message: "PERCENT_REQUIRED" });
    }
    if (reward.kind === "FREE_PRODUCT" && !reward.sku) {
      ctx.addIssue({ code: "custom", path: ["sku"], message: "SKU_REQUIRED" });
    }
    if (reward.startsAt && reward.endsAt && reward.endsAt <= reward.startsAt) {
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "WINDOW_ORDER" });
    }
  });

export type SaveRewardInput = z.infer<typeof saveRewardSchema>;

const multiplier = z.number().min(1).max(10);
const wordList = z.array(z.string().trim().min(1).max(100)).max(200);
const capPoints = z.number().int().min(1).max(100_000_000).nullable();

export const saveEarnRuleSchema = z
  .object({
    pointsPerUnit: z.number().min(0).max(1000).refine((value) => Number.isInteger(Math.round(value * 100)) && Math.abs(value * 100 - Math.round(value * 100)) < 1e-6, { message: "TWO_DECIMALS" }),
    tierMultipliers: z.record(z.string().regex(/^\d+$/), multiplier),
    rounding: z.enum(["down", "nearest", "up"]).default("down"),
    minOrder: z.number().min(0).max(1_000_000).default(0),
    excludedCategories: wordList.default([]),
    excludedSkus: wordList.default([]),
    categoryMultipliers: z.record(z.string().trim().min(1).max(100), multiplier).default({}),
    capPerMemberDay: capPoints.default(null),
    capPerMemberMonth: capPoints.default(null),
    startsAt: optionalDate,
    endsAt: optionalDate,
    isActive: z.boolean(),
  })
  .strict()
  .refine((rule) => !(rule.startsAt && rule.endsAt && rule.endsAt <= rule.startsAt), { message: "WINDOW_ORDER", path: ["endsAt"] });

export const saveActionRuleSchema = z
  .object({
    kind: z.enum(actionKinds),
    points: z.number().int().min(0).max(1_000_000),
    referrerPoints: z.number().int().min(0).max(1_000_000).default(0),
    limit: z.number().int().min(1).max(10_000).nullable(),
    period: z.enum(limitPeriods),
    isActive: z.boolean(),
  })
  .strict();
export type SaveActionRuleInput = z.infer<typeof saveActionRuleSchema>;

export const savePromotionSchema = z
  .object({
    id: z.number().int().positive().optional(),
    name: z.string().trim().min(1).max(100),
    multiplier: z.number().min(1.01).max(10),
    categories: wordList.default([]),
    tierIds: z.array(z.number().int().positive()).max(50).default([]),
    totalCapPoints: capPoints.default(null),
    startsAt: optionalDate.refine((value) => value !== null, { message: "REQUIRED" }),
    endsAt: optionalDate.refine((value) => value !== null, { message: "REQUIRED" }),
    isActive: z.boolean(),
  })
  .strict()
  .refine((promo) => !(promo.startsAt && promo.endsAt && promo.endsAt <= promo.startsAt), { message: "WINDOW_ORDER", path: ["endsAt"] });
export type SavePromotionInput = z.infer<typeof savePromotionSchema>;

export const previewOrderSchema = z
  .object({
    tierId: z.number().int().positive().nullable(),
    placedAt: optionalDate,
    lines: z
      .array(
        z.object({
          sku: z.string().trim().min(1).max(100),
          category: z.string().trim().max(100).default(""),
          quantity: z.number().int().min(1).max(10_000),
          unitPrice: z.number().min(0).max(1_000_000),
        }).strict(),
      )
      .min(1)
      .max(50),
  })
  .strict();
export type PreviewOrderInput = z.infer<typeof previewOrderSchema>;

export type SaveEarnRuleInput = z.infer<typeof saveEarnRuleSchema>;

export const staffRoles = ["MARKETER", "MANAGER", "ADMIN"] as const;

export const createStaffUserSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    email: z.email().max(254).transform((email) => email.trim().toLowerCase()),
    role: z.enum(staffRoles),
    password: z.string().min(10).max(200),
  })
  .strict();

export const setStaffActiveSchema = z.object({ userId: z.number().int().positive(), isActive: z.boolean() }).strict();

export const createApiKeySchema = z.object({ name: z.string().trim().min(1).max(100) }).strict();
export const revokeApiKeySchema = z.object({ apiKeyId: z.number().int().positive() }).strict();

export const adjustPointsSchema = z
  .object({
    customerId: z.number().int().positive().max(2_147_483_647),
    points: z
      .number()
      .int({ error: "WHOLE_POINTS" })
      .min(-1_000_000)
      .max(1_000_000)
      .refine((points) => points !== 0, { error: "NONZERO_POINTS" }),
    reason: z.string().trim().min(3, { error: "REASON_REQUIRED" }).max(200),
    /** generated by the form once per attempt, so a double submit adjusts once */
    requestId: z.uuid(),
  })
  .strict();

export type AdjustPointsInput = z.infer<typeof adjustPointsSchema>;

export const memberSearchSchema = z.string().trim().max(100);

export const webhookEventTypeValues = ["member.enrolled", "points.earned", "points.reversed", "points.available", "points.expiring", "points.expired", "tier.changed", "reward.redeemed", "reward.cancelled"] as const;

export const createWebhookEndpointSchema = z
  .object({
    url: z
      .url({ protocol: /^https?$/, error: "URL_HTTP" })
      .max(2000),
    description: z.string().trim().max(200).default(""),
    eventTypes: z.array(z.enum(webhookEventTypeValues)).max(webhookEventTypeValues.length).default([]),
  })
  .strict();
export const setWebhookEndpointActiveSchema = z.object({ endpointId: z.number().int().positive().max(2_147_483_647), isActive: z.boolean() }).strict();
export const resendDeliverySchema = z.object({ deliveryId: z.number().int().positive().max(2_147_483_647) }).strict();

export const tierInputSchema = z
  .object({
    id: z.number().int().positive().optional(),
    name: z.string().trim().min(1).max(40),
    description: z.string().trim().max(300).default(""),
    /** in currency units (SPEND) */
    minSpend: z.number().min(0).max(10_000_000),
    minPoints: z.number().int().min(0).max(100_000_000),
    multiplier: z.number().min(1).max(10),
    freeShipping: z.boolean(),
    earlyAccessHours: z.number().int().min(0).max(720),
    birthdayGiftPoints: z.number().int().min(0).max(1_000_000),
  })
  .strict();

/** The whole tier set, lowest first; the order given is the ranking. */
export const tierConfigSchema = z
  .object({
    basis: z.enum(tierBases),
    window: z.enum(tierWindows),
    graceDays: z.number().int().min(0).max(730),
    tiers: z.array(tierInputSchema).min(1).max(10),
  })
  .strict()
  .superRefine((config, ctx) => {
    const names = new Set<string>();
    config.tiers.forEach((tier, index) => {
      const key = tier.name.toLocaleLowerCase();
      if (names.has(key)) ctx.addIssue({ code: "custom", path: ["tiers", index, "name"], message: "DUPLICATE_NAME" });
      names.add(key);
      if (index === 0) return;
      const field = config.basis === "POINTS" ? "minPoints" : "minSpend";
      if (tier[field] <= config.tiers[index - 1][field]) ctx.addIssue({ code: "custom", path: ["tiers", index, field], message: "THRESHOLD_ORDER" });
    });
    const ids = config.tiers.map((tier) => tier.id).filter((id) => id !== undefined);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: "custom", path: ["tiers"], message: "DUPLICATE_TIER" });
  });

export type TierConfigInput = z.infer<typeof tierConfigSchema>;

export const setTierFloorSchema = z
  .object({
    customerId: z.number().int().positive(),
    tierId: z.number().int().positive().nullable(),
    note: z.string().trim().max(200).default(""),
  })
  .strict();

export type SetTierFloorInput = z.infer<typeof setTierFloorSchema>;

export const importVouchersSchema = z
  .object({
    rewardId: z.number().int().positive(),
    /** CSV text: one code per row, in a "code" column or the first column */
    csv: z.string().min(1).max(2_000_000),
  })
  .strict();

export type ImportVouchersInput = z.infer<typeof importVouchersSchema>;

export const messageSettingsSchema = z
  .object({
    /** members are reminded this many days before their points expire */
    expiringSoonDays: z.number().int().min(1).max(90),
  })
  .strict();

export type MessageSettingsInput = z.infer<typeof messageSettingsSchema>;

export const saveOfferSchema = z
  .object({
    id: z.number().int().positive().optional(),
    kind: z.enum(offerKinds),
    title: z.string().trim().min(1).max(100),
    description: z.string().trim().max(500).default(""),
    /** POINTS: x multiplier on all lines, or on these categories */
    multiplier: z.number().min(1.01).max(10).nullable().default(null),
    categories: wordList.default([]),
    totalCapPoints: capPoints.default(null),
    /** CODE: the code, and either a percentage or an amount off */
    code: z.string().trim().max(32).nullable().default(null),
    percentOff: z.number().int().min(1).max(100).nullable().default(null),
    valueCents: z.number().int().min(1).max(100_000_000).nullable().default(null),
    minOrderCents: z.number().int().min(0).max(100_000_000).default(0),
    hashtag: z.string().trim().max(60).nullable().default(null),
    audience: audienceSchema,
    startsAt: optionalDate.refine((value) => value !== null, { message: "REQUIRED" }),
    endsAt: optionalDate.refine((value) => value !== null, { message: "REQUIRED" }),
  })
  .strict()
  .superRefine((offer, ctx) => {
    if (offer.startsAt && offer.endsAt && offer.endsAt <= offer.startsAt) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "WINDOW_ORDER" });
    if (offer.kind === "POINTS" && offer.multiplier === null) ctx.addIssue({ code: "custom", path: ["multiplier"], message: "REQUIRED" });
    if (offer.kind === "CODE") {
      if (!offer.code) ctx.addIssue({ code: "custom", path: ["code"], message: "REQUIRED" });
      else if (!/^[A-Za-z0-9_-]{3,32}$/.test(offer.code)) ctx.addIssue({ code: "custom", path: ["code"], message: "CODE_FORMAT" });
      if ((offer.percentOff === null) === (offer.valueCents === null)) ctx.addIssue({ code: "custom", path: ["percentOff"], message: "DISCOUNT_ONE" });
    }
  });
export type SaveOfferInput = z.infer<typeof saveOfferSchema>;

export const previewAudienceSchema = z.object({ audience: audienceSchema }).strict();

export const setOfferStatusSchema = z
  .object({ id: z.number().int().positive(), action: z.enum(["pause", "resume", "end"]) })
  .strict();
export type SetOfferStatusInput = z.infer<typeof setOfferStatusSchema>;

export const saveChallengeSchema = z
  .object({
    id: z.number().int().positive().optional(),
    name: z.string().trim().min(1).max(100),
    description: z.string().trim().max(500).default(""),
    metric: z.enum(challengeMetrics),
    /** orders/reviews/shares/referrals: a count; SPEND: cents */
    target: z.number().int().min(1).max(100_000_000),
    windowDays: z.number().int().min(1).max(3650).nullable().default(null),
    rewardPoints: z.number().int().min(0).max(1_000_000),
    badgeName: z.string().trim().min(1).max(60),
    badgeIcon: z.enum(badgeIconNames as [string, ...string[]]),
    startsAt: optionalDate,
    endsAt: optionalDate,
    isActive: z.boolean(),
  })
  .strict()
  .refine((challenge) => !(challenge.startsAt && challenge.endsAt && challenge.endsAt <= challenge.startsAt), { message: "WINDOW_ORDER", path: ["endsAt"] });
export type SaveChallengeInput = z.infer<typeof saveChallengeSchema>;

/** A staff decision on a referral held for review (Console → Referral review). */
export const decideReferralReviewSchema = z
  .object({
    id: z.number().int().positive().max(2_147_483_647),
    decision: z.enum(["approve", "reject"]),
    note: z.string().trim().max(500).optional(),
  })
  .strict();
export type DecideReferralReviewInput = z.infer<typeof decideReferralReviewSchema>;

export const recountOffersSchema = z.object({}).strict();
