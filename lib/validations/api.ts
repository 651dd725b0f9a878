import { z } from "zod";
import { locales } from "@/lib/i18n/locales";
import { eventTypes, type EventType } from "@/lib/domain/earn-rules";
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
  })
  .strict();

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
    lines: z.array(orderLineSchema).min(1).max(500),
  })
  .strict()
  .refine((order) => order.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0) <= 1_000_000_000, {
    error: "order lines add up to more than 10 million",
    path: ["lines"],
  })
  .refine((order) => (order.shipping ?? 0) <= order.total, { error: "shipping must not exceed the total", path: ["shipping"] });

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
