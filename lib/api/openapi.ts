import { z } from "zod";
import { createEventSchema, createMemberSchema, createOrderSchema, createRedemptionSchema, createReturnSchema } from "@/lib/validations/api";

// The OpenAPI document is generated from the same zod schemas the handlers validate with,
// so it cannot drift from what the API accepts.
const pointsSchema = z.object({
  available: z.number().int(),
  pending: z.number().int(),
  expiringSoon: z.number().int().describe("available points expiring within 30 days"),
  debt: z.number().int().describe("points owed after returns of already-spent points; repaid by the next earnings"),
});

const memberSchema = z.object({
  externalId: z.string(),
  email: z.string(),
  name: z.string(),
  locale: z.string(),
  isMember: z.boolean(),
  enrolledAt: z.string().nullable(),
  tier: z.string().nullable().optional(),
  birthday: z.string().nullable().optional(),
  points: pointsSchema,
});

const orderResultSchema = z.object({
  orderId: z.number().int(),
  pointsEarned: z.number().int(),
  pointsPending: z.number().int().describe("of pointsEarned, how many wait for the return window"),
  tier: z.string().nullable(),
});

const redemptionResultSchema = z.object({
  redemptionId: z.number().int(),
  code: z.string(),
  pointsSpent: z.number().int(),
  balance: z.number().int().describe("the member's points after the redemption, pending included"),
  expiresAt: z.string().nullable(),
  voucherCode: z.string().nullable().describe("the partner's code, for vouchers from an imported pool"),
});

const returnResultSchema = z.object({
  returnId: z.number().int(),
  amountReturned: z.number(),
  pointsReversed: z.number().int(),
  debt: z.number().int().describe("reversed points the member had already spent; repaid first by future earnings"),
});

const cancelResultSchema = z.object({ pointsReversed: z.number().int(), debt: z.number().int(), cancelledAt: z.string() });

const eventResultSchema = z.object({
  awarded: z.boolean(),
  points: z.number().int(),
  reason: z.enum(["no_rule", "inactive", "limit_reached", "zero_points"]).optional().describe("why nothing was awarded"),
  balance: z.number().int().optional(),
  transactionId: z.number().int().optional(),
});

const rewardSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  kind: z.enum(["FIXED_DISCOUNT", "PERCENT_DISCOUNT", "FREE_SHIPPING", "FREE_PRODUCT", "VOUCHER", "CASHBACK", "EXPERIENCE"]),
  costPoints: z.number().int(),
  value: z.number().nullable(),
  percentOff: z.number().int().nullable(),
  stock: z.number().int().nullable(),
  availableUntil: z.string().nullable(),
  tierIds: z.array(z.number().int()).describe("tiers that may redeem it; empty = every member"),
  categories: z.array(z.string()).describe("a discount code applies to these product categories only; empty = the whole order"),
  perMemberLimit: z.number().int().nullable().describe("redemptions per member (cancelled ones don't count)"),
});

const datedPoints = z.array(z.object({ date: z.string(), points: z.number().int() }));
const balanceSchema = z.object({
  externalId: z.string(),
  available: z.number().int(),
  pending: z.number().int(),
  expiringSoon: z.number().int(),
  debt: z.number().int(),
  balance: z.number().int(),
  becomingAvailable: datedPoints.describe("pending points by the day they become available"),
  expiring: datedPoints.describe("held points by the day they expire"),
});

const offerSchema = z.object({
  id: z.number().int(),
  kind: z.enum(["POINTS", "CODE"]).describe("POINTS: extra points paid automatically on eligible orders; CODE: a member-only discount code"),
  title: z.string(),
  description: z.string(),
  phase: z.enum(["live", "early", "scheduled"]).describe("early = open to this member before everyone else (tier early access)"),
  opensAt: z.string().describe("when it opens for this member"),
  startsAt: z.string(),
  endsAt: z.string(),
  multiplier: z.number().nullable(),
  categories: z.array(z.string()).describe("POINTS: the categories that earn the extra points; empty = every line"),
  code: z.string().nullable().describe("CODE: shown once the offer is open for the member"),
  percentOff: z.number().int().nullable(),
  value: z.number().nullable().describe("CODE: amount off in the program currency"),
  minOrder: z.number().describe("CODE: the order total the code needs, in the program currency"),
  hashtag: z.string().nullable(),
});

const codeCheckSchema = z.object({
  valid: z.boolean(),
  reason: z.enum(["unknown_code", "not_started", "ended", "paused", "not_eligible", "below_minimum"]).optional(),
  offerId: z.number().int().optional(),
  code: z.string().optional(),
  percentOff: z.number().int().nullable().optional(),
  value: z.number().nullable().optional(),
  minOrder: z.number().optional(),
  endsAt: z.string().optional(),
});

const figuresSchema = z.object({
  netRevenue: z.number().describe("merchandise net of returns, without shipping, in the program currency"),
  orders: z.number().int(),
  activeCustomers: z.number().int(),
  repeatCustomers: z.number().int().describe("customers with 2 or more orders in the period"),
  averageOrderValue: z.number().nullable(),
  purchaseFrequency: z.number().nullable(),
  repeatPurchaseRate: z.number().nullable(),
});
const analyticsPeriodSchema = z.object({ kind: z.string(), first: z.iso.date(), last: z.iso.date(), isPartial: z.boolean(), isRestated: z.boolean() });
const overviewSchema = z.object({
  currency: z.string(),
  timeZone: z.string(),
  refreshedAt: z.iso.datetime().nullable(),
  period: analyticsPeriodSchema,
  previous: analyticsPeriodSchema,
  populations: z.array(z.object({
    population: z.string().describe("all, members, nonMembers, redeemers, nonRedeemers, tier:<id> or tier:none (docs/analytics.md)"),
    label: z.string().nullable().describe("the tier's name"),
    current: figuresSchema,
    previous: figuresSchema,
  })),
});
const cohortsSchema = z.object({
  currency: z.string(),
  timeZone: z.string(),
  kind: z.enum(["first", "join"]),
  segment: z.string(),
  cohorts: z.array(z.object({
    cohort: z.string().describe("YYYY-MM"),
    size: z.number().int(),
    months: z.array(z.object({ month: z.number().int(), customers: z.number().int(), share: z.number(), netRevenue: z.number(), lifetimeValue: z.number(), isPartial: z.boolean() })),
  })),
  averageLifetimeValue: z.array(z.number().nullable()),
});
const pointsReportSchema = z.object({
  currency: z.string(),
  timeZone: z.string(),
  pointValue: z.number(),
  outstanding: z.object({ available: z.number().int(), pending: z.number().int(), expiredNotRemoved: z.number().int() }),
  liability: z.object({ gross: z.number(), expectedBreakage: z.number().nullable(), netOfBreakage: z.number(), expectedRedeemedPoints: z.number().int() }),
  byMonth: z.array(z.object({ month: z.string(), issued: z.number().int(), redeemed: z.number().int(), expired: z.number().int(), clawedBack: z.number().int(), isPartial: z.boolean() })),
  ageOfOutstanding: z.array(z.object({ monthsAgo: z.string(), points: z.number().int() })),
  expiringByMonth: z.array(z.object({ month: z.string(), points: z.number().int() })),
});
const impactEstimateSchema = z.object({
  metric: z.enum(["orders_per_customer_month", "net_revenue_per_customer_month"]),
  members_after: z.number().nullable(), non_members_after: z.number().nullable(), naive_gap: z.number().nullable(),
  effect: z.number().nullable(), effect_low_95: z.number().nullable(), effect_high_95: z.number().nullable(), selection: z.number().nullable(),
  matched_members: z.number().int(), compared_non_members: z.number().int(),
});
const impactReportSchema = z.object({
  computedAt: z.iso.datetime(),
  members: z.number().int(),
  membersWithoutHistory: z.number().int(),
  window: z.record(z.string(), z.number()),
  estimates: z.array(impactEstimateSchema),
});
const rfSegmentEnum = z.enum(["champions", "loyal", "promising", "new", "needAttention", "aboutToSleep", "atRisk", "cantLose", "hibernating"]);
const rankedCustomerSchema = z.object({
  customerId: z.string().describe("the shop's customer id"),
  name: z.string(),
  email: z.string(),
  isMember: z.boolean(),
  orders: z.number().int().describe("lifetime counted orders"),
  netRevenue: z.number().describe("lifetime net revenue"),
  lastOrderDay: z.iso.date().nullable(),
  daysSinceLastOrder: z.number().int().nullable(),
});
const categoryShareSchema = z.object({ category: z.string(), netRevenue: z.number(), share: z.number() });
const bestCustomersSchema = z.object({
  currency: z.string(),
  timeZone: z.string(),
  asOf: z.iso.date().nullable().describe("the local day the grid is anchored on"),
  population: z.enum(["all", "members", "nonMembers"]),
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
});
const cellCustomersSchema = z.object({
  asOf: z.iso.date().nullable(),
  population: z.enum(["all", "members", "nonMembers"]),
  recency: z.number().int(),
  frequency: z.number().int(),
  segment: rfSegmentEnum,
  customers: z.array(rankedCustomerSchema),
  nextCursor: z.string().nullable().describe("pass as ?after= for the next page; null on the last page"),
});
const categoriesReportSchema = z.array(z.object({ group: z.string().describe("shop or a segment"), category: z.string(), net_revenue: z.number(), share: z.number() }));
const rewardCostRowSchema = z.object({
  rewardId: z.number().int(), name: z.string(), kind: z.string(), redemptions: z.number().int(), cancelled: z.number().int(), used: z.number().int(),
  points: z.number().int().describe("points spent on redemptions not cancelled"), pointValue: z.number(), faceValue: z.number().nullable(),
});
const rewardCostSchema = z.object({
  currency: z.string(),
  timeZone: z.string(),
  since: z.string().nullable().describe("YYYY-MM, null for all time"),
  pointValue: z.number(),
  rewards: z.array(rewardCostRowSchema),
  total: z.object({ redemptions: z.number().int(), cancelled: z.number().int(), used: z.number().int(), points: z.number().int(), pointValue: z.number() }),
});

const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

const json = (schema: z.ZodType, io: "input" | "output" = "output") => ({
  content: { "application/json": { schema: z.toJSONSchema(schema, { io, unrepresentable: "any" }) } },
});

const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [String(status), { description: `error (${status})`, ...json(errorSchema) }]));

const idempotencyKey = {
  name: "Idempotency-Key",
  in: "header",
  required: true,
  description: "A retry with the same key returns the stored response; the same key with another body is a 409.",
  schema: { type: "string", minLength: 1, maxLength: 255 },
};

const formatParam = { name: "format", in: "query", schema: { type: "string", enum: ["json", "csv"], default: "json" }, description: "csv: the same rows as the console's CSV download" };
const populationParam = { name: "population", in: "query", schema: { type: "string", enum: ["all", "members", "nonMembers"], default: "all" }, description: "by today's status" };

const jsonOrCsv = (schema: z.ZodType) => ({
  content: { ...json(schema).content, "text/csv": { schema: { type: "string" } } },
});

const codeParam = { name: "code", in: "path", required: true, schema: { type: "string" } };
const externalIdParam = { name: "externalId", in: "path", required: true, schema: { type: "string" } };

const TAGS: Record<string, string> = {
  members: "Members: register, read, balance, offers, redemptions",
  orders: "Orders, returns and cancellations: points earned and reversed",
  events: "Member actions (reviews, shares, profile) for the action rules",
  rewards: "The rewards catalog",
  redemptions: "Reward codes: mark used, cancel",
  analytics: "Read-only analytics for BI tools (JSON or CSV)",
};

/** operationId from the method and path: POST /orders/{externalId}/cancel -> postOrdersByExternalIdCancel. */
function operationIdOf(method: string, path: string) {
  const words = path.split("/").filter(Boolean).map((segment) => {
    const name = segment.replace(/^\{(.+)\}$/, "by-$1");
    return name.split(/[^A-Za-z0-9]+/).filter(Boolean).map((word) => word[0].toUpperCase() + word.slice(1)).join("");
  });
  return `${method}${words.join("")}`;
}

type Operation = { operationId?: string; tags?: string[]; responses: Record<string, unknown>; parameters?: { name: string }[] };

/**
 * What every operation shares, added once so no route can miss it: an operationId, a tag (its
 * first path segment), 401 and 429 (every route checks the key and its rate limit) and, on a
 * POST, 400 (a missing Idempotency-Key).
 */
function completeOperations<T extends { paths: Record<string, Record<string, Operation>> }>(document: T): T & { tags: { name: string; description: string }[] } {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      operation.operationId ??= operationIdOf(method, path);
      operation.tags ??= [path.split("/")[1]];
      const needed = [401, 429, ...(method === "post" ? [400] : [])];
      for (const status of needed) operation.responses[String(status)] ??= errors(status)[String(status)];
    }
  }
  return { ...document, tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })) };
}

export function buildOpenApiDocument() {
  return completeOperations({
    openapi: "3.1.0",
    info: { title: "Hearth API", version: "1.0.0", description: "Loyalty points for online shops. Amounts are decimal currency units." },
    servers: [{ url: "/api/v1" }],
    security: [{ apiKey: [] }],
    components: { securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "An API key created by an admin" } } },
    paths: {
      "/members": {
        post: {
          summary: "Register a customer (and by default enroll them in the program)",
          parameters: [idempotencyKey],
          requestBody: { required: true, ...json(createMemberSchema, "input") },
          responses: { "201": { description: "created", ...json(memberSchema) }, ...errors(400, 401, 409, 422) },
        },
      },
      "/members/{externalId}": {
        get: {
          summary: "A member with points and tier",
          parameters: [externalIdParam],
          responses: { "200": { description: "the member", ...json(memberSchema) }, ...errors(401, 404) },
        },
      },
      "/orders": {
        post: {
          summary: "Record an order; members earn points",
          description:
            "The order must be in the program currency (otherwise 422 CURRENCY_MISMATCH, nothing recorded). It is a member order, and earns points, " +
            "when placedAt is at or after the customer joined; a guest's earlier orders stay non-member orders (docs/analytics.md).",
          parameters: [idempotencyKey],
          requestBody: { required: true, ...json(createOrderSchema, "input") },
          responses: { "201": { description: "recorded", ...json(orderResultSchema) }, ...errors(400, 401, 404, 409, 422) },
        },
      },
      "/members/{externalId}/balance": {
        get: {
          summary: "A member's points by state, with when pending points become available and when points expire",
          parameters: [externalIdParam],
          responses: { "200": { description: "the balance", ...json(balanceSchema) }, ...errors(401, 404, 429) },
        },
      },
      "/members/{externalId}/offers": {
        get: {
          summary: "The offers this member is targeted by: open now (early access included) and opening within two weeks",
          parameters: [externalIdParam],
          responses: { "200": { description: "the offers", ...json(z.object({ offers: z.array(offerSchema) })) }, ...errors(401, 404, 429) },
        },
      },
      "/members/{externalId}/offers/check": {
        get: {
          summary: "Whether this member may use an offer code now (read-only: the shop applies the discount)",
          parameters: [
            externalIdParam,
            { name: "code", in: "query", required: true, schema: { type: "string" } },
            { name: "orderTotalCents", in: "query", required: false, schema: { type: "integer", minimum: 0 }, description: "checked against the offer's minimum order" },
          ],
          responses: { "200": { description: "the answer; valid=false comes with a reason", ...json(codeCheckSchema) }, ...errors(400, 401, 404, 429) },
        },
      },
      "/orders/{externalId}/returns": {
        post: {
          summary: "Record a (partial) return; points reversed pro rata by line, idempotent by the return's externalId",
          parameters: [externalIdParam, idempotencyKey],
          requestBody: { required: true, ...json(createReturnSchema, "input") },
          responses: { "201": { description: "recorded", ...json(returnResultSchema) }, ...errors(400, 401, 404, 409, 422, 429) },
        },
      },
      "/orders/{externalId}/cancel": {
        post: {
          summary: "Cancel an order: everything not yet returned is reversed (pending points removed)",
          parameters: [externalIdParam, idempotencyKey],
          responses: { "201": { description: "cancelled", ...json(cancelResultSchema) }, ...errors(401, 404, 409, 429) },
        },
      },
      "/events": {
        post: {
          summary: "Report a member action (review, social share/follow, profile completed) for the action rules",
          parameters: [idempotencyKey],
          requestBody: { required: true, ...json(createEventSchema, "input") },
          responses: { "201": { description: "processed (awarded or not, with the reason)", ...json(eventResultSchema) }, ...errors(400, 401, 404, 409, 422, 429) },
        },
      },
      "/analytics/overview": {
        get: {
          summary: "Every population's figures over a period and the one before (docs/analytics.md)",
          parameters: [
            { name: "period", in: "query", schema: { type: "string", enum: ["day", "week", "month", "quarter", "year", "t30", "t90", "t365", "custom"], default: "month" } },
            { name: "from", in: "query", schema: { type: "string", format: "date" }, description: "first day of a custom range" },
            { name: "to", in: "query", schema: { type: "string", format: "date" }, description: "last day of a custom range (included)" },
            formatParam,
          ],
          responses: { "200": { description: "the overview", ...jsonOrCsv(overviewSchema) }, ...errors(401, 422, 429) },
        },
      },
      "/analytics/cohorts": {
        get: {
          summary: "Retention and lifetime value of the last 12 cohorts",
          parameters: [
            { name: "kind", in: "query", schema: { type: "string", enum: ["first", "join"], default: "first" } },
            { name: "segment", in: "query", schema: { type: "string", enum: ["all", "joined", "neverJoined", "members"] }, description: "first: all, joined or neverJoined; join: members" },
            formatParam,
          ],
          responses: { "200": { description: "the cohorts", ...jsonOrCsv(cohortsSchema) }, ...errors(401, 422, 429) },
        },
      },
      "/analytics/points": {
        get: {
          summary: "Points by month, outstanding points and the liability gross and net of expected breakage",
          parameters: [{ name: "table", in: "query", schema: { type: "string", enum: ["flows", "ages", "expiring", "curves"], default: "flows" }, description: "which table the CSV holds" }, formatParam],
          responses: { "200": { description: "the points report", ...jsonOrCsv(pointsReportSchema) }, ...errors(401, 422, 429) },
        },
      },
      "/analytics/impact": {
        get: {
          summary: "The latest program-impact estimate: naive gap, matched difference in differences, 95% interval",
          parameters: [formatParam],
          responses: { "200": { description: "the estimate", ...jsonOrCsv(impactReportSchema) }, ...errors(401, 422, 429) },
        },
      },
      "/analytics/customers": {
        get: {
          summary: "Best customers: the recency x frequency grid with monetary value, named segments, top customers and category share of spend",
          parameters: [populationParam, { name: "table", in: "query", schema: { type: "string", enum: ["cells", "segments", "top"], default: "cells" }, description: "which table the CSV holds" }, formatParam],
          responses: { "200": { description: "the grid (CSV: the cells, the named segments or the top customers)", ...jsonOrCsv(bestCustomersSchema) }, ...errors(401, 422, 429) },
        },
      },
      "/analytics/customers/list": {
        get: {
          summary: "One grid cell's customers, highest lifetime net revenue first (CSV: the whole cell, streamed)",
          parameters: [
            populationParam,
            { name: "recency", in: "query", required: true, schema: { type: "integer", minimum: 1, maximum: 5 }, description: "5 = last order 0-30 days ago ... 1 = over 365" },
            { name: "frequency", in: "query", required: true, schema: { type: "integer", minimum: 1, maximum: 5 }, description: "1 = one order ... 5 = ten or more" },
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 1000, default: 100 } },
            { name: "after", in: "query", schema: { type: "string" }, description: "nextCursor of the previous page" },
            formatParam,
          ],
          responses: { "200": { description: "a page of the cell's customers", ...jsonOrCsv(cellCustomersSchema) }, ...errors(401, 422, 429) },
        },
      },
      "/analytics/categories": {
        get: {
          summary: "Category share of spend per named segment beside the whole shop",
          parameters: [populationParam, formatParam],
          responses: { "200": { description: "the category shares", ...jsonOrCsv(categoriesReportSchema) }, ...errors(401, 422, 429) },
        },
      },
      "/analytics/rewards": {
        get: {
          summary: "Redemptions and their cost per reward over the last N months or all time",
          parameters: [{ name: "months", in: "query", schema: { oneOf: [{ type: "integer", minimum: 1, maximum: 120 }, { type: "string", enum: ["all"] }], default: 12 } }, formatParam],
          responses: { "200": { description: "reward cost", ...jsonOrCsv(rewardCostSchema) }, ...errors(401, 422, 429) },
        },
      },
      "/rewards": {
        get: {
          summary: "The rewards catalog members can redeem now",
          responses: { "200": { description: "the catalog", ...json(z.object({ rewards: z.array(rewardSchema) })) }, ...errors(401, 429) },
        },
      },
      "/redemptions/{code}/use": {
        post: {
          summary: "Mark a reward code used at checkout (idempotent: using it again answers the same)",
          parameters: [codeParam, idempotencyKey],
          responses: { "200": { description: "used", ...json(z.object({ code: z.string(), status: z.literal("USED"), usedAt: z.string() })) }, ...errors(401, 404, 409, 429) },
        },
      },
      "/redemptions/{code}/cancel": {
        post: {
          summary: "Cancel an unused reward code: its points go back to the lots that paid for it, exactly once",
          parameters: [codeParam, idempotencyKey],
          responses: { "200": { description: "cancelled", ...json(z.object({ code: z.string(), status: z.literal("CANCELLED"), pointsRefunded: z.number().int(), balance: z.number().int() })) }, ...errors(401, 404, 409, 429) },
        },
      },
      "/members/{externalId}/redemptions": {
        post: {
          summary: "Redeem a reward for a member",
          parameters: [externalIdParam, idempotencyKey],
          requestBody: { required: true, ...json(createRedemptionSchema, "input") },
          responses: { "201": { description: "redeemed", ...json(redemptionResultSchema) }, ...errors(400, 401, 403, 404, 409, 422) },
        },
      },
    },
  });
}
