import { expect, test } from "vitest";
import { buildOpenApiDocument } from "./openapi";

const document = buildOpenApiDocument();

test("documents every v1 endpoint", () => {
  expect(Object.keys(document.paths).sort()).toEqual([
    "/analytics/categories", "/analytics/cohorts", "/analytics/customers", "/analytics/customers/list", "/analytics/impact", "/analytics/overview", "/analytics/points", "/analytics/rewards", "/events", "/members", "/members/{externalId}", "/members/{externalId}/balance", "/members/{externalId}/offers", "/members/{externalId}/offers/check", "/members/{externalId}/redemptions",
    "/orders", "/orders/{externalId}/cancel", "/orders/{externalId}/returns", "/redemptions/{code}/cancel", "/redemptions/{code}/use", "/rewards",
  ]);
});

test("the order body schema is the one the handler validates", () => {
  const schema = document.paths["/orders"].post.requestBody.content["application/json"].schema as {
    required: string[];
    properties: Record<string, { type?: string; items?: { required?: string[] } }>;
    additionalProperties: boolean;
  };
  expect(schema.required.sort()).toEqual(["currency", "externalId", "lines", "member", "placedAt", "total"]);
  expect(schema.additionalProperties).toBe(false);
  expect(schema.properties.total.type).toBe("number");
  expect(schema.properties.lines.items?.required?.sort()).toEqual(["quantity", "sku", "unitPrice"]);
});

test("every POST requires an Idempotency-Key", () => {
  for (const [path, item] of Object.entries(document.paths)) {
    const post = (item as { post?: { parameters: { name: string; required: boolean }[] } }).post;
    if (!post) continue;
    expect(post.parameters.some((parameter) => parameter.name === "Idempotency-Key" && parameter.required), path).toBe(true);
  }
});

test("every operation has a unique operationId, a declared tag, 401 and 429, and every POST a 400 (missing Idempotency-Key)", () => {
  const ids = new Set<string>();
  const tags = new Set(document.tags.map((tag) => tag.name));
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item as unknown as Record<string, { operationId: string; tags: string[]; responses: Record<string, unknown> }>)) {
      expect(operation.operationId, `${method} ${path}`).toMatch(/^[a-z][A-Za-z0-9]+$/);
      expect(ids.has(operation.operationId), `${operation.operationId} is unique`).toBe(false);
      ids.add(operation.operationId);
      for (const tag of operation.tags) expect(tags, `${method} ${path} tag ${tag}`).toContain(tag);
      for (const status of ["401", "429", ...(method === "post" ? ["400"] : [])]) expect(Object.keys(operation.responses), `${method} ${path} ${status}`).toContain(status);
    }
  }
  expect(ids).toContain("postOrdersByExternalIdCancel");
  expect(ids).toContain("getAnalyticsCustomersList");
});
