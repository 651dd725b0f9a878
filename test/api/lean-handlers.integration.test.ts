import { afterAll, describe, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import type { LeanAnswer } from "@/lib/api/handle-api";
import { ensureSystemAccounts } from "@/lib/services/ledger-core";
import { GET as getMember } from "@/app/api/v1/members/[externalId]/route";
import { GET as getBalance } from "@/app/api/v1/members/[externalId]/balance/route";
import { POST as postOrder } from "@/app/api/v1/orders/route";
import { POST as postReturn } from "@/app/api/v1/orders/[externalId]/returns/route";
import { POST as postEvent } from "@/app/api/v1/events/route";
import { POST as postRedemption } from "@/app/api/v1/members/[externalId]/redemptions/route";
import { createApiKey } from "@/test/api-helpers";
import { createMember, createProgram, createReward, uniqueId } from "@/test/fixtures";
// the object scripts/server.mjs hands the hot routes' `lean` handlers
import { leanRequest } from "@/scripts/lean-request.mjs";

// scripts/server.mjs serves the API's hot routes with each handler's `lean` form: a plain request
// object in, a plain answer out, no Fetch Request or Response. Next.js serves the same handlers
// through the Response form. Every answer must be the same either way: status, headers, bytes.

afterAll(async () => {
  await prisma.$disconnect();
});

type Sent = { method: "GET" | "POST"; path: string; headers?: Record<string, string>; body?: string | Buffer };
type Handler = ((request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>) & {
  lean: (request: unknown, context: { params: Promise<Record<string, string>> }) => Promise<LeanAnswer>;
};

/** As Node hands a request to scripts/server.mjs: header names in lower case, the body whole. */
function viaLean(handler: Handler, sent: Sent, params: Record<string, string> = {}) {
  const headers: Record<string, string> = { host: "localhost" };
  for (const [name, value] of Object.entries(sent.headers ?? {})) headers[name.toLowerCase()] = value;
  const body = sent.body === undefined ? null : Buffer.from(sent.body);
  return handler.lean(leanRequest({ method: sent.method, url: sent.path, headers }, body), { params: Promise.resolve(params) });
}

/** As Next.js hands it to the route: a Fetch Request, and the Response read back. */
async function viaNext(handler: Handler, sent: Sent, params: Record<string, string> = {}): Promise<LeanAnswer> {
  const body = typeof sent.body === "string" || sent.body === undefined ? sent.body : new Uint8Array(sent.body);
  const request = new Request(`http://localhost${sent.path}`, { method: sent.method, headers: sent.headers, body });
  const response = await handler(request, { params: Promise.resolve(params) });
  const headers: Record<string, string> = {};
  for (const [name, value] of response.headers) headers[name] = value;
  return { status: response.status, headers, text: await response.text() };
}

/** Both forms answer alike. An Idempotency-Key of "*" is a new key for each (a refusal is stored under its key). */
async function same(label: string, handler: Handler, sent: Sent, params?: Record<string, string>) {
  const fresh = () => (sent.headers?.["idempotency-key"] === "*" ? { ...sent, headers: { ...sent.headers, "idempotency-key": uniqueId("k") } } : sent);
  const lean = await viaLean(handler, fresh(), params);
  const next = await viaNext(handler, fresh(), params);
  expect(lean, label).toEqual(next);
  return lean;
}

async function shop() {
  const setup = await createProgram();
  const { key } = await createApiKey(setup.program.id);
  await prisma.$transaction((tx) => ensureSystemAccounts(tx, setup.program.id));
  const member = await createMember(setup.program);
  return { ...setup, key, member, auth: { authorization: `Bearer ${key}` } };
}

const orderBody = (memberId: string, externalId = uniqueId("o"), total = 120) =>
  JSON.stringify({ externalId, member: { externalId: memberId }, currency: "USD", total, placedAt: new Date().toISOString(), lines: [{ sku: "SKU-1", quantity: 2, unitPrice: total / 2 }] });

describe("the hot routes' lean handlers answer as their Response form", () => {
  test("reads and refusals, byte for byte", async () => {
    const s = await shop();
    const id = s.member.externalId;
    const params = { externalId: id };
    const read = await same("member", getMember as Handler, { method: "GET", path: `/api/v1/members/${id}`, headers: s.auth }, params);
    expect(read.status).toBe(200);
    expect(read.headers).toEqual({ "content-type": "application/json", "cache-control": "no-store, no-transform" });
    expect(JSON.parse(read.text)).toMatchObject({ externalId: id, isMember: true });
    await same("balance", getBalance as Handler, { method: "GET", path: `/api/v1/members/${id}/balance?x=1`, headers: s.auth }, params);
    await same("unknown member", getBalance as Handler, { method: "GET", path: "/api/v1/members/nobody/balance", headers: s.auth }, { externalId: "nobody" });
    await same("malformed id", getMember as Handler, { method: "GET", path: "/api/v1/members/x", headers: s.auth }, { externalId: "two words" });
    expect((await same("no key", getMember as Handler, { method: "GET", path: `/api/v1/members/${id}` }, params)).status).toBe(401);
    await same("wrong key", getMember as Handler, { method: "GET", path: `/api/v1/members/${id}`, headers: { authorization: "Bearer hearth_not_a_key" } }, params);
    await same("lower-case scheme", getMember as Handler, { method: "GET", path: `/api/v1/members/${id}`, headers: { authorization: `bearer ${s.key}` } }, params);

    const post = (headers: Record<string, string>, body: string | Buffer): Sent => ({ method: "POST", path: "/api/v1/orders", headers: { ...s.auth, ...headers }, body });
    await same("no idempotency key", postOrder as Handler, post({ "content-type": "application/json" }, orderBody(id)));
    await same("not JSON", postOrder as Handler, post({ "content-type": "application/json", "idempotency-key": uniqueId("k") }, "{nope"));
    await same("wrong content type", postOrder as Handler, post({ "content-type": "text/plain", "idempotency-key": uniqueId("k") }, "{}"));
    const invalid = await same("invalid order", postOrder as Handler, post({ "content-type": "application/json", "idempotency-key": uniqueId("k") }, JSON.stringify({ externalId: "x", total: -1 })));
    expect(invalid.status).toBe(422);
    await same("NUL in text", postOrder as Handler, post({ "content-type": "application/json", "idempotency-key": uniqueId("k") }, JSON.stringify({ externalId: "a\u0000b" })));
    await same("redemption of an unknown reward", postRedemption as Handler, { method: "POST", path: `/api/v1/members/${id}/redemptions`, headers: { ...s.auth, "content-type": "application/json", "idempotency-key": "*" }, body: JSON.stringify({ rewardId: 999_999_999 }) }, params);
    await same("return of an unknown order", postReturn as Handler, { method: "POST", path: "/api/v1/orders/none/returns", headers: { ...s.auth, "content-type": "application/json", "idempotency-key": "*" }, body: JSON.stringify({ externalId: "r", lines: [{ sku: "SKU-1", quantity: 1 }] }) }, { externalId: "none" });
  });

  test("writes: the same answer's shape, and a replay through the other form byte for byte", async () => {
    const s = await shop();
    const id = s.member.externalId;
    const json = { ...s.auth, "content-type": "application/json" };
    const reward = await createReward(s.program.id, { costPoints: 50 });

    // an order with a leading BOM is read as Fetch reads it (the BOM dropped)
    const key = uniqueId("k");
    const externalId = uniqueId("o");
    const sent: Sent = { method: "POST", path: "/api/v1/orders", headers: { ...json, "idempotency-key": key }, body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(orderBody(id, externalId))]) };
    const placed = await viaLean(postOrder as Handler, sent);
    expect(placed.status).toBe(201);
    const other = await viaNext(postOrder as Handler, { ...sent, headers: { ...json, "idempotency-key": uniqueId("k") }, body: orderBody(id) });
    expect(other.status).toBe(201);
    expect(placed.headers).toEqual(other.headers);
    expect(Object.keys(JSON.parse(placed.text)).sort()).toEqual(Object.keys(JSON.parse(other.text)).sort());
    const replay = await same("order replay", postOrder as Handler, sent);
    expect(replay.headers["idempotent-replayed"]).toBe("true");
    expect(replay.text).toBe(placed.text);
    await same("the key with another body", postOrder as Handler, { ...sent, body: orderBody(id) });
    // two BOMs: Fetch's text() drops both (undici strips one, then its decoder another)
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const twice = await same("two BOMs", postOrder as Handler, { ...sent, headers: { ...json, "idempotency-key": "*" }, body: Buffer.concat([bom, bom, Buffer.from(JSON.stringify({ externalId: "x", total: -1 }))]) });
    expect(twice.status).toBe(422); // read as JSON (a BOM left in would be a 400: not valid JSON)
    await same("a BOM only", postOrder as Handler, { ...sent, headers: { ...json, "idempotency-key": "*" }, body: bom });

    const returnSent: Sent = { method: "POST", path: `/api/v1/orders/${externalId}/returns`, headers: { ...json, "idempotency-key": uniqueId("k") }, body: JSON.stringify({ externalId: uniqueId("r"), lines: [{ sku: "SKU-1", quantity: 1 }] }) };
    const returned = await viaLean(postReturn as Handler, returnSent, { externalId });
    expect(returned.status).toBe(201);
    expect(await viaNext(postReturn as Handler, returnSent, { externalId })).toEqual({ ...returned, headers: { ...returned.headers, "idempotent-replayed": "true" } });

    const eventSent: Sent = { method: "POST", path: "/api/v1/events", headers: { ...json, "idempotency-key": uniqueId("k") }, body: JSON.stringify({ member: { externalId: id }, type: "review", externalId: uniqueId("e") }) };
    const event = await viaLean(postEvent as Handler, eventSent);
    expect(event.status).toBe(201);
    expect((await viaNext(postEvent as Handler, eventSent)).text).toBe(event.text);

    const redemptionSent: Sent = { method: "POST", path: `/api/v1/members/${id}/redemptions`, headers: { ...json, "idempotency-key": uniqueId("k") }, body: JSON.stringify({ rewardId: reward.id }) };
    const redeemed = await viaLean(postRedemption as Handler, redemptionSent, { externalId: id });
    expect(redeemed.status, redeemed.text).toBe(201);
    expect(await viaNext(postRedemption as Handler, redemptionSent, { externalId: id })).toEqual({ ...redeemed, headers: { ...redeemed.headers, "idempotent-replayed": "true" } });
  });

  test("over the rate limit: the same 429 with its Retry-After and RateLimit headers", async () => {
    const setup = await createProgram();
    const { key } = await createApiKey(setup.program.id, { rateLimitPerMinute: 1 });
    const member = await createMember(setup.program);
    const sent: Sent = { method: "GET", path: `/api/v1/members/${member.externalId}`, headers: { authorization: `Bearer ${key}` } };
    const params = { externalId: member.externalId };
    expect((await viaLean(getMember as Handler, sent, params)).status).toBe(200);
    const lean = await viaLean(getMember as Handler, sent, params);
    const next = await viaNext(getMember as Handler, sent, params);
    expect(lean.status).toBe(429);
    expect(Object.keys(lean.headers).sort()).toEqual(["cache-control", "content-type", "ratelimit-limit", "ratelimit-remaining", "retry-after"]);
    expect(Object.keys(next.headers).sort()).toEqual(Object.keys(lean.headers).sort());
    expect(lean.headers["ratelimit-limit"]).toBe("1");
    expect(Number(lean.headers["retry-after"])).toBeGreaterThan(0);
    expect(JSON.parse(lean.text).error.code).toBe("RATE_LIMITED");
  });
});
