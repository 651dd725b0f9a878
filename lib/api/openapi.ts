import { z } from "zod";
import {
  createEventSchema, createMemberSchema, createOrderSchema, createRedemptionSchema, createReturnSchema, memberRefSchema, updateMemberSchema, updateWebhookEndpointSchema,
} from "@/lib/validations/api";
import { createWebhookEndpointSchema } from "@/lib/validations/console";
import {
  balanceSchema, bestCustomersSchema, categoriesReportSchema, cellCustomersSchema, cohortsSchema, errorSchema, eventResultSchema, impactReportSchema, importJobSchema,
  importStartedSchema, ledgerPageSchema, memberErasureSchema, memberListSchema, memberSchema, offerCodeCheckSchema, offerListSchema, orderCancelledSchema,
  orderRecordedSchema, orderSchema, overviewSchema, pointsReportSchema, redemptionCancelledSchema, redemptionCreatedSchema, redemptionListSchema, redemptionSchema,
  redemptionUsedSchema, responseSchemas, returnRecordedSchema, rewardCostSchema, rewardListSchema, tierListSchema, webhookEndpointCreatedSchema,
  webhookEndpointDeletedSchema, webhookEndpointListSchema, webhookEndpointSchema,
} from "./openapi-schemas";

// The OpenAPI document is generated from the same zod schemas the handlers validate with (request
// bodies) and from the registered response schemas (lib/api/openapi-schemas.ts), so it cannot
// drift from what the API accepts; the integration tests check real answers against it.

type JsonSchema = Record<string, unknown>;

/** Request-body parts used by more than one operation, as components too. */
const requestSchemas = z.registry<{ id: string }>();
requestSchemas.add(memberRefSchema, { id: "MemberRef" });

const SAFE_INTEGER_BOUNDS = new Set([Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]);

/**
 * Keeps the generated schemas readable: a format says what zod's long regex says (date, date-time,
 * email), and "any safe integer" bounds say nothing a client needs.
 */
function tidy({ jsonSchema }: { jsonSchema: JsonSchema }) {
  if (typeof jsonSchema.format === "string" && ["date", "date-time", "email"].includes(jsonSchema.format)) delete jsonSchema.pattern;
  for (const bound of ["minimum", "maximum"]) if (SAFE_INTEGER_BOUNDS.has(jsonSchema[bound] as number)) delete jsonSchema[bound];
}

const toComponentRefs = (schema: unknown) => JSON.parse(JSON.stringify(schema).replaceAll('"#/$defs/', '"#/components/schemas/'));

function componentSchemas(registry: typeof responseSchemas, io: "input" | "output"): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(registry, { io, target: "draft-2020-12", unrepresentable: "any", override: tidy, uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _dialect, $id: _id, ...schema }]) => [id, schema as JsonSchema]));
}

/** A schema for the document: a $ref when it is a named component, else inline with refs to the named parts. */
function schemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const registry = io === "output" ? responseSchemas : requestSchemas;
  const named = registry.get(schema);
  if (named) return { $ref: `#/components/schemas/${named.id}` };
  const { $schema: _dialect, $defs: _defs, ...inline } = z.toJSONSchema(schema, { io, target: "draft-2020-12", unrepresentable: "any", override: tidy, metadata: registry }) as JsonSchema;
  return toComponentRefs(inline);
}

const json = (schema: z.ZodType, io: "input" | "output" = "output") => ({ content: { "application/json": { schema: schemaOf(schema, io) } } });
const body = (schema: z.ZodType) => ({ required: true, ...json(schema, "input") });

const errorResponses: Record<number, [name: string, description: string]> = {
  400: ["BadRequest", "The request could not be read: no Idempotency-Key on a POST, not JSON, or a malformed query"],
  401: ["Unauthorized", "No API key, or a revoked or unknown one"],
  403: ["Forbidden", "Not allowed for this member: a tier-exclusive reward (TIER_REQUIRED) or a deactivated member (MEMBER_DEACTIVATED)"],
  404: ["NotFound", "Nothing of the API key's program has this id"],
  409: ["Conflict", "Conflicts with what is recorded (e.g. EMAIL_TAKEN, ORDER_EXISTS), or the Idempotency-Key was used with another request"],
  422: ["ValidationFailed", "The request is well-formed but invalid (VALIDATION), or the rules refuse it (e.g. INSUFFICIENT_POINTS)"],
  413: ["PayloadTooLarge", "The body is over the size limit (PAYLOAD_TOO_LARGE): refused as soon as it passes it, nothing stored"],
  429: ["RateLimited", "Over the API key's requests per minute"],
  500: ["InternalError", "Unexpected; logged with the reference in the message"],
  503: ["Unavailable", "The database can't be reached right now (restarting or failing over). Retry after Retry-After seconds with the same Idempotency-Key: if the write did commit before the connection broke, the retry gets its stored answer, so it happens once"],
};

const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [String(status), { $ref: `#/components/responses/${errorResponses[status][0]}` }]));

const errorHeader = (description: string) => ({ description, schema: { type: "integer", minimum: 0 } });

const idempotencyKey = {
  name: "Idempotency-Key",
  in: "header",
  required: true,
  description: "A retry with the same key returns the stored response; the same key with another body is a 409.",
  schema: { type: "string", minLength: 1, maxLength: 255 },
};

const formatParam = { name: "format", in: "query", schema: { type: "string", enum: ["json", "csv"], default: "json" }, description: "csv: the same rows as the console's CSV download" };
const populationParam = { name: "population", in: "query", schema: { type: "string", enum: ["all", "members", "nonMembers"], default: "all" }, description: "by today's status" };
const limitParam = { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 50 }, description: "items per page" };
const afterParam = { name: "after", in: "query", schema: { type: "string", pattern: "^[A-Za-z0-9_-]{1,200}$" }, description: "nextCursor of the previous page (opaque)" };

const jsonOrCsv = (schema: z.ZodType) => ({
  content: { ...json(schema).content, "text/csv": { schema: { type: "string" } } },
});

const codeParam = { name: "code", in: "path", required: true, schema: { type: "string", pattern: "^[A-Z0-9-]{4,40}$" }, description: "the reward code, e.g. HRTH-ABCD-EFGH-JKLM" };
const externalIdParam = { name: "externalId", in: "path", required: true, schema: { type: "string", minLength: 1, maxLength: 100 }, description: "the shop's id" };
const webhookEndpointIdParam = { name: "id", in: "path", required: true, schema: { type: "integer", minimum: 1 } };

const TAGS: Record<string, string> = {
  members: "Members: register, read, update, erase; balance, ledger, offers, redemptions",
  orders: "Orders, returns and cancellations: points earned and reversed",
  events: "Member actions (reviews, shares, profile) for the action rules",
  rewards: "The rewards catalog",
  tiers: "The program's tiers and what qualifies for them",
  redemptions: "Reward codes: look up, mark used, cancel",
  "webhook-endpoints": "Where Hearth sends its webhooks (Standard Webhooks, signed)",
  imports: "Bulk imports of historic orders and opening balances (CSV)",
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

type Operation = { operationId?: string; tags?: string[]; responses: Record<string, Record<string, unknown>>; parameters?: { name: string }[] };

/**
 * What every operation shares, added once so no route can miss it: an operationId, a tag (its
 * first path segment), 401, 429, 500 and 503 (every route checks the key and its rate limit, may
 * fail unexpectedly, and needs the database) and, on a POST, 400 (a missing Idempotency-Key) and the replay header.
 */
function completeOperations<T extends { paths: Record<string, Record<string, Operation>> }>(document: T): T & { tags: { name: string; description: string }[] } {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      operation.operationId ??= operationIdOf(method, path);
      operation.tags ??= [path.split("/")[1]];
      const needed = [401, 429, 500, 503, ...(method === "post" ? [400] : [])];
      for (const status of needed) operation.responses[String(status)] ??= errors(status)[String(status)];
      if (method !== "post") continue;
      for (const [status, response] of Object.entries(operation.responses)) {
        if (status.startsWith("2")) response.headers = { "Idempotent-Replayed": { $ref: "#/components/headers/IdempotentReplayed" } };
      }
    }
  }
  return { ...document, tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })) };
}

function components() {
  const responses = componentSchemas(responseSchemas, "output");
  const requests = componentSchemas(requestSchemas, "input");
  for (const id of Object.keys(requests)) if (id in responses) throw new Error(`component ${id} is both a request and a response schema`);
  return {
    securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "An API key created by an admin" } },
    schemas: { ...responses, ...requests },
    headers: {
      IdempotentReplayed: { description: "true when this is the stored answer to an earlier request with the same Idempotency-Key", schema: { type: "string", enum: ["true"] } },
    },
    responses: Object.fromEntries(
      Object.entries(errorResponses).map(([status, [name, description]]) => [
        name,
        {
          description,
          ...(status === "429"
            ? { headers: { "Retry-After": errorHeader("seconds until the window resets"), "RateLimit-Limit": errorHeader("requests per minute"), "RateLimit-Remaining": errorHeader("always 0 here") } }
            : status === "503"
              ? { headers: { "Retry-After": errorHeader("seconds to wait before retrying") } }
              : {}),
          ...json(errorSchema),
        },
      ]),
    ),
  };
}

export function buildOpenApiDocument() {
  return completeOperations({
    openapi: "3.1.0",
    info: { title: "Hearth API", version: "1.0.0", description: "Loyalty points for online shops. Amounts are decimal currency units; timestamps are ISO 8601 (UTC)." },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    servers: [{ url: "/api/v1" }],
    security: [{ apiKey: [] }],
    components: components(),
    paths: {
      "/members": {
        get: {
          summary: "The program's customers, a page at a time, oldest first, with filters",
          parameters: [
            limitParam,
            afterParam,
            { name: "tierId", in: "query", schema: { oneOf: [{ type: "integer", minimum: 1 }, { type: "string", enum: ["none"] }] }, description: "a tier id from GET /tiers, or none" },
            { name: "isMember", in: "query", schema: { type: "boolean" }, description: "true: joined the program; false: shop customers who have not" },
            { name: "erased", in: "query", schema: { type: "boolean" }, description: "true: only erased records; false: without them" },
            { name: "createdSince", in: "query", schema: { type: "string", format: "date-time" } },
            { name: "updatedSince", in: "query", schema: { type: "string", format: "date-time" }, description: "changed at or after (details, tier, enrolment, erasure): for syncing. A change is stamped when it is made and visible when its transaction commits (imports commit in batches of up to a few minutes): start each sync 15 minutes before the previous one began and de-duplicate by externalId" },
            { name: "email", in: "query", schema: { type: "string", format: "email" } },
          ],
          responses: { "200": { description: "a page of members", ...json(memberListSchema) }, ...errors(422) },
        },
        post: {
          summary: "Register a customer (and by default enroll them in the program)",
          parameters: [idempotencyKey],
          requestBody: body(createMemberSchema),
          responses: { "201": { description: "created", ...json(memberSchema) }, ...errors(400, 409, 422) },
        },
      },
      "/members/{externalId}": {
        get: {
          summary: "A member with points and tier",
          parameters: [externalIdParam],
          responses: { "200": { description: "the member", ...json(memberSchema) }, ...errors(404) },
        },
        patch: {
          summary: "Change a customer's email, name, locale or birthday (the email stays unique in the program: 409 EMAIL_TAKEN)",
          description: "The member's portal login is theirs and is not changed. An erased record can't be given details again (409 CONFLICT).",
          parameters: [externalIdParam],
          requestBody: body(updateMemberSchema),
          responses: { "200": { description: "the member as updated", ...json(memberSchema) }, ...errors(400, 404, 409, 422) },
        },
      },
      "/members/{externalId}/erase": {
        post: {
          summary: "Erase a member's personal data; points, orders and the ledger stay (idempotent)",
          description:
            "Name, email, birthday, preferences, the signup device and the referral code are removed; a portal login is anonymised and can no longer sign in. " +
            "The record stays under the shop's externalId, so returns still reverse points and balances add up. Erasing again answers the first erasure.",
          parameters: [externalIdParam, idempotencyKey],
          responses: { "200": { description: "erased", ...json(memberErasureSchema) }, ...errors(404, 409) },
        },
      },
      "/members/{externalId}/balance": {
        get: {
          summary: "A member's points by state, with when pending points become available and when points expire",
          parameters: [externalIdParam],
          responses: { "200": { description: "the balance", ...json(balanceSchema) }, ...errors(404) },
        },
      },
      "/members/{externalId}/ledger": {
        get: {
          summary: "A member's points history, newest first: every movement with its reason",
          parameters: [externalIdParam, limitParam, afterParam],
          responses: { "200": { description: "a page of ledger entries", ...json(ledgerPageSchema) }, ...errors(404, 422) },
        },
      },
      "/members/{externalId}/offers": {
        get: {
          summary: "The offers this member is targeted by: open now (early access included) and opening within two weeks",
          parameters: [externalIdParam],
          responses: { "200": { description: "the offers", ...json(offerListSchema) }, ...errors(404) },
        },
      },
      "/members/{externalId}/offers/check": {
        get: {
          summary: "Whether this member may use an offer code now (read-only: the shop applies the discount)",
          parameters: [
            externalIdParam,
            { name: "code", in: "query", required: true, schema: { type: "string", minLength: 1, maxLength: 64 } },
            { name: "orderTotalCents", in: "query", required: false, schema: { type: "integer", minimum: 0 }, description: "checked against the offer's minimum order" },
          ],
          responses: { "200": { description: "the answer; valid=false comes with a reason", ...json(offerCodeCheckSchema) }, ...errors(400, 404) },
        },
      },
      "/members/{externalId}/redemptions": {
        get: {
          summary: "A member's reward codes, newest first",
          parameters: [externalIdParam, limitParam, afterParam],
          responses: { "200": { description: "a page of redemptions", ...json(redemptionListSchema) }, ...errors(404, 422) },
        },
        post: {
          summary: "Redeem a reward for a member",
          parameters: [externalIdParam, idempotencyKey],
          requestBody: body(createRedemptionSchema),
          responses: { "201": { description: "redeemed", ...json(redemptionCreatedSchema) }, ...errors(400, 403, 404, 409, 422) },
        },
      },
      "/orders": {
        post: {
          summary: "Record an order; members earn points",
          description:
            "The order must be in the program currency (otherwise 422 CURRENCY_MISMATCH, nothing recorded). It is a member order, and earns points, " +
            "when placedAt is at or after the customer joined; a guest's earlier orders stay non-member orders (docs/analytics.md)." +
            // referral fraud signals (docs/earning.md)
            " Optional `signals` carry hashes (never raw values) of the payment card, shipping address, IP and device: a referred friend's first " +
            "order that shares one with the referrer is recorded and earns its own points, but the referral bonuses wait for staff review.",
          parameters: [idempotencyKey],
          requestBody: body(createOrderSchema),
          responses: { "201": { description: "recorded", ...json(orderRecordedSchema) }, ...errors(400, 404, 409, 422) },
        },
      },
      "/orders/{externalId}": {
        get: {
          summary: "An order with its lines, returns and cancellation, and the points it earned and had reversed",
          parameters: [externalIdParam],
          responses: { "200": { description: "the order", ...json(orderSchema) }, ...errors(404) },
        },
      },
      "/orders/{externalId}/returns": {
        post: {
          summary: "Record a (partial) return; points reversed pro rata by line, idempotent by the return's externalId",
          parameters: [externalIdParam, idempotencyKey],
          requestBody: body(createReturnSchema),
          responses: { "201": { description: "recorded", ...json(returnRecordedSchema) }, ...errors(400, 404, 409, 422) },
        },
      },
      "/orders/{externalId}/cancel": {
        post: {
          summary: "Cancel an order: everything not yet returned is reversed (pending points removed)",
          parameters: [externalIdParam, idempotencyKey],
          responses: { "201": { description: "cancelled", ...json(orderCancelledSchema) }, ...errors(404, 409) },
        },
      },
      "/events": {
        post: {
          summary: "Report a member action (review, social share/follow, profile completed) for the action rules",
          parameters: [idempotencyKey],
          requestBody: body(createEventSchema),
          responses: { "201": { description: "processed (awarded or not, with the reason)", ...json(eventResultSchema) }, ...errors(400, 403, 404, 409, 422) },
        },
      },
      "/rewards": {
        get: {
          summary: "The rewards catalog members can redeem now",
          responses: { "200": { description: "the catalog", ...json(rewardListSchema) } },
        },
      },
      "/tiers": {
        get: {
          summary: "The program's tiers, lowest first, with what qualifies for each and their benefits",
          responses: { "200": { description: "the tiers", ...json(tierListSchema) } },
        },
      },
      "/redemptions/{code}": {
        get: {
          summary: "Look a reward code up without using it: status, reward, member, expiry",
          parameters: [codeParam],
          responses: { "200": { description: "the redemption", ...json(redemptionSchema) }, ...errors(404) },
        },
      },
      "/redemptions/{code}/use": {
        post: {
          summary: "Mark a reward code used at checkout (idempotent: using it again answers the same)",
          parameters: [codeParam, idempotencyKey],
          responses: { "200": { description: "used", ...json(redemptionUsedSchema) }, ...errors(404, 409) },
        },
      },
      "/redemptions/{code}/cancel": {
        post: {
          summary: "Cancel an unused reward code: its points go back to the lots that paid for it, exactly once",
          parameters: [codeParam, idempotencyKey],
          responses: { "200": { description: "cancelled", ...json(redemptionCancelledSchema) }, ...errors(404, 409) },
        },
      },
      "/webhook-endpoints": {
        get: {
          summary: "The program's webhook endpoints (never their signing secrets)",
          responses: { "200": { description: "the endpoints", ...json(webhookEndpointListSchema) } },
        },
        post: {
          summary: "Add a webhook endpoint; its signing secret is in this answer only",
          description: "https only, and never a private, loopback or link-local address (checked now and at every delivery).",
          parameters: [idempotencyKey],
          requestBody: body(createWebhookEndpointSchema),
          responses: { "201": { description: "created", ...json(webhookEndpointCreatedSchema) }, ...errors(409, 422) },
        },
      },
      "/webhook-endpoints/{id}": {
        get: {
          summary: "A webhook endpoint",
          parameters: [webhookEndpointIdParam],
          responses: { "200": { description: "the endpoint", ...json(webhookEndpointSchema) }, ...errors(404) },
        },
        patch: {
          summary: "Change a webhook endpoint's address (checked like a new one), description or event types, or switch it on or off",
          parameters: [webhookEndpointIdParam],
          requestBody: body(updateWebhookEndpointSchema),
          responses: { "200": { description: "the endpoint as updated", ...json(webhookEndpointSchema) }, ...errors(400, 404, 422) },
        },
        delete: {
          summary: "Remove a webhook endpoint and its delivery log",
          parameters: [webhookEndpointIdParam],
          responses: { "200": { description: "removed", ...json(webhookEndpointDeletedSchema) }, ...errors(404) },
        },
      },
      "/imports/{kind}": {
        post: {
          summary: "Import historic orders or opening balances from CSV; answers at once, the import runs in the background",
          description:
            "Re-running the same file is a no-op (rows already imported are skipped). Poll GET /imports/jobs/{id} for progress. The import is a queued job " +
            "(status QUEUED): one import per program runs at a time, later ones wait their turn, and an import cut short by a restart resumes where it stopped. " +
            "A body over 50 MB is refused with 413 as soon as it passes the limit.",
          parameters: [
            { name: "kind", in: "path", required: true, schema: { type: "string", enum: ["orders", "balances"] } },
            idempotencyKey,
            { name: "X-Filename", in: "header", required: false, schema: { type: "string", maxLength: 200 }, description: "the file's name, shown in the console" },
          ],
          requestBody: { required: true, content: { "text/csv": { schema: { type: "string", maxLength: 50 * 1024 * 1024 } } } },
          responses: { "202": { description: "accepted: the import is queued", ...json(importStartedSchema) }, ...errors(400, 404, 409, 413, 422) },
        },
      },
      "/imports/jobs/{id}": {
        get: {
          summary: "An import's progress: rows processed, imported, skipped (already there) and failed, with the first row errors",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "integer", minimum: 1 } }],
          responses: { "200": { description: "the import", ...json(importJobSchema) }, ...errors(404) },
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
          responses: { "200": { description: "the overview", ...jsonOrCsv(overviewSchema) }, ...errors(422) },
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
          responses: { "200": { description: "the cohorts", ...jsonOrCsv(cohortsSchema) }, ...errors(422) },
        },
      },
      "/analytics/points": {
        get: {
          summary: "Points by month, outstanding points and the liability gross and net of expected breakage",
          parameters: [{ name: "table", in: "query", schema: { type: "string", enum: ["flows", "ages", "expiring", "curves"], default: "flows" }, description: "which table the CSV holds" }, formatParam],
          responses: { "200": { description: "the points report", ...jsonOrCsv(pointsReportSchema) }, ...errors(422) },
        },
      },
      "/analytics/impact": {
        get: {
          summary: "The latest program-impact estimate: naive gap, matched difference in differences, 95% interval",
          parameters: [formatParam],
          responses: { "200": { description: "the estimate", ...jsonOrCsv(impactReportSchema) }, ...errors(422) },
        },
      },
      "/analytics/customers": {
        get: {
          summary: "Best customers: the recency x frequency grid with monetary value, named segments, top customers and category share of spend",
          parameters: [populationParam, { name: "table", in: "query", schema: { type: "string", enum: ["cells", "segments", "top"], default: "cells" }, description: "which table the CSV holds" }, formatParam],
          responses: { "200": { description: "the grid (CSV: the cells, the named segments or the top customers)", ...jsonOrCsv(bestCustomersSchema) }, ...errors(422) },
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
          responses: { "200": { description: "a page of the cell's customers", ...jsonOrCsv(cellCustomersSchema) }, ...errors(422) },
        },
      },
      "/analytics/categories": {
        get: {
          summary: "Category share of spend per named segment beside the whole shop",
          parameters: [populationParam, formatParam],
          responses: { "200": { description: "the category shares", ...jsonOrCsv(categoriesReportSchema) }, ...errors(422) },
        },
      },
      "/analytics/rewards": {
        get: {
          summary: "Redemptions and their cost per reward over the last N months or all time",
          parameters: [{ name: "months", in: "query", schema: { oneOf: [{ type: "integer", minimum: 1, maximum: 120 }, { type: "string", enum: ["all"] }], default: 12 } }, formatParam],
          responses: { "200": { description: "reward cost", ...jsonOrCsv(rewardCostSchema) }, ...errors(422) },
        },
      },
    },
  });
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
