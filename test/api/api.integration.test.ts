import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { checkLedger } from "@/lib/db/check-ledger";
import { enrollCustomer } from "@/lib/services/enroll-customer";
import { recordOrder } from "@/lib/services/record-order";
import { POST as postOrder } from "@/app/api/v1/orders/route";
import { GET as getMember } from "@/app/api/v1/members/[externalId]/route";
import { POST as postRedemption } from "@/app/api/v1/members/[externalId]/redemptions/route";
import { POST as postMember } from "@/app/api/v1/members/route";
import { createCustomer, createProgram, createReward, uniqueId } from "@/test/fixtures";
import { createApiKey, jsonRequest, ledgerChecksum } from "@/test/api-helpers";

let setup: Awaited<ReturnType<typeof createProgram>>;
let apiKey: string;
let memberExternalId: string;
let memberId: number;

beforeAll(async () => {
  setup = await createProgram({ welcomeBonus: 100 });
  apiKey = (await createApiKey(setup.program.id)).key;
  const customer = await createCustomer(setup.program.id);
  await enrollCustomer({ program: setup.program, customerId: customer.id });
  memberExternalId = customer.externalId;
  memberId = customer.id;
});

afterAll(async () => {
  await prisma.$disconnect();
});

const params = (externalId: string) => ({ params: Promise.resolve({ externalId }) });

function validOrder(overrides: Record<string, unknown> = {}) {
  return {
    externalId: uniqueId("ord"),
    member: { externalId: memberExternalId },
    currency: "USD",
    total: 42.5,
    placedAt: new Date().toISOString(),
    lines: [{ sku: "MUG-1", category: "kitchen", quantity: 2, unitPrice: 21.25 }],
    ...overrides,
  };
}

describe("POST /api/v1/orders", () => {
  test("earns through the ledger and answers 201", async () => {
    const response = await postOrder(jsonRequest("/api/v1/orders", { key: apiKey, body: validOrder(), idempotencyKey: uniqueId("idem") }));
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ pointsEarned: 42, tier: "Bronze" });
  });

  test("the same order posted 20 times concurrently with one Idempotency-Key awards points once", async () => {
    const body = validOrder({ total: 100, lines: [{ sku: "BAG", quantity: 1, unitPrice: 100 }] });
    const idempotencyKey = uniqueId("idem");
    const before = await prisma.ledgerAccount.findUniqueOrThrow({ where: { customerId: memberId } });
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => postOrder(jsonRequest("/api/v1/orders", { key: apiKey, body, idempotencyKey }))),
    );
    const texts = await Promise.all(responses.map((response) => response.text()));
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(201));
    expect(new Set(texts).size).toBe(1);
    expect(JSON.parse(texts[0]).pointsEarned).toBe(100);
    expect(responses.filter((response) => response.headers.get("idempotent-replayed") === "true")).toHaveLength(19);
    const after = await prisma.ledgerAccount.findUniqueOrThrow({ where: { customerId: memberId } });
    expect(after.balance - before.balance).toBe(100);
    expect(await prisma.order.count({ where: { externalId: body.externalId } })).toBe(1);
    const check = await checkLedger(prisma, [memberId]);
    expect(check).toMatchObject({ unbalancedTransactions: 0, mismatchedAccounts: 0 });
  });

  test("the same Idempotency-Key with a different body is a 409", async () => {
    const idempotencyKey = uniqueId("idem");
    await postOrder(jsonRequest("/api/v1/orders", { key: apiKey, body: validOrder(), idempotencyKey }));
    const response = await postOrder(jsonRequest("/api/v1/orders", { key: apiKey, body: validOrder(), idempotencyKey }));
    expect(response.status).toBe(409);
    expect((await response.json()).error.code).toBe("IDEMPOTENCY_CONFLICT");
  });

  test("the same order id under a new key is a 409, not a second award", async () => {
    const body = validOrder();
    await postOrder(jsonRequest("/api/v1/orders", { key: apiKey, body, idempotencyKey: uniqueId("idem") }));
    const response = await postOrder(jsonRequest("/api/v1/orders", { key: apiKey, body, idempotencyKey: uniqueId("idem") }));
    expect(response.status).toBe(409);
    expect((await response.json()).error.code).toBe("ORDER_EXISTS");
  });

  const malformed: [string, unknown][] = [
    ["empty object", {}],
    ["array", []],
    ["null", null],
    ["total as string", validOrder({ total: "42.50" })],
    ["negative total", validOrder({ total: -1 })],
    ["huge total", validOrder({ total: 1e12 })],
    ["three decimals", validOrder({ total: 1.005 })],
    ["NaN-like", validOrder({ total: "NaN" })],
    ["negative quantity", validOrder({ lines: [{ sku: "A", quantity: -2, unitPrice: 5 }] })],
    ["fractional quantity", validOrder({ lines: [{ sku: "A", quantity: 1.5, unitPrice: 5 }] })],
    ["huge quantity", validOrder({ lines: [{ sku: "A", quantity: 1e9, unitPrice: 5 }] })],
    ["negative unit price", validOrder({ lines: [{ sku: "A", quantity: 1, unitPrice: -5 }] })],
    ["no lines", validOrder({ lines: [] })],
    ["missing member", { ...validOrder(), member: undefined }],
    ["member with both keys", validOrder({ member: { externalId: "x", email: "a@b.c" } })],
    ["bad email", validOrder({ member: { email: "not-an-email" } })],
    ["missing externalId", { ...validOrder(), externalId: undefined }],
    ["externalId with spaces", validOrder({ externalId: "a b" })],
    ["lowercase currency", validOrder({ currency: "usd" })],
    ["bad date", validOrder({ placedAt: "yesterday" })],
    ["future date", validOrder({ placedAt: new Date(Date.now() + 10 * 86_400_000).toISOString() })],
    ["unknown field", validOrder({ points: 1_000_000 })],
    ["unknown line field", validOrder({ lines: [{ sku: "A", quantity: 1, unitPrice: 5, points: 9 }] })],
  ];

  test.each(malformed)("%s -> 4xx JSON error, ledger unchanged", async (_label, body) => {
    const before = await ledgerChecksum();
    const response = await postOrder(jsonRequest("/api/v1/orders", { key: apiKey, body, idempotencyKey: uniqueId("idem") }));
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const json = await response.json();
    expect(typeof json.error.code).toBe("string");
    expect(typeof json.error.message).toBe("string");
    expect(await ledgerChecksum()).toBe(before);
  });

  test("unparseable JSON, a missing Idempotency-Key, a missing or wrong API key, an unknown member", async () => {
    const before = await ledgerChecksum();
    const cases = [
      { request: jsonRequest("/api/v1/orders", { key: apiKey, rawBody: "{not json", idempotencyKey: "x" }), status: 400 },
      { request: jsonRequest("/api/v1/orders", { key: apiKey, body: validOrder() }), status: 400 },
      { request: jsonRequest("/api/v1/orders", { body: validOrder(), idempotencyKey: "x" }), status: 401 },
      { request: jsonRequest("/api/v1/orders", { key: "hearth_wrong_key_000", body: validOrder(), idempotencyKey: "x" }), status: 401 },
      { request: jsonRequest("/api/v1/orders", { key: apiKey, body: validOrder({ member: { externalId: "nobody" } }), idempotencyKey: uniqueId("i") }), status: 404 },
    ];
    for (const { request, status } of cases) {
      const response = await postOrder(request);
      expect(response.status).toBe(status);
      expect((await response.json()).error.code).toBeTruthy();
    }
    expect(await ledgerChecksum()).toBe(before);
  });

  test("a revoked key is refused", async () => {
    const revoked = await createApiKey(setup.program.id);
    await prisma.apiKey.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
    const response = await postOrder(jsonRequest("/api/v1/orders", { key: revoked.key, body: validOrder(), idempotencyKey: "r" }));
    expect(response.status).toBe(401);
  });
});

describe("members and redemptions", () => {
  test("GET member returns points and tier; another program's key sees nothing", async () => {
    const response = await getMember(jsonRequest(`/api/v1/members/${memberExternalId}`, { key: apiKey, method: "GET" }), params(memberExternalId));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ externalId: memberExternalId, isMember: true });
    expect(body.points.available).toBeGreaterThan(0);

    const other = await createProgram();
    const otherKey = (await createApiKey(other.program.id)).key;
    const foreign = await getMember(jsonRequest(`/api/v1/members/${memberExternalId}`, { key: otherKey, method: "GET" }), params(memberExternalId));
    expect(foreign.status).toBe(404);
  });

  test("redemption: 201 with a code, retry returns the same code, insufficient points is a 422", async () => {
    const customer = await createCustomer(setup.program.id);
    await enrollCustomer({ program: setup.program, customerId: customer.id });
    await recordOrder({ program: setup.program, externalId: uniqueId("o"), member: { externalId: customer.externalId }, currency: "USD", totalCents: 20_000, placedAt: new Date(), lines: [{ sku: "A", quantity: 1, unitPriceCents: 20_000 }] });
    const reward = await createReward(setup.program.id, { costPoints: 250 });
    const url = `/api/v1/members/${customer.externalId}/redemptions`;
    const first = await postRedemption(jsonRequest(url, { key: apiKey, body: { rewardId: reward.id }, idempotencyKey: "redeem-1" }), params(customer.externalId));
    expect(first.status).toBe(201);
    const firstBody = await first.json();
    expect(firstBody).toMatchObject({ pointsSpent: 250, balance: 50 });
    expect(firstBody.code).toMatch(/^HRTH-/);
    const retry = await postRedemption(jsonRequest(url, { key: apiKey, body: { rewardId: reward.id }, idempotencyKey: "redeem-1" }), params(customer.externalId));
    expect((await retry.json()).code).toBe(firstBody.code);
    const broke = await postRedemption(jsonRequest(url, { key: apiKey, body: { rewardId: reward.id }, idempotencyKey: "redeem-2" }), params(customer.externalId));
    expect(broke.status).toBe(422);
    expect((await broke.json()).error.code).toBe("INSUFFICIENT_POINTS");
  });

  test.each([
    ["reward id as string", { rewardId: "1" }, 422],
    ["negative reward id", { rewardId: -1 }, 422],
    ["unknown reward", { rewardId: 999_999 }, 404],
    ["extra field", { rewardId: 1, points: 5 }, 422],
  ])("redemption with %s -> %i", async (_label, body, status) => {
    const before = await ledgerChecksum();
    const response = await postRedemption(
      jsonRequest(`/api/v1/members/${memberExternalId}/redemptions`, { key: apiKey, body, idempotencyKey: uniqueId("i") }),
      params(memberExternalId),
    );
    expect(response.status).toBe(status);
    expect(await ledgerChecksum()).toBe(before);
  });

  test("redemption for an unknown member is a 404", async () => {
    const response = await postRedemption(
      jsonRequest("/api/v1/members/ghost/redemptions", { key: apiKey, body: { rewardId: 1 }, idempotencyKey: "g" }),
      params("ghost"),
    );
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe("MEMBER_NOT_FOUND");
  });
});

describe("POST /api/v1/members", () => {
  test("creates and enrolls a member with the welcome bonus, once per Idempotency-Key", async () => {
    const externalId = uniqueId("shop-cust");
    const body = { externalId, email: `${externalId}@Example.test`, name: "Kim Ji-woo", birthday: "1990-04-12", locale: "ko" };
    const [first, retry] = await Promise.all([
      postMember(jsonRequest("/api/v1/members", { key: apiKey, body, idempotencyKey: `m-${externalId}` })),
      postMember(jsonRequest("/api/v1/members", { key: apiKey, body, idempotencyKey: `m-${externalId}` })),
    ]);
    expect([first.status, retry.status]).toEqual([201, 201]);
    const json = await first.json();
    expect(json).toMatchObject({ externalId, email: `${externalId}@example.test`, isMember: true, birthday: "1990-04-12", points: { available: 100 } });
    expect(await retry.json()).toEqual(json);
    const stored = await prisma.customer.findFirstOrThrow({ where: { externalId }, include: { account: true } });
    expect(stored.account?.balance).toBe(100);

    const again = await postMember(jsonRequest("/api/v1/members", { key: apiKey, body, idempotencyKey: uniqueId("m") }));
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe("EXTERNAL_ID_TAKEN");
  });

  test("a non-member shopper can be registered; their orders earn nothing", async () => {
    const externalId = uniqueId("guest");
    const created = await postMember(jsonRequest("/api/v1/members", { key: apiKey, body: { externalId, email: `${externalId}@example.test`, enroll: false }, idempotencyKey: uniqueId("m") }));
    expect(created.status).toBe(201);
    const order = await postOrder(jsonRequest("/api/v1/orders", { key: apiKey, body: validOrder({ member: { externalId } }), idempotencyKey: uniqueId("o") }));
    expect(order.status).toBe(201);
    expect((await order.json()).pointsEarned).toBe(0);
  });

  test.each([
    ["bad email", { externalId: "x1", email: "nope" }],
    ["future birthday", { externalId: "x2", email: "x2@example.test", birthday: "2999-01-01" }],
    ["impossible date", { externalId: "x3", email: "x3@example.test", birthday: "2001-02-30" }],
    ["unknown locale", { externalId: "x4", email: "x4@example.test", locale: "xx" }],
    ["extra field", { externalId: "x5", email: "x5@example.test", points: 1000 }],
    ["missing externalId", { email: "x6@example.test" }],
  ])("%s -> 422 and nothing created", async (_label, body) => {
    const before = await prisma.customer.count();
    const response = await postMember(jsonRequest("/api/v1/members", { key: apiKey, body, idempotencyKey: uniqueId("m") }));
    expect(response.status).toBe(422);
    expect(await prisma.customer.count()).toBe(before);
  });
});
