import { z } from "zod";
import { locales } from "@/lib/i18n/locales";
import { eventTypes, type EventType } from "@/lib/domain/earn-rules";
import { createWebhookEndpointSchema } from "./console";
import { moneySchema } from "./money";

const externalIdSchema = z.string().trim().min(1).max(100).regex(/^[\w.:@-]+$/, { error: "letters, digits and . _ : @ - only" });

export const memberRefSchema = z.union([
  z.object({ externalId: externalIdSchema }).strict(),
  z.object({ email: z.email().max(254).transform((email) => email.toLowerCase()) }).strict(),
]);

export const orderLineSchema = z
  .object({
    sku: z.string().trim().min(1).max(100),
    category: z.string().trim().min(1).max(100).optional(),
    quantity: z.number().int().min(1).max(10_000),
    unitPrice: moneySchema,
    /** amount off this line in total (not per unit), e.g. a product discount */
    discount: moneySchema.optional().describe("amount off this line in total (not per unit); the line's points are earned on quantity × unitPrice − discount"),
  })
  .strict()
  .refine((line) => (line.discount ?? 0) <= line.quantity * line.unitPrice, { error: "discount must not exceed quantity × unitPrice", path: ["discount"] });

/**
 * Identity signals a shop may send with an order, each a hash the shop made (e.g. SHA-256 hex of
 * the normalised card fingerprint, shipping address, IP address or device id): never the raw
 * card number or address. Hearth re-hashes them before storing and uses them only to hold a
 * referral whose first order shares one with the referrer (docs/earning.md).
 */
const signalHashSchema = z.string().trim().min(8).max(256).regex(/^[\w.:+/=-]+$/, { error: "a hash: letters, digits and . _ : + / = - only" });
export const orderSignalsSchema = z
  .object({
    paymentHash: signalHashSchema.optional().describe("hash of the payment card's fingerprint (or the payment method's stable id)"),
    shippingAddressHash: signalHashSchema.optional().describe("hash of the normalised shipping address"),
    ipHash: signalHashSchema.optional().describe("hash of the customer's IP address at checkout"),
    deviceHash: signalHashSchema.optional().describe("hash of the customer's device or browser id"),
  })
  .strict();
export type OrderSignalsInput = z.infer<typeof orderSignalsSchema>;

export const createOrderSchema = z
  .object({
    externalId: externalIdSchema,
    member: memberRefSchema,
    currency: z.string().regex(/^[A-Z]{3}$/, { error: "ISO 4217 code, e.g. USD" }),
    total: moneySchema,
    placedAt: z.iso
      .datetime({ offset: true })
      .transform((value) => new Date(value))
      .refine((date) => date.getTime() <= Date.now() + 86_400_000, { error: "must not be in the future" })
      .refine((date) => date.getTime() >= Date.UTC(2000, 0, 1), { error: "must be after 2000-01-01" }),
    /** shipping charged; recorded, never earns points */
    shipping: moneySchema.optional(),
    /** tax charged on top of the prices (sales tax); recorded, never earns points, not revenue */
    tax: moneySchema.optional().describe("tax charged on top of the line prices (e.g. US sales tax); recorded, never earns points, not counted as revenue"),
    /** order-level discounts (coupons, reward codes) not stated on a line; shared by the lines in proportion to their amounts */
    discount: moneySchema.optional().describe("order-level discounts (coupons, reward codes) not stated on a line; spread over the lines in proportion to their amounts"),
    lines: z.array(orderLineSchema).min(1).max(500),
    /** optional hashed identity signals for referral fraud checks */
    signals: orderSignalsSchema.optional().describe("optional hashed identity signals: a referral whose first order shares one with the referrer is held for staff review"),
  })
  .strict()
  .refine((order) => order.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0) <= 1_000_000_000, {
    error: "order lines add up to more than 10 million",
    path: ["lines"],
  })
  .refine((order) => (order.shipping ?? 0) <= order.total, { error: "shipping must not exceed the total", path: ["shipping"] })
  .refine((order) => (order.discount ?? 0) <= linesNetCents(order.lines), { error: "discount must not exceed the lines' amounts after their own discounts", path: ["discount"] })
  .superRefine((order, context) => {
    // the order adds up, to the cent (docs/analytics.md "Orders"): what the API and the import accept alike
    const expected = linesNetCents(order.lines) - (order.discount ?? 0) + (order.shipping ?? 0) + (order.tax ?? 0);
    if (expected !== order.total) {
      context.addIssue({
        code: "custom",
        path: ["total"],
        message: `total must equal the lines (quantity × unitPrice − line discount) − discount + shipping + tax = ${(expected / 100).toFixed(2)}`,
      });
    }
  });

/** Σ (quantity × unit price − line discount) in cents. */
export function linesNetCents(lines: { quantity: number; unitPrice: number; discount?: number }[]): number {
  return lines.reduce((sum, line) => sum + line.quantity * line.unitPrice - (line.discount ?? 0), 0);
}

export type CreateOrderInput = z.infer<typeof createOrderSchema>;

export const createReturnSchema = z
  .object({
    externalId: externalIdSchema,
    lines: z
      .array(z.object({ sku: z.string().trim().min(1).max(100), quantity: z.number().int().min(1).max(10_000) }).strict())
      .min(1)
      .max(500),
  })
  .strict();
export type CreateReturnInput = z.infer<typeof createReturnSchema>;

export const createEventSchema = z
  .object({
    member: memberRefSchema,
    type: z.enum(Object.keys(eventTypes) as [EventType, ...EventType[]]),
    /** the shop's id for this event (e.g. the review id): the same event twice earns once */
    externalId: externalIdSchema,
    occurredAt: z.iso
      .datetime({ offset: true })
      .transform((value) => new Date(value))
      .refine((date) => date.getTime() <= Date.now() + 86_400_000, { error: "must not be in the future" })
      .refine((date) => date.getTime() >= Date.UTC(2000, 0, 1), { error: "must be after 2000-01-01" })
      .optional(),
  })
  .strict();
export type CreateEventInput = z.infer<typeof createEventSchema>;

export const createRedemptionSchema = z.object({ rewardId: z.number().int().positive().max(2_147_483_647) }).strict();
export type CreateRedemptionInput = z.infer<typeof createRedemptionSchema>;

export const externalIdParamSchema = externalIdSchema;

export const idempotencyKeySchema = z.string().trim().min(1).max(255);

export const createMemberSchema = z
  .object({
    externalId: externalIdSchema,
    email: z.email().max(254).transform((email) => email.toLowerCase()),
    name: z.string().trim().min(1).max(100).optional(),
    birthday: z.iso
      .date()
      .refine((value) => value >= "1900-01-01" && new Date(`${value}T00:00:00Z`).getTime() <= Date.now(), { error: "must be a past date" })
      .optional(),
    locale: z.enum(locales).optional(),
    /** false records a shop customer who has not joined (their orders count as non-member orders) */
    enroll: z.boolean().default(true),
    /** the member who referred this customer; both earn on this customer's first paid order */
    referrerExternalId: externalIdSchema.optional(),
  })
  .strict();

export type CreateMemberInput = z.infer<typeof createMemberSchema>;

/** GET /members/{externalId}/offers/check?code=…&orderTotalCents=… */
export const checkOfferCodeQuerySchema = z
  .object({
    code: z.string().trim().min(1).max(64),
    orderTotalCents: z.coerce.number().int().min(0).max(1_000_000_000).optional(),
  })
  .strict();

// --- reads with cursor pagination (GET /members, /members/{externalId}/ledger and /redemptions)

/** ?limit=1..100 (default 50); strict digits, so "", "1e2" or " 5" are refused, not coerced */
const pageLimitSchema = z
  .string()
  .regex(/^\d{1,3}$/, { error: "a whole number from 1 to 100" })
  .transform(Number)
  .pipe(z.number().int().min(1, { error: "a whole number from 1 to 100" }).max(100, { error: "a whole number from 1 to 100" }))
  .default(50);

/** ?after=<nextCursor of the previous page>: opaque to the client, decoded by lib/api/page-cursor.ts */
const pageCursorSchema = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, { error: "a cursor from nextCursor" });

const booleanQuerySchema = z.enum(["true", "false"]).transform((value) => value === "true");
const sinceQuerySchema = z.iso.datetime({ offset: true, error: "an ISO 8601 date-time, e.g. 2026-01-31T00:00:00Z" }).transform((value) => new Date(value));

export const pageQuerySchema = z.object({ limit: pageLimitSchema, after: pageCursorSchema.optional() }).strict();
export type PageQuery = z.infer<typeof pageQuerySchema>;

/** GET /members?limit&after&tierId&isMember&erased&createdSince&updatedSince&email */
export const listMembersQuerySchema = z
  .object({
    limit: pageLimitSchema,
    after: pageCursorSchema.optional(),
    /** a tier id from GET /tiers, or "none" for members without a tier */
    tierId: z.union([z.literal("none"), z.string().regex(/^[1-9]\d{0,8}$/, { error: "a tier id from GET /tiers, or none" }).transform(Number)]).optional(),
    /** true: joined the program; false: shop customers who have not joined */
    isMember: booleanQuerySchema.optional(),
    /** true: only erased records; false: hide them */
    erased: booleanQuerySchema.optional(),
    createdSince: sinceQuerySchema.optional(),
    /** members whose record changed at or after this instant (profile, tier, enrolment, erasure) */
    updatedSince: sinceQuerySchema.optional(),
    email: z.email({ error: "an email address" }).max(254).transform((email) => email.toLowerCase()).optional(),
  })
  .strict();
export type ListMembersQuery = z.infer<typeof listMembersQuerySchema>;

/** PATCH /members/{externalId}: what the shop may change; at least one field */
export const updateMemberSchema = z
  .object({
    email: createMemberSchema.shape.email.optional(),
    name: z.string().trim().min(1).max(100).optional(),
    locale: z.enum(locales).optional(),
    /** YYYY-MM-DD, or null to clear it */
    birthday: createMemberSchema.shape.birthday.unwrap().nullable().optional(),
  })
  .strict()
  .refine((input) => Object.values(input).some((value) => value !== undefined), { error: "give at least one of email, name, locale, birthday" });
export type UpdateMemberInput = z.infer<typeof updateMemberSchema>;

// --- webhook endpoints over the API: POST takes the console's createWebhookEndpointSchema as is

/** PATCH /webhook-endpoints/{id}: any of the console's fields, and switching it on or off */
export const updateWebhookEndpointSchema = z
  .object({
    url: createWebhookEndpointSchema.shape.url.optional(),
    description: createWebhookEndpointSchema.shape.description.unwrap().optional(),
    eventTypes: createWebhookEndpointSchema.shape.eventTypes.unwrap().optional(),
    isActive: z.boolean().optional(),
  })
  .strict()
  .refine((input) => Object.values(input).some((value) => value !== undefined), { error: "give at least one of url, description, eventTypes, isActive" });
export type UpdateWebhookEndpointInput = z.infer<typeof updateWebhookEndpointSchema>;

/** /webhook-endpoints/{id}: a positive integer id; anything else names nothing (404) */
export const webhookEndpointIdSchema = z.string().regex(/^[1-9]\d{0,8}$/).transform(Number);
