import { describe, expect, test } from "vitest";
import { API_METHODS } from "./methods";
import { buildOpenApiDocument } from "./openapi";

const document = buildOpenApiDocument();

test("documents every v1 endpoint", () => {
  expect(Object.keys(document.paths).sort()).toEqual([
    "/analytics/categories", "/analytics/cohorts", "/analytics/customers", "/analytics/customers/list", "/analytics/impact", "/analytics/overview", "/analytics/points", "/analytics/rewards", "/events",
    "/imports/jobs/{id}", "/imports/{kind}",
    "/members", "/members/{externalId}", "/members/{externalId}/balance", "/members/{externalId}/erase", "/members/{externalId}/ledger", "/members/{externalId}/offers", "/members/{externalId}/offers/check", "/members/{externalId}/redemptions",
    "/orders", "/orders/{externalId}", "/orders/{externalId}/cancel", "/orders/{externalId}/returns", "/redemptions/{code}", "/redemptions/{code}/cancel", "/redemptions/{code}/use", "/rewards", "/tiers",
    "/webhook-endpoints", "/webhook-endpoints/{id}",
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

// Every route module under app/api/v1, asked without an API key: a method it serves answers 401,
// one it doesn't 405 (lib/api/methods.ts). The document must list exactly those, no more.
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
const routeModules = import.meta.glob<Record<string, Handler>>("/app/api/v1/**/route.ts");

test("the document lists exactly the methods each route serves", async () => {
  const served: string[] = [];
  for (const [file, load] of Object.entries(routeModules)) {
    const route = file.replace("/app/api/v1", "").replace("/route.ts", "");
    if (route.includes("[...") || route === "/openapi.json") continue; // the catch-all 404 and the document itself
    const path = route.replace(/\[(\w+)\]/g, "{$1}");
    const module = await load();
    for (const method of API_METHODS) {
      const response = await module[method](new Request(`http://localhost/api/v1${route}`, { method }), { params: Promise.resolve({}) });
      if (response.status !== 405) served.push(`${method.toLowerCase()} ${path}`);
    }
  }
  const documented = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`));
  expect(documented.sort()).toEqual(served.sort());
}, 60_000);

describe("named, reusable schemas", () => {
  const operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, { responses: Record<string, { $ref?: string; content?: Record<string, { schema: { $ref?: string } }> }> }>).map(([method, operation]) => ({ name: `${method} ${path}`, operation })));

  test("every JSON answer refers to a component schema; every error to a shared response with the Error schema", () => {
    for (const { name, operation } of operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (status.startsWith("2")) {
          expect(response.content?.["application/json"]?.schema.$ref, `${name} ${status}`).toMatch(/^#\/components\/schemas\/[A-Z]\w+$/);
        } else {
          expect(response.$ref, `${name} ${status}`).toMatch(/^#\/components\/responses\/\w+$/);
        }
      }
    }
    for (const response of Object.values(document.components.responses)) expect(response.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/Error" });
  });

  test("the integrators' main objects are components", () => {
    for (const name of ["Member", "MemberList", "Points", "LedgerEntry", "Order", "OrderLine", "Redemption", "Reward", "Tier", "WebhookEndpoint", "Error", "ImportJob", "MemberRef"]) {
      expect(Object.keys(document.components.schemas), name).toContain(name);
    }
    const member = document.components.schemas.Member as { properties: Record<string, { $ref?: string }> };
    expect(member.properties.points).toEqual({ $ref: "#/components/schemas/Points" });
  });

  test("each answer is a closed object: a field the document doesn't name can't slip in", () => {
    const open: string[] = [];
    const walk = (node: unknown, where: string) => {
      if (!node || typeof node !== "object") return;
      const schema = node as Record<string, unknown>;
      if (schema.type === "object" && schema.properties && schema.additionalProperties !== false) open.push(where);
      for (const [key, value] of Object.entries(schema)) walk(value, `${where}/${key}`);
    };
    walk(document.components.schemas, "#/components/schemas");
    expect(open).toEqual([]);
  });
});

test("the statuses each new endpoint can answer", () => {
  const statuses = (path: string, method: string) => Object.keys((document.paths as unknown as Record<string, Record<string, { responses: object }>>)[path][method].responses).sort();
  expect(statuses("/members", "get")).toEqual(["200", "401", "422", "429", "500", "503"]);
  expect(statuses("/members/{externalId}", "patch")).toEqual(["200", "400", "401", "404", "409", "422", "429", "500", "503"]);
  expect(statuses("/members/{externalId}/erase", "post")).toEqual(["200", "400", "401", "404", "409", "429", "500", "503"]);
  expect(statuses("/orders/{externalId}", "get")).toEqual(["200", "401", "404", "429", "500", "503"]);
  expect(statuses("/redemptions/{code}", "get")).toEqual(["200", "401", "404", "429", "500", "503"]);
  expect(statuses("/webhook-endpoints", "post")).toEqual(["201", "400", "401", "409", "422", "429", "500", "503"]);
  expect(statuses("/webhook-endpoints/{id}", "delete")).toEqual(["200", "401", "404", "429", "500", "503"]);
  expect(statuses("/imports/{kind}", "post")).toEqual(["202", "400", "401", "404", "409", "413", "422", "429", "500", "503"]);
});
