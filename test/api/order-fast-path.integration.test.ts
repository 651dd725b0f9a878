import { afterAll, describe, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { checkLedger } from "@/lib/db/check-ledger";
import { getCachedEarningConfig } from "@/lib/services/earning-config";
import { fastOrders, recordOrderFast, type RecordOrderInput } from "@/lib/services/record-order";
import { ensureSystemAccounts, hashRequest } from "@/lib/services/ledger-core";
import { POST as postOrder } from "@/app/api/v1/orders/route";
import { createMember, createProgram, uniqueId } from "@/test/fixtures";
import { createApiKey, jsonRequest } from "@/test/api-helpers";

// The common order is written in one statement guarded by what it was decided on, with the
// idempotency key and its answer (lib/services/record-order.ts recordOrderFast). These tests
// prove it answers exactly like the transactional path and never writes twice or on stale facts.

afterAll(async () => {
  await prisma.$disconnect();
});

async function shop(overrides: Parameters<typeof createProgram>[0] = {}) {
  const setup = await createProgram(overrides);
  const { key, id: apiKeyId } = await createApiKey(setup.program.id);
  await prisma.$transaction((tx) => ensureSystemAccounts(tx, setup.program.id));
  const member = await createMember(setup.program, new Date(Date.now() - 86_400_000));
  // a member has an account once they have earned (the fast path needs one)
  await post(key, body(member.externalId), uniqueId("warm"));
  return { ...setup, key, apiKeyId, member };
}

const body = (member: string, overrides: Record<string, unknown> = {}) => ({
  externalId: uniqueId("ord"),
  member: { externalId: member },
  currency: "USD",
  total: 42.5,
  placedAt: new Date().toISOString(),
  lines: [{ sku: "MUG-1", category: "kitchen", quantity: 2, unitPrice: 21.25 }],
  ...overrides,
});

async function post(key: string, payload: unknown, idempotencyKey: string) {
  const response = await postOrder(jsonRequest("/api/v1/orders", { key, body: payload, idempotencyKey }));
  return { status: response.status, text: await response.text(), replayed: response.headers.get("idempotent-replayed") === "true" };
}

async function ordersOf(externalId: string) {
  return prisma.order.count({ where: { externalId } });
}

describe("the common order on one statement", () => {
  test("is taken for a plain member order; its answer and its replay are byte-identical to the transactional path's", async () => {
    const s = await shop({ pendingDays: 14 });
    const before = fastOrders.written;
    const order = body(s.member.externalId);
    const first = await post(s.key, order, "k1");
    expect(first.status).toBe(201);
    expect(fastOrders.written).toBe(before + 1);
    expect(JSON.parse(first.text)).toEqual({ orderId: expect.any(Number), pointsEarned: 42, pointsPending: 42, tier: "Bronze" });
    expect(first.text).toBe(JSON.stringify(JSON.parse(first.text)));
    const again = await post(s.key, order, "k1");
    expect(again).toEqual({ status: 201, text: first.text, replayed: true });
    // the same order through the transactional path (a cap sends it there) answers the same shape
    await prisma.earnRule.update({ where: { id: s.rule.id }, data: { config: { capPerMemberDay: 1_000_000 } } });
    const viaTx = await post(s.key, body(s.member.externalId), "k2");
    expect(fastOrders.written).toBe(before + 1);
    expect(Object.keys(JSON.parse(viaTx.text))).toEqual(Object.keys(JSON.parse(first.text)));
    expect((await checkLedger(prisma, [s.member.id])).mismatchedAccounts).toBe(0);
  });

  test("debt is repaid first: the answer's pending points are what was credited", async () => {
    const s = await shop({ pendingDays: 14 });
    await prisma.ledgerAccount.updateMany({ where: { customerId: s.member.id }, data: { debt: 10 } });
    const answer = await post(s.key, body(s.member.externalId), uniqueId("k"));
    expect(JSON.parse(answer.text)).toMatchObject({ pointsEarned: 42, pointsPending: 32 });
    const account = await prisma.ledgerAccount.findFirstOrThrow({ where: { customerId: s.member.id } });
    expect(account.debt).toBe(0);
  });

  test("12 concurrent requests with one key: one order, one EARN, the same answer for all", async () => {
    const s = await shop();
    const order = body(s.member.externalId);
    const answers = await Promise.all(Array.from({ length: 12 }, () => post(s.key, order, "same")));
    expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([201]));
    expect(new Set(answers.map((answer) => answer.text)).size).toBe(1);
    expect(answers.filter((answer) => !answer.replayed)).toHaveLength(1);
    expect(await ordersOf(order.externalId)).toBe(1);
    expect(await prisma.ledgerTransaction.count({ where: { order: { externalId: order.externalId }, kind: "EARN" } })).toBe(1);
    expect((await checkLedger(prisma, [s.member.id])).mismatchedAccounts).toBe(0);
  });

  test("one key with different orders at once: one is written, the rest are 409 and write nothing", async () => {
    const s = await shop();
    const orders = Array.from({ length: 8 }, () => body(s.member.externalId));
    const answers = await Promise.all(orders.map((order) => post(s.key, order, "shared")));
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 409).every((answer) => JSON.parse(answer.text).error.code === "IDEMPOTENCY_CONFLICT")).toBe(true);
    expect(answers.filter((answer) => answer.status === 409)).toHaveLength(7);
    const written = await prisma.order.count({ where: { externalId: { in: orders.map((order) => order.externalId) } } });
    expect(written).toBe(1);
  });

  test("one order under different keys at once: recorded once, the others told it exists", async () => {
    const s = await shop();
    const order = body(s.member.externalId);
    const answers = await Promise.all(Array.from({ length: 8 }, (_, index) => post(s.key, order, `k-${index}`)));
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status !== 201).every((answer) => JSON.parse(answer.text).error.code === "ORDER_EXISTS")).toBe(true);
    expect(await ordersOf(order.externalId)).toBe(1);
    expect(await prisma.ledgerTransaction.count({ where: { order: { externalId: order.externalId } } })).toBe(1);
  });

  test("a promotion that pays nothing on the order (ended, other category, other tier) leaves the common path alone; one that pays takes the transaction", async () => {
    const s = await shop();
    const day = 86_400_000;
    await prisma.earnRule.create({
      data: { programId: s.program.id, kind: "MULTIPLIER", name: "ended", config: { multiplierBps: 20_000, categories: [], tierIds: [] }, startsAt: new Date(Date.now() - 10 * day), endsAt: new Date(Date.now() - 5 * day) },
    });
    // the first order after a change reads the new rules inside its transaction
    await post(s.key, body(s.member.externalId), uniqueId("k"));
    const before = fastOrders.written;
    const plain = await post(s.key, body(s.member.externalId), uniqueId("k"));
    expect(JSON.parse(plain.text).pointsEarned).toBe(42);
    expect(fastOrders.written).toBe(before + 1);
    // open, but for another category or another tier: it pays nothing on this order
    await prisma.earnRule.create({
      data: { programId: s.program.id, kind: "MULTIPLIER", name: "apparel", config: { multiplierBps: 20_000, categories: ["apparel"], tierIds: [] }, startsAt: new Date(Date.now() - day), endsAt: new Date(Date.now() + day) },
    });
    await prisma.earnRule.create({
      data: { programId: s.program.id, kind: "MULTIPLIER", name: "gold only", config: { multiplierBps: 20_000, categories: [], tierIds: [s.tiers.gold.id] }, startsAt: new Date(Date.now() - day), endsAt: new Date(Date.now() + day) },
    });
    await post(s.key, body(s.member.externalId), uniqueId("k"));
    const beforeOther = fastOrders.written;
    const other = await post(s.key, body(s.member.externalId), uniqueId("k"));
    expect(JSON.parse(other.text).pointsEarned).toBe(42);
    expect(fastOrders.written).toBe(beforeOther + 1);
    await prisma.earnRule.create({
      data: { programId: s.program.id, kind: "MULTIPLIER", name: "open", config: { multiplierBps: 20_000, categories: [], tierIds: [] }, startsAt: new Date(Date.now() - day), endsAt: new Date(Date.now() + day) },
    });
    await post(s.key, body(s.member.externalId), uniqueId("k"));
    const beforePromoted = fastOrders.written;
    const promoted = await post(s.key, body(s.member.externalId), uniqueId("k"));
    expect(fastOrders.written).toBe(beforePromoted);
    expect(JSON.parse(promoted.text).pointsEarned).toBe(84);
  });

  test("an open promotion for an audience the member is not in leaves the common path alone; one they are in pays through the transaction", async () => {
    const s = await shop();
    const day = 86_400_000;
    const audience = { tierIds: [], preferredCategories: [], joinedWithinDays: null, inactiveDays: null, birthdayMonth: false };
    await prisma.earnRule.create({
      data: {
        programId: s.program.id, kind: "MULTIPLIER", name: "loyal", config: { multiplierBps: 20_000, categories: [], tierIds: [], audience: { ...audience, minOrders: 1_000 } },
        startsAt: new Date(Date.now() - day), endsAt: new Date(Date.now() + day),
      },
    });
    await post(s.key, body(s.member.externalId), uniqueId("k"));
    const before = fastOrders.written;
    const outside = await post(s.key, body(s.member.externalId), uniqueId("k"));
    expect(JSON.parse(outside.text).pointsEarned).toBe(42);
    expect(fastOrders.written).toBe(before + 1);
    await prisma.earnRule.create({
      data: {
        programId: s.program.id, kind: "MULTIPLIER", name: "everyone who ordered", config: { multiplierBps: 20_000, categories: [], tierIds: [], audience: { ...audience, minOrders: 1 } },
        startsAt: new Date(Date.now() - day), endsAt: new Date(Date.now() + day),
      },
    });
    await post(s.key, body(s.member.externalId), uniqueId("k"));
    const beforeInside = fastOrders.written;
    const inside = await post(s.key, body(s.member.externalId), uniqueId("k"));
    expect(JSON.parse(inside.text).pointsEarned).toBe(84);
    expect(fastOrders.written).toBe(beforeInside);
  });

  test.each([
    ["the member is deactivated", (s: Awaited<ReturnType<typeof shop>>) => prisma.customer.update({ where: { id: s.member.id }, data: { deactivatedAt: new Date() } })],
    ["the member's tier changes", (s: Awaited<ReturnType<typeof shop>>) => prisma.customer.update({ where: { id: s.member.id }, data: { tierId: s.tiers.gold.id } })],
    ["the rules change", (s: Awaited<ReturnType<typeof shop>>) => prisma.earnRule.update({ where: { id: s.rule.id }, data: { pointsPerUnitHundredths: 500 } })],
    ["the program's settings change", (s: Awaited<ReturnType<typeof shop>>) => prisma.program.update({ where: { id: s.program.id }, data: { pendingDays: 30 } })],
    ["nothing changes (the control: this call writes)", async () => undefined],
  ])("when %s between the read and the write, nothing is written and the transaction decides", async (label, change) => {
    const s = await shop();
    const config = await getCachedEarningConfig(s.program.id);
    const order = body(s.member.externalId);
    const input: RecordOrderInput = {
      program: s.program, externalId: order.externalId, member: order.member, currency: "USD", totalCents: 4250, placedAt: new Date(),
      lines: [{ sku: "MUG-1", quantity: 2, unitPriceCents: 2125 }],
    };
    const result = await recordOrderFast({ input, config, apiKeyId: s.apiKeyId, key: uniqueId("k"), requestHash: hashRequest(order), beforeWrite: async () => void (await change(s)) });
    const control = label.startsWith("nothing");
    expect(result === null).toBe(!control);
    expect(await ordersOf(order.externalId)).toBe(control ? 1 : 0);
    expect(await prisma.apiIdempotency.count({ where: { apiKeyId: s.apiKeyId, key: { startsWith: "k-" } } })).toBe(control ? 1 : 0);
  });
});
