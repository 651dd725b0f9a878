import { z } from "zod";
import { createMemberSchema, createOrderSchema, createRedemptionSchema } from "@/lib/validations/api";

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

const externalIdParam = { name: "externalId", in: "path", required: true, schema: { type: "string" } };

export function buildOpenApiDocument() {
  return {
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
          parameters: [idempotencyKey],
          requestBody: { required: true, ...json(createOrderSchema, "input") },
          responses: { "201": { description: "recorded", ...json(orderResultSchema) }, ...errors(400, 401, 404, 409, 422) },
        },
      },
      "/members/{externalId}/redemptions": {
        post: {
          summary: "Redeem a reward for a member",
          parameters: [externalIdParam, idempotencyKey],
          requestBody: { required: true, ...json(createRedemptionSchema, "input") },
          responses: { "201": { description: "redeemed", ...json(redemptionResultSchema) }, ...errors(400, 401, 404, 409, 422) },
        },
      },
    },
  };
}
