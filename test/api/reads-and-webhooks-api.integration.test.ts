import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { POST as postMember } from "@/app/api/v1/members/route";
import { POST as postRedemption } from "@/app/api/v1/members/[externalId]/redemptions/route";
import { POST as postOrder } from "@/app/api/v1/orders/route";
import { GET as getOrder } from "@/app/api/v1/orders/[externalId]/route";
import { POST as postReturn } from "@/app/api/v1/orders/[externalId]/returns/route";
import { POST as postCancel } from "@/app/api/v1/orders/[externalId]/cancel/route";
import { GET as getRedemption } from "@/app/api/v1/redemptions/[code]/route";
import { POST as useRedemption } from "@/app/api/v1/redemptions/[code]/use/route";
import { GET as getTiers } from "@/app/api/v1/tiers/route";
import { GET as listEndpoints, POST as postEndpoint } from "@/app/api/v1/webhook-endpoints/route";
import { DELETE as deleteEndpoint, GET as getEndpoint, PATCH as patchEndpoint } from "@/app/api/v1/webhook-endpoints/[id]/route";
import { createProgram, createReward, uniqueId } from "@/test/fixtures";
import { createApiKey, expectDocumented, jsonRequest, ledgerChecksum } from "@/test/api-helpers";

// GET /orders/{externalId}, GET /redemptions/{code}, GET /tiers and the webhook endpoints over
// the API, each answer checked against the OpenAPI document; another program's key gets 404.

type Setup = Awaited<ReturnType<typeof createProgram>>;
let a: Setup;
let b: Setup;
let keyA: string;
let keyB: string;
let member: string;

const byExternalId = (externalId: string) => ({ params: Promise.resolve({ externalId }) });
const byCode = (code: string) => ({ params: Promise.resolve({ code }) });
const byId = (id: string | number) => ({ params: Promise.resolve({ id: String(id) }) });
const get = (url: string, key: string) => jsonRequest(url, { key, method: "GET" });

beforeAll(async () => {
  a = await createProgram({ welcomeBonus: 0 });
  b = await createProgram();
  keyA = (await createApiKey(a.program.id)).key;
  keyB = (await createApiKey(b.program.id)).key;
  member = uniqueId("m");
  const response = await postMember(jsonRequest("/api/v1/members", { key: keyA, idempotencyKey: uniqueId("i"), body: { externalId: member, email: `${member}@example.test` } }));
  expect(response.status).toBe(201);
});

afterAll(async () => {
  await prisma.$disconnect();
});

async function order(lines: { sku: string; category?: string; quantity: number; unitPrice: number }[], shipping = 0) {
  const total = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0) + shipping;
  const externalId = uniqueId("o");
  const response = await postOrder(jsonRequest("/api/v1/orders", {
    key: keyA, idempotencyKey: uniqueId("i"), body: { externalId, member: { externalId: member }, currency: "USD", total, shipping, placedAt: new Date().toISOString(), lines },
  }));
  expect(response.status).toBe(201);
  return externalId;
}

describe("GET /orders/{externalId}", () => {
  test("lines, returns and the points each earned and had reversed", async () => {
    const id = await order([{ sku: "TEE", category: "apparel", quantity: 2, unitPrice: 20 }, { sku: "MUG", quantity: 1, unitPrice: 10 }], 4.95);
    const returned = await postReturn(jsonRequest(`/api/v1/orders/${id}/returns`, { key: keyA, idempotencyKey: uniqueId("i"), body: { externalId: "ret-1", lines: [{ sku: "TEE", quantity: 1 }] } }), byExternalId(id));
    expect(returned.status).toBe(201);
    const response = await getOrder(get(`/api/v1/orders/${id}`, keyA), byExternalId(id));
    expect(response.status).toBe(200);
    const body = await expectDocumented(response, "get /orders/{externalId}");
    expect(body).toMatchObject({
      externalId: id, memberExternalId: member, currency: "USD", total: 54.95, shipping: 4.95, returned: 20, isMemberOrder: true,
      pointsEarned: 50, pointsReversed: 20, debt: 0, cancellation: null,
      lines: [
        { lineNo: 1, sku: "TEE", category: "apparel", quantity: 2, unitPrice: 20, returnedQuantity: 1, pointsEarned: 40, pointsReversed: 20 },
        { lineNo: 2, sku: "MUG", category: null, quantity: 1, unitPrice: 10, returnedQuantity: 0, pointsEarned: 10, pointsReversed: 0 },
      ],
      returns: [{ externalId: "ret-1", amount: 20, pointsReversed: 20, debt: 0 }],
    });
  });

  test("a cancelled order shows the cancellation apart from the shop's returns", async () => {
    const id = await order([{ sku: "BAG", quantity: 1, unitPrice: 100 }]);
    const cancelled = await postCancel(jsonRequest(`/api/v1/orders/${id}/cancel`, { key: keyA, idempotencyKey: uniqueId("i") }), byExternalId(id));
    const cancellation = await expectDocumented(cancelled, "post /orders/{externalId}/cancel");
    const body = await expectDocumented(await getOrder(get(`/api/v1/orders/${id}`, keyA), byExternalId(id)), "get /orders/{externalId}");
    expect(body.returns).toEqual([]);
    expect(body.cancellation).toEqual({ cancelledAt: cancellation.cancelledAt, amount: 100, pointsReversed: 100, debt: 0 });
    expect(body).toMatchObject({ pointsEarned: 100, pointsReversed: 100, returned: 100 });
  });

  test("unknown, malformed or another program's order: 404", async () => {
    const id = await order([{ sku: "CAP", quantity: 1, unitPrice: 15 }]);
    for (const [path, key] of [[id, keyB], ["no-such-order", keyA], ["bad id!", keyA]] as const) {
      const response = await getOrder(get(`/api/v1/orders/${path}`, key), byExternalId(path));
      expect(response.status).toBe(404);
      expect((await expectDocumented(response, "get /orders/{externalId}")).error.code).toBe("NOT_FOUND");
    }
  });
});

describe("GET /redemptions/{code}", () => {
  test("looks a code up without using it; after use it says USED", async () => {
    await order([{ sku: "COAT", quantity: 1, unitPrice: 300 }]);
    const reward = await createReward(a.program.id, { costPoints: 100 });
    const redeemed = await expectDocumented(
      await postRedemption(jsonRequest(`/api/v1/members/${member}/redemptions`, { key: keyA, idempotencyKey: uniqueId("i"), body: { rewardId: reward.id } }), byExternalId(member)),
      "post /members/{externalId}/redemptions",
    );
    const before = await ledgerChecksum();
    const looked = await expectDocumented(await getRedemption(get(`/api/v1/redemptions/${redeemed.code}`, keyA), byCode(redeemed.code)), "get /redemptions/{code}");
    expect(looked).toMatchObject({ code: redeemed.code, status: "ACTIVE", memberExternalId: member, reward: { id: reward.id, name: reward.name }, pointsSpent: 100, expiresAt: redeemed.expiresAt, usedAt: null, voucherCode: null });
    expect(await ledgerChecksum()).toBe(before);
    expect((await prisma.redemption.findUniqueOrThrow({ where: { code: redeemed.code } })).status).toBe("ACTIVE");
    await expectDocumented(await useRedemption(jsonRequest(`/api/v1/redemptions/${redeemed.code}/use`, { key: keyA, idempotencyKey: uniqueId("i") }), byCode(redeemed.code)), "post /redemptions/{code}/use");
    const used = await expectDocumented(await getRedemption(get(`/api/v1/redemptions/${redeemed.code}`, keyA), byCode(redeemed.code)), "get /redemptions/{code}");
    expect(used.status).toBe("USED");
    expect(used.usedAt).not.toBeNull();

    const cross = await getRedemption(get(`/api/v1/redemptions/${redeemed.code}`, keyB), byCode(redeemed.code));
    expect(cross.status).toBe(404);
    await expectDocumented(cross, "get /redemptions/{code}");
  });

  test("an expired code says EXPIRED; a malformed one is a 404", async () => {
    await order([{ sku: "HAT", quantity: 1, unitPrice: 200 }]);
    const reward = await createReward(a.program.id, { costPoints: 50 });
    const redeemed = await expectDocumented(
      await postRedemption(jsonRequest(`/api/v1/members/${member}/redemptions`, { key: keyA, idempotencyKey: uniqueId("i"), body: { rewardId: reward.id } }), byExternalId(member)),
      "post /members/{externalId}/redemptions",
    );
    await prisma.redemption.update({ where: { code: redeemed.code }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await expectDocumented(await getRedemption(get(`/api/v1/redemptions/${redeemed.code}`, keyA), byCode(redeemed.code)), "get /redemptions/{code}")).status).toBe("EXPIRED");
    for (const code of ["x", "lower-case-code", "HRTH-NOPE-NOPE-NOPE"]) {
      const response = await getRedemption(get(`/api/v1/redemptions/${code}`, keyA), byCode(code));
      expect(response.status).toBe(404);
      await expectDocumented(response, "get /redemptions/{code}");
    }
  });
});

test("GET /tiers: the program's tiers, lowest first, with basis, thresholds and multipliers", async () => {
  const body = await expectDocumented(await getTiers(get("/api/v1/tiers", keyA)), "get /tiers");
  expect(body).toMatchObject({ basis: "SPEND", window: "ROLLING_12_MONTHS", currency: "USD" });
  expect(body.tiers.map((tier: { name: string; minSpend: number; multiplier: number }) => [tier.name, tier.minSpend, tier.multiplier])).toEqual([["Bronze", 0, 1], ["Silver", 500, 1.25], ["Gold", 1500, 1.5]]);
  const other = await expectDocumented(await getTiers(get("/api/v1/tiers", keyB)), "get /tiers");
  expect(other.tiers.map((tier: { id: number }) => tier.id)).toEqual([b.tiers.bronze.id, b.tiers.silver.id, b.tiers.gold.id]);
});

describe("webhook endpoints over the API", () => {
  const create = (key: string, body: unknown, idempotencyKey = uniqueId("i")) => postEndpoint(jsonRequest("/api/v1/webhook-endpoints", { key, idempotencyKey, body }));

  test("create shows the secret once; list and get never do; patch and delete; audit-logged with the API key", async () => {
    const setup = await createProgram();
    const { key, id: apiKeyId } = await createApiKey(setup.program.id);
    const response = await create(key, { url: "https://127.0.0.1/hooks", description: "shop", eventTypes: ["tier.changed"] });
    expect(response.status).toBe(201);
    const created = await expectDocumented(response, "post /webhook-endpoints");
    expect(created).toMatchObject({ url: "https://127.0.0.1/hooks", description: "shop", eventTypes: ["tier.changed"], isActive: true });
    expect(created.secret).toMatch(/^whsec_/);
    expect((await prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: created.id } })).secret).toBe(created.secret);

    const list = await expectDocumented(await listEndpoints(get("/api/v1/webhook-endpoints", key)), "get /webhook-endpoints");
    expect(list.webhookEndpoints).toEqual([{ id: created.id, url: created.url, description: "shop", eventTypes: ["tier.changed"], isActive: true, createdAt: created.createdAt }]);
    const one = await expectDocumented(await getEndpoint(get(`/api/v1/webhook-endpoints/${created.id}`, key), byId(created.id)), "get /webhook-endpoints/{id}");
    expect(one).not.toHaveProperty("secret");

    const patched = await patchEndpoint(jsonRequest(`/api/v1/webhook-endpoints/${created.id}`, { key, method: "PATCH", body: { isActive: false, eventTypes: [], url: "https://8.8.8.8/in" } }), byId(created.id));
    expect(await expectDocumented(patched, "patch /webhook-endpoints/{id}")).toMatchObject({ isActive: false, eventTypes: [], url: "https://8.8.8.8/in" });

    const removed = await deleteEndpoint(jsonRequest(`/api/v1/webhook-endpoints/${created.id}`, { key, method: "DELETE" }), byId(created.id));
    expect(await expectDocumented(removed, "delete /webhook-endpoints/{id}")).toEqual({ id: created.id, deleted: true });
    const gone = await getEndpoint(get(`/api/v1/webhook-endpoints/${created.id}`, key), byId(created.id));
    expect(gone.status).toBe(404);
    await expectDocumented(gone, "get /webhook-endpoints/{id}");
    const again = await deleteEndpoint(jsonRequest(`/api/v1/webhook-endpoints/${created.id}`, { key, method: "DELETE" }), byId(created.id));
    expect(again.status).toBe(404);
    await expectDocumented(again, "delete /webhook-endpoints/{id}");

    const audit = await prisma.auditLog.findMany({ where: { targetType: "webhook_endpoint", targetId: String(created.id) }, orderBy: { id: "asc" } });
    expect(audit.map((row) => row.action)).toEqual(["webhook_endpoint.created", "webhook_endpoint.updated", "webhook_endpoint.deleted"]);
    expect(audit.every((row) => row.actorUserId === null && (row.data as { apiKeyId?: number }).apiKeyId === apiKeyId)).toBe(true);
  });

  test("the console's address rules: private, loopback-by-name and plain http are refused with 422, nothing saved", async () => {
    const setup = await createProgram();
    const { key } = await createApiKey(setup.program.id);
    for (const url of ["https://10.0.0.8/hooks", "https://[::1]/hooks", "https://localhost/hooks", "http://hooks.shop.example/in", "ftp://hooks.shop.example/in", "not a url"]) {
      const response = await create(key, { url });
      expect(response.status, url).toBe(422);
      expect((await expectDocumented(response, "post /webhook-endpoints")).error.code).toBe("VALIDATION");
    }
    const created = await expectDocumented(await create(key, { url: "https://8.8.8.8/hooks" }), "post /webhook-endpoints");
    const patched = await patchEndpoint(jsonRequest(`/api/v1/webhook-endpoints/${created.id}`, { key, method: "PATCH", body: { url: "https://192.168.1.20/hooks" } }), byId(created.id));
    expect(patched.status).toBe(422);
    await expectDocumented(patched, "patch /webhook-endpoints/{id}");
    expect(await prisma.webhookEndpoint.findMany({ where: { programId: setup.program.id }, select: { url: true } })).toEqual([{ url: "https://8.8.8.8/hooks" }]);
  });

  test("bad input: 4xx in the error envelope, never a 500", async () => {
    const setup = await createProgram();
    const { key } = await createApiKey(setup.program.id);
    const created = await expectDocumented(await create(key, { url: "https://8.8.8.8/hooks" }), "post /webhook-endpoints");
    const cases: [Promise<Response>, string, number][] = [
      [create(key, { url: "https://8.8.8.8/a", eventTypes: ["no.such.event"] }), "post /webhook-endpoints", 422],
      [create(key, { url: "https://8.8.8.8/a", secret: "mine" }), "post /webhook-endpoints", 422],
      [postEndpoint(jsonRequest("/api/v1/webhook-endpoints", { key, body: { url: "https://8.8.8.8/a" } })), "post /webhook-endpoints", 400],
      [patchEndpoint(jsonRequest(`/api/v1/webhook-endpoints/${created.id}`, { key, method: "PATCH", body: {} }), byId(created.id)), "patch /webhook-endpoints/{id}", 422],
      [patchEndpoint(jsonRequest(`/api/v1/webhook-endpoints/${created.id}`, { key, method: "PATCH", body: { isActive: "no" } }), byId(created.id)), "patch /webhook-endpoints/{id}", 422],
      [patchEndpoint(jsonRequest(`/api/v1/webhook-endpoints/${created.id}`, { key, method: "PATCH", rawBody: "nope" }), byId(created.id)), "patch /webhook-endpoints/{id}", 400],
      [getEndpoint(get("/api/v1/webhook-endpoints/abc", key), byId("abc")), "get /webhook-endpoints/{id}", 404],
      [getEndpoint(get("/api/v1/webhook-endpoints/0", key), byId("0")), "get /webhook-endpoints/{id}", 404],
      [getEndpoint(get("/api/v1/webhook-endpoints/99999999999", key), byId("99999999999")), "get /webhook-endpoints/{id}", 404],
    ];
    for (const [call, operation, status] of cases) {
      const response = await call;
      expect(response.status, operation).toBe(status);
      await expectDocumented(response, operation);
    }
  });

  test("the same Idempotency-Key replays the creation (one endpoint); another body with it is a 409", async () => {
    const setup = await createProgram();
    const { key } = await createApiKey(setup.program.id);
    const idempotencyKey = uniqueId("i");
    const first = await expectDocumented(await create(key, { url: "https://8.8.8.8/hooks" }, idempotencyKey), "post /webhook-endpoints");
    const replay = await create(key, { url: "https://8.8.8.8/hooks" }, idempotencyKey);
    expect(await expectDocumented(replay, "post /webhook-endpoints")).toEqual(first);
    const conflict = await create(key, { url: "https://8.8.4.4/hooks" }, idempotencyKey);
    expect(conflict.status).toBe(409);
    await expectDocumented(conflict, "post /webhook-endpoints");
    expect(await prisma.webhookEndpoint.count({ where: { programId: setup.program.id } })).toBe(1);
  });

  test("another program's key can't see, change or delete an endpoint (404)", async () => {
    const created = await expectDocumented(await create(keyA, { url: "https://8.8.8.8/hooks" }), "post /webhook-endpoints");
    const list = await expectDocumented(await listEndpoints(get("/api/v1/webhook-endpoints", keyB)), "get /webhook-endpoints");
    expect(list.webhookEndpoints.map((endpoint: { id: number }) => endpoint.id)).not.toContain(created.id);
    const calls: [Promise<Response>, string][] = [
      [getEndpoint(get(`/api/v1/webhook-endpoints/${created.id}`, keyB), byId(created.id)), "get /webhook-endpoints/{id}"],
      [patchEndpoint(jsonRequest(`/api/v1/webhook-endpoints/${created.id}`, { key: keyB, method: "PATCH", body: { url: "https://8.8.4.4/steal" } }), byId(created.id)), "patch /webhook-endpoints/{id}"],
      [deleteEndpoint(jsonRequest(`/api/v1/webhook-endpoints/${created.id}`, { key: keyB, method: "DELETE" }), byId(created.id)), "delete /webhook-endpoints/{id}"],
    ];
    for (const [call, operation] of calls) {
      const response = await call;
      expect(response.status, operation).toBe(404);
      await expectDocumented(response, operation);
    }
    expect(await prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: created.id }, select: { url: true, isActive: true } })).toEqual({ url: "https://8.8.8.8/hooks", isActive: true });
  });
});
