import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { enrollCustomer } from "@/lib/services/enroll-customer";
import { POST as postOrder } from "@/app/api/v1/orders/route";
import { POST as postReturn } from "@/app/api/v1/orders/[externalId]/returns/route";
import { POST as postCancel } from "@/app/api/v1/orders/[externalId]/cancel/route";
import { POST as postEvent } from "@/app/api/v1/events/route";
import { POST as postMember } from "@/app/api/v1/members/route";
import { GET as getMember } from "@/app/api/v1/members/[externalId]/route";
import { GET as getBalance } from "@/app/api/v1/members/[externalId]/balance/route";
import { POST as postRedemption } from "@/app/api/v1/members/[externalId]/redemptions/route";
import { GET as getRewards } from "@/app/api/v1/rewards/route";
import { createCustomer, createProgram, createReward, uniqueId } from "@/test/fixtures";
import { createApiKey, ledgerChecksum } from "@/test/api-helpers";

// API fuzzing: >= 10,000 generated malformed or hostile requests across every endpoint.
// Every answer must be a 4xx with a JSON {error:{code,message}} body (never a 5xx), and the
// ledger's checksum must not move. Bodies are valid requests with one part broken, wholly
// random JSON, raw garbage, or valid-looking requests aimed at members/orders that don't exist.

const TOTAL = Number(process.env.FUZZ_REQUESTS ?? 10_000);
let key: string;
let revokedKey: string;
let member: { externalId: string; email: string };
let orderExternalId: string;
let rewardId: number;

beforeAll(async () => {
  const setup = await createProgram({ welcomeBonus: 50 });
  key = (await createApiKey(setup.program.id)).key;
  const revoked = await createApiKey(setup.program.id);
  await prisma.apiKey.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
  revokedKey = revoked.key;
  const customer = await createCustomer(setup.program.id);
  await enrollCustomer({ program: setup.program, customerId: customer.id });
  member = { externalId: customer.externalId, email: customer.email };
  rewardId = (await createReward(setup.program.id, { costPoints: 1_000_000 })).id; // never affordable
  orderExternalId = uniqueId("ord");
  const realOrder = { ...validBodies().order, member: { externalId: member.externalId } };
  const response = await postOrder(request("POST", { authorization: `Bearer ${key}`, "idempotency-key": uniqueId("i") }, JSON.stringify(realOrder)));
  expect(response.status).toBe(201);
});

afterAll(async () => {
  await prisma.$disconnect();
});

function request(method: string, headers: Record<string, string>, body?: string) {
  return new Request("http://localhost/api/v1/fuzz", { method, headers: { "content-type": "application/json", ...headers }, body: method === "GET" ? undefined : body });
}

/** Valid requests, aimed so that even unbroken they can't move points. */
function validBodies() {
  return {
    // an order for a member that doesn't exist -> 404
    order: { externalId: orderExternalId ?? "o", member: { externalId: "fuzz-nobody" }, currency: "USD", total: 10, placedAt: "2026-01-01T00:00:00Z", lines: [{ sku: "A", quantity: 1, unitPrice: 10 }] },
    // the member's email is taken -> 409
    member: { externalId: member?.externalId ?? "m", email: member?.email ?? "a@b.c", name: "Fuzz" },
    // an event for a member that doesn't exist -> 404
    event: { member: { externalId: "fuzz-nobody" }, type: "review", externalId: "r1" },
    // a return for an order that doesn't exist -> 404
    return: { externalId: "ret", lines: [{ sku: "A", quantity: 1 }] },
    // a reward nobody can afford -> 422
    redemption: { rewardId: rewardId ?? 1 },
  };
}

const hostile = fc.oneof(
  fc.constantFrom(null, -1, 0, 1e308, -1e308, 2 ** 53, 1.005, "", " ", "NaN", "1e999", [], {}, true, "' OR 1=1 --", "\u0000", "../../etc/passwd", "<script>alert(1)</script>", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "a".repeat(5000)),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ maxLength: 300 }),
  fc.integer(),
  fc.double(),
);

type Endpoint = { name: keyof ReturnType<typeof validBodies> | "get" | "cancel"; call: (req: Request, param: string) => Promise<Response>; method: string };
const endpoints: Endpoint[] = [
  { name: "order", method: "POST", call: (req) => postOrder(req) },
  { name: "member", method: "POST", call: (req) => postMember(req) },
  { name: "event", method: "POST", call: (req) => postEvent(req) },
  { name: "return", method: "POST", call: (req, param) => postReturn(req, { params: Promise.resolve({ externalId: param }) }) },
  { name: "cancel", method: "POST", call: (req, param) => postCancel(req, { params: Promise.resolve({ externalId: param }) }) },
  { name: "redemption", method: "POST", call: (req, param) => postRedemption(req, { params: Promise.resolve({ externalId: param }) }) },
  { name: "get", method: "GET", call: (req, param) => [getMember, getBalance][param.length % 2](req, { params: Promise.resolve({ externalId: param }) }) },
  { name: "get", method: "GET", call: (req) => getRewards(req) },
];

/** Replaces, removes or adds one field somewhere in a valid body. */
function mutate(body: unknown, path: number[], value: unknown, mode: number): unknown {
  if (body === null || typeof body !== "object") return value;
  const copy: Record<string, unknown> = Array.isArray(body) ? ([...body] as unknown as Record<string, unknown>) : { ...(body as Record<string, unknown>) };
  const keys = Object.keys(copy);
  if (keys.length === 0) return value;
  const k = keys[path[0] % keys.length];
  if (path.length > 1 && copy[k] !== null && typeof copy[k] === "object") {
    copy[k] = mutate(copy[k], path.slice(1), value, mode);
  } else if (mode === 0) {
    copy[k] = value;
  } else if (mode === 1) {
    delete copy[k];
  } else {
    copy[`x_${path[0]}`] = value; // unknown field: the schemas are strict
  }
  return copy;
}

const caseArb = fc.record({
  endpoint: fc.integer({ min: 0, max: endpoints.length - 1 }),
  strategy: fc.integer({ min: 0, max: 9 }),
  path: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
  mode: fc.integer({ min: 0, max: 2 }),
  value: hostile,
  raw: fc.string({ maxLength: 200 }),
  auth: fc.integer({ min: 0, max: 19 }),
  idem: fc.oneof(fc.constant(undefined), fc.constant(""), fc.string({ minLength: 1, maxLength: 40 }), fc.constant("k".repeat(300))),
  param: fc.oneof(fc.constant("fuzz-nobody"), fc.string({ maxLength: 120 }), fc.constant("../../admin"), fc.constant("%00"), fc.constant("a".repeat(500))),
});

test(`${TOTAL} hostile requests across every endpoint: no 5xx, JSON errors, ledger unchanged`, async () => {
  const before = await ledgerChecksum();
  const cases = fc.sample(caseArb, { numRuns: TOTAL, seed: Number(process.env.FUZZ_SEED ?? 20261123) });
  const statuses = new Map<number, number>();
  const failures: string[] = [];
  let index = 0;
  async function worker() {
    while (index < cases.length) {
      const c = cases[index++];
      const endpoint = endpoints[c.endpoint];
      const valid = endpoint.name in validBodies() ? validBodies()[endpoint.name as keyof ReturnType<typeof validBodies>] : {};
      let body: string;
      if (c.strategy <= 4) body = JSON.stringify(mutate(valid, c.path, c.value, c.mode)) ?? "null";
      else if (c.strategy <= 6) body = JSON.stringify(c.value) ?? "null";
      else if (c.strategy === 7) body = c.raw;
      else body = JSON.stringify(valid); // valid-looking, aimed at nothing that exists (or broken auth below)
      const headers: Record<string, string> = {};
      if (c.auth === 0) headers.authorization = `Bearer ${revokedKey}`;
      else if (c.auth === 1) headers.authorization = "Bearer hearth_wrong_key_000000";
      else if (c.auth === 2) headers.authorization = `Basic ${Buffer.from("a:b").toString("base64")}`;
      else if (c.auth !== 3) headers.authorization = `Bearer ${key}`;
      if (c.idem !== undefined) headers["idempotency-key"] = c.idem;
      else if (c.strategy !== 9) headers["idempotency-key"] = uniqueId("fz");
      if (c.strategy === 9 && c.mode === 0) headers["content-type"] = "text/plain";
      const param = c.strategy === 8 ? "fuzz-nobody" : c.param;
      let response: Response;
      try {
        const req = new Request("http://localhost/api/v1/fuzz", {
          method: endpoint.method,
          headers: { "content-type": "application/json", ...headers },
          body: endpoint.method === "GET" ? undefined : body,
        });
        response = await endpoint.call(req, param);
      } catch (error) {
        failures.push(`threw ${String(error)} for ${endpoint.name} ${body.slice(0, 200)}`);
        continue;
      }
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const text = await response.text();
      if (response.status >= 500) failures.push(`${response.status} for ${endpoint.name} ${param} ${body.slice(0, 200)}: ${text.slice(0, 200)}`);
      if (response.status >= 400) {
        try {
          const json = JSON.parse(text);
          if (typeof json?.error?.code !== "string" || typeof json?.error?.message !== "string") failures.push(`bad error body ${text.slice(0, 200)}`);
        } catch {
          failures.push(`non-JSON error ${response.status}: ${text.slice(0, 200)}`);
        }
      } else if (endpoint.method === "POST") {
        failures.push(`unexpected success ${response.status} for ${endpoint.name} ${param} ${body.slice(0, 300)}`);
      }
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker));
  console.log(`fuzz: ${cases.length} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  expect(failures.slice(0, 10)).toEqual([]);
  expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(TOTAL);
  expect(await ledgerChecksum()).toBe(before);
}, 600_000);
