import { z } from "zod";
import { locales } from "@/lib/i18n/locales";
import { webhookEventTypeValues } from "@/lib/validations/console";

// What the API answers, as zod schemas, each registered under the name it has in the OpenAPI
// document's components.schemas (lib/api/openapi.ts refers to them with $ref). Timestamps are
// ISO 8601 date-times, days are dates; amounts are decimal currency units, points integers.
// Response objects are closed (additionalProperties: false): the integration tests validate real
// answers against these, so a field added to a route without being documented fails them.

export const responseSchemas = z.registry<{ id: string }>();

function named<T extends z.ZodType>(id: string, schema: T): T {
  responseSchemas.add(schema, { id });
  return schema;
}

const timestamp = () => z.iso.datetime();
const month = () => z.string().regex(/^\d{4}-\d{2}$/).describe("YYYY-MM");
const points = () => z.number().int();
const entityId = () => z.number().int().min(1);

export const errorSchema = named(
  "Error",
  z.object({
    error: z.object({
      code: z.string().describe("stable machine code, e.g. MEMBER_NOT_FOUND, EMAIL_TAKEN, VALIDATION, IDEMPOTENCY_CONFLICT, RATE_LIMITED"),
      message: z.string(),
      details: z.unknown().optional().describe("for VALIDATION: the invalid fields (formErrors, fieldErrors)"),
    }),
  }),
);

// --- members

export const pointsSchema = named(
  "Points",
  z.object({
    available: points(),
    pending: points().describe("earned, waiting for the return window"),
    expiringSoon: points().describe("available points expiring within 30 days"),
    debt: points().describe("points owed after returns of already-spent points; repaid by the next earnings"),
  }),
);

export const memberSchema = named(
  "Member",
  z.object({
    externalId: z.string().describe("the shop's id for the customer"),
    email: z.string().describe("after erasure a placeholder ending in @erased.invalid"),
    name: z.string(),
    locale: z.enum(locales),
    birthday: z.iso.date().nullable(),
    isMember: z.boolean().describe("false for a shop customer who has not joined the program"),
    enrolledAt: timestamp().nullable(),
    tier: z.string().nullable().describe("the tier's name"),
    tierId: entityId().nullable().describe("the tier's id (GET /tiers)"),
    createdAt: timestamp(),
    updatedAt: timestamp().describe("when the record last changed: details, tier, enrolment or erasure"),
    erasedAt: timestamp().nullable().describe("when the shop erased the member's personal data; the points and orders stay"),
    points: pointsSchema,
  }),
);

export const memberListSchema = named(
  "MemberList",
  z.object({
    members: z.array(memberSchema),
    nextCursor: z.string().nullable().describe("pass as ?after= for the next page; null on the last page"),
  }),
);

export const memberErasureSchema = named("MemberErasure", z.object({ externalId: z.string(), erasedAt: timestamp() }));

const datedPointsSchema = named("DatedPoints", z.object({ date: timestamp().describe("the day (00:00 UTC)"), points: points() }));

export const balanceSchema = named(
  "Balance",
  z.object({
    externalId: z.string(),
    available: points(),
    pending: points(),
    expiringSoon: points(),
    debt: points(),
    balance: points(),
    becomingAvailable: z.array(datedPointsSchema).describe("pending points by the day they become available"),
    expiring: z.array(datedPointsSchema).describe("held points by the day they expire"),
  }),
);

export const ledgerEntrySchema = named(
  "LedgerEntry",
  z.object({
    id: entityId().describe("the journal transaction"),
    kind: z.enum(["EARN", "BONUS", "REDEEM", "RETURN", "EXPIRE", "ADJUST"]),
    reason: z.string().describe("machine reason (order, welcome_bonus, reward, expiry, return, staff_adjustment, ...)"),
    note: z.string().nullable().describe("the order id, the reward code or the staff's note"),
    points: z.number().int().describe("points moved on the member's account: positive in, negative out"),
    debtRepaid: points().describe("of an earning, the points that repaid debt instead of reaching the balance"),
    balanceAfter: z.number().int().nullable(),
    createdAt: timestamp(),
    availableAt: timestamp().nullable().describe("earned points: when they become spendable"),
    expiresAt: timestamp().nullable().describe("earned points: when they expire"),
    orderExternalId: z.string().nullable(),
    rewardId: entityId().nullable(),
    rule: z.object({ id: entityId(), name: z.string(), version: z.number().int().nullable() }).nullable().describe("the earning rule and its version"),
  }),
);

export const ledgerPageSchema = named(
  "LedgerPage",
  z.object({ entries: z.array(ledgerEntrySchema), nextCursor: z.string().nullable().describe("pass as ?after= for the next page; null on the last page") }),
);

// --- rewards and reward codes

const rewardKind = named("RewardKind", z.enum(["FIXED_DISCOUNT", "PERCENT_DISCOUNT", "FREE_SHIPPING", "FREE_PRODUCT", "VOUCHER", "CASHBACK", "EXPERIENCE"]));

export const rewardSchema = named(
  "Reward",
  z.object({
    id: entityId(),
    name: z.string(),
    description: z.string(),
    kind: rewardKind,
    costPoints: points(),
    value: z.number().nullable(),
    percentOff: z.number().int().nullable(),
    stock: z.number().int().nullable(),
    availableUntil: timestamp().nullable(),
    tierIds: z.array(entityId()).describe("tiers that may redeem it; empty = every member"),
    categories: z.array(z.string()).describe("a discount code applies to these product categories only; empty = the whole order"),
    perMemberLimit: z.number().int().nullable().describe("redemptions per member (cancelled ones don't count)"),
  }),
);

export const rewardListSchema = named("RewardList", z.object({ rewards: z.array(rewardSchema) }));

export const redemptionSchema = named(
  "Redemption",
  z.object({
    id: entityId(),
    code: z.string(),
    status: z.enum(["ACTIVE", "USED", "CANCELLED", "EXPIRED"]).describe("EXPIRED: unused and past expiresAt"),
    memberExternalId: z.string(),
    reward: z.object({ id: entityId(), name: z.string(), kind: rewardKind }),
    pointsSpent: points(),
    createdAt: timestamp(),
    expiresAt: timestamp().nullable(),
    usedAt: timestamp().nullable(),
    cancelledAt: timestamp().nullable(),
    voucherCode: z.string().nullable().describe("the partner's code, for vouchers from an imported pool"),
  }),
);

export const redemptionListSchema = named(
  "RedemptionList",
  z.object({ redemptions: z.array(redemptionSchema), nextCursor: z.string().nullable().describe("pass as ?after= for the next page; null on the last page") }),
);

export const redemptionCreatedSchema = named(
  "RedemptionCreated",
  z.object({
    redemptionId: entityId(),
    code: z.string(),
    pointsSpent: points(),
    balance: points().describe("the member's points after the redemption, pending included"),
    expiresAt: timestamp().nullable(),
    voucherCode: z.string().nullable().describe("the partner's code, for vouchers from an imported pool"),
  }),
);

export const redemptionUsedSchema = named("RedemptionUsed", z.object({ code: z.string(), status: z.literal("USED"), usedAt: timestamp() }));
export const redemptionCancelledSchema = named(
  "RedemptionCancelled",
  z.object({ code: z.string(), status: z.literal("CANCELLED"), pointsRefunded: points(), balance: points() }),
);

// --- orders

export const orderRecordedSchema = named(
  "OrderRecorded",
  z.object({
    orderId: entityId(),
    pointsEarned: points(),
    pointsPending: points().describe("of pointsEarned, how many wait for the return window"),
    tier: z.string().nullable(),
  }),
);

export const returnRecordedSchema = named(
  "ReturnRecorded",
  z.object({
    returnId: entityId(),
    amountReturned: z.number(),
    pointsReversed: points(),
    debt: points().describe("reversed points the member had already spent; repaid first by future earnings"),
  }),
);

export const orderCancelledSchema = named("OrderCancelled", z.object({ pointsReversed: points(), debt: points(), cancelledAt: timestamp() }));

const orderLineOutputSchema = named(
  "OrderLine",
  z.object({
    lineNo: z.number().int(),
    sku: z.string(),
    category: z.string().nullable(),
    quantity: z.number().int(),
    unitPrice: z.number(),
    discount: z.number().describe("this line's share of every discount the order states (its own and the order's), in total"),
    returnedQuantity: z.number().int(),
    pointsEarned: points(),
    pointsReversed: points(),
  }),
);

const orderReturnSchema = named(
  "OrderReturn",
  z.object({ externalId: z.string(), amount: z.number(), pointsReversed: points(), debt: points(), createdAt: timestamp() }),
);

export const orderSchema = named(
  "Order",
  z.object({
    externalId: z.string(),
    memberExternalId: z.string(),
    currency: z.string(),
    total: z.number(),
    shipping: z.number(),
    tax: z.number().describe("tax charged on top of the prices; not revenue"),
    discount: z.number().describe("every discount the order states: total = Σ(quantity × unitPrice) − discount + shipping + tax"),
    returned: z.number().describe("merchandise returned or cancelled, in the order currency"),
    placedAt: timestamp(),
    createdAt: timestamp(),
    isMemberOrder: z.boolean().describe("placed at or after the customer joined (docs/analytics.md)"),
    pointsEarned: points(),
    pointsReversed: points().describe("clawed back by returns and the cancellation"),
    debt: points().describe("of the reversed points, those the member had already spent"),
    lines: z.array(orderLineOutputSchema),
    returns: z.array(orderReturnSchema).describe("the shop's returns, oldest first (the cancellation is apart)"),
    cancellation: z.object({ cancelledAt: timestamp(), amount: z.number(), pointsReversed: points(), debt: points() }).nullable(),
  }),
);

export const eventResultSchema = named(
  "EventResult",
  z.object({
    awarded: z.boolean(),
    points: points(),
    reason: z.enum(["no_rule", "inactive", "limit_reached", "zero_points", "deactivated"]).optional().describe("why nothing was awarded"),
    balance: points().optional(),
    transactionId: entityId().optional(),
  }),
);

// --- tiers, offers

export const tierListSchema = named(
  "TierList",
  z.object({
    basis: z.enum(["SPEND", "POINTS"]).describe("what qualifies: net spend, or points earned on purchases"),
    window: z.enum(["ROLLING_12_MONTHS", "CALENDAR_YEAR"]),
    graceDays: z.number().int().describe("a member below their tier keeps it this long"),
    currency: z.string(),
    tiers: z.array(
      named(
        "Tier",
        z.object({
          id: entityId(),
          name: z.string(),
          rank: z.number().int(),
          description: z.string(),
          minSpend: z.number().describe("net spend in the window to reach it (basis SPEND), program currency"),
          minPoints: points().describe("points earned in the window to reach it (basis POINTS)"),
          multiplier: z.number().describe("earning multiplier of the spend rule, 1 = x1"),
          freeShipping: z.boolean(),
          earlyAccessHours: z.number().int(),
          birthdayGiftPoints: points(),
        }),
      ),
    ),
  }),
);

const offerSchema = named(
  "Offer",
  z.object({
    id: entityId(),
    kind: z.enum(["POINTS", "CODE"]).describe("POINTS: extra points paid automatically on eligible orders; CODE: a member-only discount code"),
    title: z.string(),
    description: z.string(),
    phase: z.enum(["live", "early", "scheduled"]).describe("early = open to this member before everyone else (tier early access)"),
    opensAt: timestamp().describe("when it opens for this member"),
    startsAt: timestamp(),
    endsAt: timestamp(),
    multiplier: z.number().nullable(),
    categories: z.array(z.string()).describe("POINTS: the categories that earn the extra points; empty = every line"),
    code: z.string().nullable().describe("CODE: shown once the offer is open for the member"),
    percentOff: z.number().int().nullable(),
    value: z.number().nullable().describe("CODE: amount off in the program currency"),
    minOrder: z.number().describe("CODE: the order total the code needs, in the program currency"),
    hashtag: z.string().nullable(),
  }),
);

export const offerListSchema = named("OfferList", z.object({ offers: z.array(offerSchema) }));

export const offerCodeCheckSchema = named(
  "OfferCodeCheck",
  z.object({
    valid: z.boolean(),
    reason: z.enum(["unknown_code", "not_started", "ended", "paused", "not_eligible", "below_minimum"]).optional(),
    offerId: entityId().optional(),
    code: z.string().optional(),
    percentOff: z.number().int().nullable().optional(),
    value: z.number().nullable().optional(),
    minOrder: z.number().optional(),
    endsAt: timestamp().optional(),
  }),
);

// --- webhook endpoints, imports

const webhookEndpointShape = {
  id: entityId(),
  url: z.string(),
  description: z.string(),
  eventTypes: z.array(z.enum(webhookEventTypeValues)).describe("event types delivered; empty = all"),
  isActive: z.boolean(),
  createdAt: timestamp(),
};

export const webhookEndpointSchema = named("WebhookEndpoint", z.object(webhookEndpointShape));
export const webhookEndpointListSchema = named("WebhookEndpointList", z.object({ webhookEndpoints: z.array(webhookEndpointSchema) }));
export const webhookEndpointCreatedSchema = named(
  "WebhookEndpointCreated",
  z.object({ ...webhookEndpointShape, secret: z.string().describe("whsec_…: verifies the webhook-signature header (Standard Webhooks); shown in this answer only") }),
);
export const webhookEndpointDeletedSchema = named("WebhookEndpointDeleted", z.object({ id: entityId(), deleted: z.literal(true) }));

export const importStartedSchema = named(
  "ImportStarted",
  z.object({ importId: entityId(), status: z.literal("QUEUED"), totalRows: z.number().int(), invalidRows: z.number().int().describe("rows refused while reading the file") }),
);

export const importJobSchema = named(
  "ImportJob",
  z.object({
    id: entityId(),
    kind: z.enum(["ORDERS", "BALANCES"]),
    filename: z.string(),
    status: z.enum(["QUEUED", "RUNNING", "DONE", "FAILED"]),
    totalRows: z.number().int(),
    processedRows: z.number().int(),
    importedRows: z.number().int(),
    skippedRows: z.number().int().describe("already imported (re-running a file is a no-op)"),
    failedRows: z.number().int(),
    errors: z.array(z.object({ row: z.number().int(), message: z.string() })).describe("the first rows that failed"),
    createdAt: timestamp(),
    finishedAt: timestamp().nullable(),
  }),
);

// --- analytics

const figuresSchema = named(
  "AnalyticsFigures",
  z.object({
    netRevenue: z.number().describe("merchandise net of returns, without shipping, in the program currency"),
    orders: z.number().int(),
    activeCustomers: z.number().int(),
    repeatCustomers: z.number().int().describe("customers with 2 or more orders in the period"),
    averageOrderValue: z.number().nullable(),
    purchaseFrequency: z.number().nullable(),
    repeatPurchaseRate: z.number().nullable(),
  }),
);
const analyticsPeriodSchema = named(
  "AnalyticsPeriod",
  z.object({ kind: z.string(), first: z.iso.date(), last: z.iso.date(), isPartial: z.boolean(), isRestated: z.boolean() }),
);
export const overviewSchema = named(
  "AnalyticsOverview",
  z.object({
    currency: z.string(),
    timeZone: z.string(),
    refreshedAt: timestamp().nullable(),
    period: analyticsPeriodSchema,
    previous: analyticsPeriodSchema,
    populations: z.array(z.object({
      population: z.string().describe("all, members, nonMembers, redeemers, nonRedeemers, tier:<id> or tier:none (docs/analytics.md)"),
      label: z.string().nullable().describe("the tier's name"),
      current: figuresSchema,
      previous: figuresSchema,
    })),
  }),
);
export const cohortsSchema = named(
  "AnalyticsCohorts",
  z.object({
    currency: z.string(),
    timeZone: z.string(),
    kind: z.enum(["first", "join"]),
    segment: z.string(),
    cohorts: z.array(z.object({
      cohort: month(),
      size: z.number().int(),
      months: z.array(z.object({ month: z.number().int(), customers: z.number().int(), share: z.number(), netRevenue: z.number(), lifetimeValue: z.number(), isPartial: z.boolean() })),
    })),
    averageLifetimeValue: z.array(z.number().nullable()),
  }),
);
export const pointsReportSchema = named(
  "AnalyticsPoints",
  z.object({
    currency: z.string(),
    timeZone: z.string(),
    pointValue: z.number(),
    outstanding: z.object({ available: points(), pending: points(), expiredNotRemoved: points() }),
    liability: z.object({ gross: z.number(), expectedBreakage: z.number().nullable(), netOfBreakage: z.number(), expectedRedeemedPoints: z.number().int() }),
    byMonth: z.array(z.object({ month: month(), issued: points(), redeemed: points(), expired: points(), clawedBack: points(), isPartial: z.boolean() })),
    ageOfOutstanding: z.array(z.object({ monthsAgo: z.string(), points: points() })),
    expiringByMonth: z.array(z.object({ month: month(), points: points() })),
  }),
);
const impactEstimateSchema = named(
  "ImpactEstimate",
  z.object({
    metric: z.enum(["orders_per_customer_month", "net_revenue_per_customer_month"]),
    members_after: z.number().nullable(), non_members_after: z.number().nullable(), naive_gap: z.number().nullable(),
    effect: z.number().nullable(), effect_low_95: z.number().nullable(), effect_high_95: z.number().nullable(), selection: z.number().nullable(),
    matched_members: z.number().int(), compared_non_members: z.number().int(),
  }),
);
export const impactReportSchema = named(
  "AnalyticsImpact",
  z.object({
    computedAt: timestamp(),
    members: z.number().int(),
    membersWithoutHistory: z.number().int(),
    window: z.record(z.string(), z.number()),
    estimates: z.array(impactEstimateSchema),
  }),
);
const rfSegmentEnum = z.enum(["champions", "loyal", "promising", "new", "needAttention", "aboutToSleep", "atRisk", "cantLose", "hibernating"]);
const rfPopulationEnum = z.enum(["all", "members", "nonMembers"]);
const rankedCustomerSchema = named(
  "RankedCustomer",
  z.object({
    customerId: z.string().describe("the shop's customer id"),
    name: z.string(),
    email: z.string(),
    isMember: z.boolean(),
    orders: z.number().int().describe("lifetime counted orders"),
    netRevenue: z.number().describe("lifetime net revenue"),
    lastOrderDay: z.iso.date().nullable(),
    daysSinceLastOrder: z.number().int().nullable(),
  }),
);
const categoryShareSchema = named("CategoryShare", z.object({ category: z.string(), netRevenue: z.number(), share: z.number() }));
export const bestCustomersSchema = named(
  "AnalyticsCustomers",
  z.object({
    currency: z.string(),
    timeZone: z.string(),
    asOf: z.iso.date().nullable().describe("the local day the grid is anchored on"),
    population: rfPopulationEnum,
    customersWithOrders: z.number().int(),
    membersWithoutOrders: z.number().int(),
    netRevenue: z.number(),
    cells: z.array(z.object({
      recency: z.number().int().min(1).max(5), frequency: z.number().int().min(1).max(5), segment: rfSegmentEnum,
      customers: z.number().int(), orders: z.number().int(), netRevenue: z.number(), customerShare: z.number(), revenueShare: z.number(), netRevenuePerCustomer: z.number().nullable(),
    })),
    segments: z.array(z.object({
      segment: rfSegmentEnum, customers: z.number().int(), orders: z.number().int(), netRevenue: z.number(), customerShare: z.number(), revenueShare: z.number(), netRevenuePerCustomer: z.number().nullable(),
    })),
    topCustomers: z.array(rankedCustomerSchema),
    categoryShare: z.object({
      categories: z.array(z.string()),
      shop: z.array(categoryShareSchema),
      segments: z.array(z.object({ segment: rfSegmentEnum, shares: z.array(categoryShareSchema) })),
    }),
  }),
);
export const cellCustomersSchema = named(
  "AnalyticsCellCustomers",
  z.object({
    asOf: z.iso.date().nullable(),
    population: rfPopulationEnum,
    recency: z.number().int(),
    frequency: z.number().int(),
    segment: rfSegmentEnum,
    customers: z.array(rankedCustomerSchema),
    nextCursor: z.string().nullable().describe("pass as ?after= for the next page; null on the last page"),
  }),
);
export const categoriesReportSchema = named(
  "AnalyticsCategories",
  z.array(z.object({ group: z.string().describe("shop or a segment"), category: z.string(), net_revenue: z.number(), share: z.number() })),
);
export const rewardCostSchema = named(
  "AnalyticsRewardCost",
  z.object({
    currency: z.string(),
    timeZone: z.string(),
    since: month().nullable().describe("YYYY-MM, null for all time"),
    pointValue: z.number(),
    rewards: z.array(z.object({
      rewardId: entityId(), name: z.string(), kind: z.string(), redemptions: z.number().int(), cancelled: z.number().int(), used: z.number().int(),
      points: points().describe("points spent on redemptions not cancelled"), pointValue: z.number(), faceValue: z.number().nullable(),
    })),
    total: z.object({ redemptions: z.number().int(), cancelled: z.number().int(), used: z.number().int(), points: points(), pointValue: z.number() }),
  }),
);
