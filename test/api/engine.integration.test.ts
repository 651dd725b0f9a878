import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { checkLedger } from "@/lib/db/check-ledger";
import { getMemberPoints } from "@/lib/db/member-points";
import { enrollCustomer } from "@/lib/services/enroll-customer";
import { saveActionRule, saveEarnRule, savePromotion } from "@/lib/services/save-earn-rule";
import { POST as postOrder } from "@/app/api/v1/orders/route";
import { POST as postReturn } from "@/app/api/v1/orders/[externalId]/returns/route";
import { POST as postCancel } from "@/app/api/v1/orders/[externalId]/cancel/route";
import { POST as postEvent } from "@/app/api/v1/events/route";
import { POST as postMember } from "@/app/api/v1/members/route";
import { GET as getRewards } from "@/app/api/v1/rewards/route";
import { GET as getBalance } from "@/app/api/v1/members/[externalId]/balance/route";
import { createCustomer, createProgram, createReward, uniqueId } from "@/test/fixtures";
import { createApiKey, jsonRequest, ledgerChecksum } from "@/test/api-helpers";

// The points engine through the REST API on real PostgreSQL: spend options, promotions and
// caps under concurrency, action events and their limits, referrals, returns, cancellation.

const params = (externalId: string) => ({ params: Promise.resolve({ externalId }) });
const idem = () => uniqueId("idem");

async function setupProgram(overrides: Parameters<typeof createProgram>[0] = {}) {
  const setup = await createProgram(overrides);
  const { key } = await createApiKey(setup.program.id);
  const actor = await prisma.user.create({ data: { email: `${uniqueId("staff")}@example.test`, name: "Staff", role: "MARKETER", passwordHash: "x" } });
  return { ...setup, key, actorId: actor.id };
}

async function newMember(programId: number, program: Awaited<ReturnType<typeof createProgram>>["program"]) {
  const customer = await createCustomer(programId);
  await enrollCustomer({ program, customerId: customer.id });
  return customer;
}

function order(memberExternalId: string, lines: { sku: string; category?: string; quantity: number; unitPrice: number }[], extra: Record<string, unknown> = {}) {
  const total = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  return { externalId: uniqueId("ord"), member: { externalId: memberExternalId }, currency: "USD", total, placedAt: new Date().toISOString(), lines, ...extra };
}

async function post(handler: (request: Request, ...rest: never[]) => Promise<Response>, url: string, key: string, body: unknown, ...rest: unknown[]) {
  const response = await (handler as (request: Request, ...args: unknown[]) => Promise<Response>)(jsonRequest(url, { key, body, idempotencyKey: idem() }), ...rest);
  return { status: response.status, body: await response.json() };
}

afterAll(async () => {
  await prisma.$disconnect();
});

describe("spend options", () => {
  let ctx: Awaited<ReturnType<typeof setupProgram>>;
  beforeAll(async () => {
    ctx = await setupProgram();
    await saveEarnRule({
      programId: ctx.program.id,
      actorUserId: ctx.actorId,
      input: {
        pointsPerUnit: 1, tierMultipliers: {}, rounding: "nearest", minOrder: 10, excludedCategories: ["gift-cards"], excludedSkus: ["DEPOSIT"],
        categoryMultipliers: { beauty: 2 }, capPerMemberDay: null, capPerMemberMonth: null, startsAt: null, endsAt: null, isActive: true,
      },
    });
  });

  test.each([
    { name: "shipping never earns", lines: [{ sku: "MUG", category: "kitchen", quantity: 1, unitPrice: 20 }], extra: { shipping: 5, total: 25 }, points: 20 },
    { name: "gift cards and deposits are excluded", lines: [{ sku: "GC", category: "gift-cards", quantity: 1, unitPrice: 50 }, { sku: "DEPOSIT", quantity: 1, unitPrice: 5 }, { sku: "MUG", category: "kitchen", quantity: 1, unitPrice: 20 }], extra: {}, points: 20 },
    { name: "beauty earns double", lines: [{ sku: "LIP", category: "beauty", quantity: 1, unitPrice: 12.25 }], extra: {}, points: 25 },
    { name: "below the minimum order earns nothing", lines: [{ sku: "PEN", category: "office", quantity: 1, unitPrice: 9.99 }], extra: {}, points: 0 },
    { name: "rounds to the nearest point", lines: [{ sku: "MUG", category: "kitchen", quantity: 1, unitPrice: 10.5 }], extra: {}, points: 11 },
  ])("$name", async ({ lines, extra, points }) => {
    const member = await newMember(ctx.program.id, ctx.program);
    const result = await post(postOrder, "/api/v1/orders", ctx.key, order(member.externalId, lines, extra));
    expect(result.status).toBe(201);
    expect(result.body.pointsEarned).toBe(points);
    const earn = await prisma.ledgerTransaction.findFirst({ where: { customerId: member.id, kind: "EARN" } });
    if (points > 0) expect(earn).toMatchObject({ ruleVersion: 2, points });
  });

  test("a rule change applies to the next order and never rewrites history", async () => {
    const member = await newMember(ctx.program.id, ctx.program);
    await post(postOrder, "/api/v1/orders", ctx.key, order(member.externalId, [{ sku: "MUG", category: "kitchen", quantity: 1, unitPrice: 100 }]));
    const rule = await prisma.earnRule.findFirstOrThrow({ where: { programId: ctx.program.id, kind: "SPEND" } });
    await saveEarnRule({
      programId: ctx.program.id, actorUserId: ctx.actorId,
      input: { pointsPerUnit: 3, tierMultipliers: {}, rounding: "down", minOrder: 0, excludedCategories: [], excludedSkus: [], categoryMultipliers: {}, capPerMemberDay: null, capPerMemberMonth: null, startsAt: null, endsAt: null, isActive: true },
    });
    await post(postOrder, "/api/v1/orders", ctx.key, order(member.externalId, [{ sku: "MUG", category: "kitchen", quantity: 1, unitPrice: 100 }]));
    const earns = await prisma.ledgerTransaction.findMany({ where: { customerId: member.id, kind: "EARN" }, orderBy: { id: "asc" }, select: { ruleId: true, ruleVersion: true, points: true } });
    expect(earns).toEqual([{ ruleId: rule.id, ruleVersion: 2, points: 100 }, { ruleId: rule.id, ruleVersion: 3, points: 300 }]);
    const versions = await prisma.earnRuleVersion.findMany({ where: { ruleId: rule.id }, orderBy: { version: "asc" } });
    expect(versions.map((version) => [version.version, (version.snapshot as { pointsPerUnitHundredths: number }).pointsPerUnitHundredths])).toEqual([[2, 100], [3, 300]]);
    const audit = await prisma.auditLog.count({ where: { targetType: "earn_rule", targetId: String(rule.id), action: "earn_rule.updated" } });
    expect(audit).toBe(2);
  });
});

describe("promotions and caps under concurrency", () => {
  test("a promotion's extra points are their own ledger transaction; 20 concurrent orders never exceed its budget", async () => {
    const ctx = await setupProgram();
    const promo = await savePromotion({
      programId: ctx.program.id, actorUserId: ctx.actorId,
      input: { name: "Double apparel", multiplier: 2, categories: ["apparel"], tierIds: [], totalCapPoints: 250, startsAt: new Date(Date.now() - 3_600_000), endsAt: new Date(Date.now() + 3_600_000), isActive: true },
    });
    const members = await Promise.all(Array.from({ length: 20 }, () => newMember(ctx.program.id, ctx.program)));
    const results = await Promise.all(
      members.map((member) => post(postOrder, "/api/v1/orders", ctx.key, order(member.externalId, [{ sku: "TEE", category: "apparel", quantity: 1, unitPrice: 40 }, { sku: "MUG", category: "kitchen", quantity: 1, unitPrice: 10 }]))),
    );
    expect(results.every((result) => result.status === 201)).toBe(true);
    const bonus = await prisma.ledgerTransaction.aggregate({ where: { ruleId: promo.id }, _sum: { points: true }, _count: true });
    expect(bonus._sum.points).toBe(250);
    const sample = await prisma.ledgerTransaction.findFirstOrThrow({ where: { ruleId: promo.id } });
    expect(sample).toMatchObject({ kind: "BONUS", reason: "promotion", ruleVersion: 1 });
    // every member got the 50 base points; 250 promo points spread over some of them
    expect(results.reduce((sum, result) => sum + result.body.pointsEarned, 0)).toBe(20 * 50 + 250);
    expect(await checkLedger(prisma, members.map((member) => member.id))).toMatchObject({ unbalancedTransactions: 0, mismatchedAccounts: 0 });
  });

  test("a member's daily cap holds when 10 orders arrive at once", async () => {
    const ctx = await setupProgram();
    await saveEarnRule({
      programId: ctx.program.id, actorUserId: ctx.actorId,
      input: { pointsPerUnit: 1, tierMultipliers: {}, rounding: "down", minOrder: 0, excludedCategories: [], excludedSkus: [], categoryMultipliers: {}, capPerMemberDay: 150, capPerMemberMonth: 1_000, startsAt: null, endsAt: null, isActive: true },
    });
    const member = await newMember(ctx.program.id, ctx.program);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => post(postOrder, "/api/v1/orders", ctx.key, order(member.externalId, [{ sku: "BAG", quantity: 1, unitPrice: 40 }]))),
    );
    expect(results.map((result) => result.status)).toEqual(Array(10).fill(201));
    expect(results.reduce((sum, result) => sum + result.body.pointsEarned, 0)).toBe(150);
    expect((await getMemberPoints(member.id)).balance).toBe(150);
  });
});

describe("earning caps count exactly the period the order falls in", () => {
  test("seven backdated orders on seven days of one month, posted newest first, each earn in full under a daily cap", async () => {
    const ctx = await setupProgram({ pendingDays: 0 });
    await saveEarnRule({
      programId: ctx.program.id, actorUserId: ctx.actorId,
      input: { pointsPerUnit: 1, tierMultipliers: {}, rounding: "down", minOrder: 0, excludedCategories: [], excludedSkus: [], categoryMultipliers: {}, capPerMemberDay: 150, capPerMemberMonth: 2_000, startsAt: null, endsAt: null, isActive: true },
    });
    const customer = await createCustomer(ctx.program.id);
    const now = new Date();
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    await enrollCustomer({ program: ctx.program, customerId: customer.id, at: new Date(lastMonth.getTime() - 86_400_000) });
    const days = [8, 7, 6, 5, 4, 3, 2]; // newest first
    const earned = [];
    for (const day of days) {
      const placedAt = new Date(Date.UTC(lastMonth.getUTCFullYear(), lastMonth.getUTCMonth(), day, 12));
      const result = await post(postOrder, "/api/v1/orders", ctx.key, order(customer.externalId, [{ sku: "BAG", quantity: 1, unitPrice: 100 }], { placedAt: placedAt.toISOString() }));
      expect(result.status).toBe(201);
      earned.push(result.body.pointsEarned);
    }
    expect(earned).toEqual([100, 100, 100, 100, 100, 100, 100]);
    // a second order on one of those days is held to that day's cap only
    const sameDay = await post(postOrder, "/api/v1/orders", ctx.key, order(customer.externalId, [{ sku: "BAG", quantity: 1, unitPrice: 100 }], { placedAt: new Date(Date.UTC(lastMonth.getUTCFullYear(), lastMonth.getUTCMonth(), 5, 18)).toISOString() }));
    expect(sameDay.body.pointsEarned).toBe(50);
    expect((await getMemberPoints(customer.id)).balance).toBe(750);
  });
});

describe("POST /api/v1/events", () => {
  let ctx: Awaited<ReturnType<typeof setupProgram>>;
  beforeAll(async () => {
    ctx = await setupProgram();
    await saveActionRule({ programId: ctx.program.id, actorUserId: ctx.actorId, input: { kind: "REVIEW", points: 25, referrerPoints: 0, limit: 2, period: "month", isActive: true } });
    await saveActionRule({ programId: ctx.program.id, actorUserId: ctx.actorId, input: { kind: "SOCIAL_FOLLOW", points: 10, referrerPoints: 0, limit: 1, period: "lifetime", isActive: false } });
  });

  test("a review earns once per review id, within the monthly limit, even when sent concurrently", async () => {
    const member = await newMember(ctx.program.id, ctx.program);
    const reviews = Array.from({ length: 8 }, (_, index) => `review-${index}`);
    const results = await Promise.all(
      [...reviews, reviews[0], reviews[0]].map((externalId) => post(postEvent, "/api/v1/events", ctx.key, { member: { externalId: member.externalId }, type: "review", externalId })),
    );
    expect(results.every((result) => result.status === 201)).toBe(true);
    const awarded = await prisma.ledgerTransaction.findMany({ where: { customerId: member.id, reason: "review" } });
    expect(awarded).toHaveLength(2);
    expect(awarded.every((row) => row.points === 25 && row.ruleVersion === 1)).toBe(true);
    expect(results.filter((result) => result.body.awarded === false).every((result) => result.body.reason === "limit_reached")).toBe(true);
    expect((await getMemberPoints(member.id)).available).toBe(50);
  });

  test.each([
    { name: "paused rule", body: (m: string) => ({ member: { externalId: m }, type: "social_follow", externalId: "f1" }), status: 201, awarded: false },
    { name: "unknown event type", body: (m: string) => ({ member: { externalId: m }, type: "birthday", externalId: "x" }), status: 422 },
    { name: "unknown member", body: () => ({ member: { externalId: "nobody" }, type: "review", externalId: "x" }), status: 404 },
    { name: "extra field", body: (m: string) => ({ member: { externalId: m }, type: "review", externalId: "x", points: 1000 }), status: 422 },
    { name: "future date", body: (m: string) => ({ member: { externalId: m }, type: "review", externalId: "x", occurredAt: "2999-01-01T00:00:00Z" }), status: 422 },
  ])("$name", async ({ body, status, awarded }) => {
    const member = await newMember(ctx.program.id, ctx.program);
    const before = await ledgerChecksum();
    const result = await post(postEvent, "/api/v1/events", ctx.key, body(member.externalId));
    expect(result.status).toBe(status);
    if (status === 201) expect(result.body.awarded).toBe(awarded);
    else expect(result.body.error.code).toBeTruthy();
    expect(await ledgerChecksum()).toBe(before);
  });

  test("a shop customer who hasn't joined can't earn action points", async () => {
    const customer = await createCustomer(ctx.program.id);
    const result = await post(postEvent, "/api/v1/events", ctx.key, { member: { externalId: customer.externalId }, type: "review", externalId: "r" });
    expect(result).toMatchObject({ status: 422, body: { error: { code: "NOT_ENROLLED" } } });
  });
});

describe("referrals", () => {
  test("both earn on the friend's first paid order, once", async () => {
    const ctx = await setupProgram({ welcomeBonus: 10 });
    await saveActionRule({ programId: ctx.program.id, actorUserId: ctx.actorId, input: { kind: "REFERRAL", points: 100, referrerPoints: 300, limit: 5, period: "year", isActive: true } });
    const referrer = await newMember(ctx.program.id, ctx.program);
    const friendId = uniqueId("friend");
    const created = await post(postMember, "/api/v1/members", ctx.key, { externalId: friendId, email: `${friendId}@example.test`, referrerExternalId: referrer.externalId });
    expect(created.status).toBe(201);
    const friend = await prisma.customer.findFirstOrThrow({ where: { externalId: friendId } });
    expect(friend.referredById).toBe(referrer.id);
    await post(postOrder, "/api/v1/orders", ctx.key, order(friendId, [{ sku: "MUG", quantity: 1, unitPrice: 20 }]));
    await post(postOrder, "/api/v1/orders", ctx.key, order(friendId, [{ sku: "MUG", quantity: 1, unitPrice: 20 }]));
    expect((await getMemberPoints(friend.id)).balance).toBe(10 + 100 + 20 + 20);
    expect((await getMemberPoints(referrer.id)).balance).toBe(10 + 300);
    const rows = await prisma.ledgerTransaction.findMany({ where: { source: "referral", customerId: { in: [friend.id, referrer.id] } } });
    expect(rows.map((row) => row.reason).sort()).toEqual(["referral", "referral_friend"]);
  });

  test("an unknown or non-member referrer is refused and nothing is created", async () => {
    const ctx = await setupProgram();
    const outsider = await createCustomer(ctx.program.id);
    for (const referrerExternalId of ["nobody", outsider.externalId]) {
      const externalId = uniqueId("friend");
      const result = await post(postMember, "/api/v1/members", ctx.key, { externalId, email: `${externalId}@example.test`, referrerExternalId });
      expect(result).toMatchObject({ status: 422, body: { error: { code: "VALIDATION" } } });
      expect(await prisma.customer.count({ where: { externalId } })).toBe(0);
    }
  });
});

describe("returns and cancellation", () => {
  test("the same return posted 10 times concurrently (different Idempotency-Keys) reverses once", async () => {
    const ctx = await setupProgram();
    const member = await newMember(ctx.program.id, ctx.program);
    const body = order(member.externalId, [{ sku: "TEE", quantity: 2, unitPrice: 30 }, { sku: "MUG", quantity: 1, unitPrice: 40 }]);
    await post(postOrder, "/api/v1/orders", ctx.key, body);
    const url = `/api/v1/orders/${body.externalId}/returns`;
    const results = await Promise.all(
      Array.from({ length: 10 }, () => post(postReturn, url, ctx.key, { externalId: "ret-1", lines: [{ sku: "TEE", quantity: 1 }] }, params(body.externalId))),
    );
    expect(results.map((result) => result.status)).toEqual(Array(10).fill(201));
    expect(new Set(results.map((result) => JSON.stringify(result.body))).size).toBe(1);
    expect(results[0].body).toMatchObject({ pointsReversed: 30, debt: 0, amountReturned: 30 });
    expect((await getMemberPoints(member.id)).balance).toBe(70);
    expect(await prisma.orderReturn.count({ where: { externalId: "ret-1", order: { externalId: body.externalId } } })).toBe(1);
  });

  test("returning more than was bought or an unknown order is refused and changes nothing", async () => {
    const ctx = await setupProgram();
    const member = await newMember(ctx.program.id, ctx.program);
    const body = order(member.externalId, [{ sku: "TEE", quantity: 1, unitPrice: 30 }]);
    await post(postOrder, "/api/v1/orders", ctx.key, body);
    const before = await ledgerChecksum();
    const tooMany = await post(postReturn, "/x", ctx.key, { externalId: "r", lines: [{ sku: "TEE", quantity: 2 }] }, params(body.externalId));
    const unknown = await post(postReturn, "/x", ctx.key, { externalId: "r", lines: [{ sku: "TEE", quantity: 1 }] }, params("no-such-order"));
    const badBody = await post(postReturn, "/x", ctx.key, { externalId: "r", lines: [] }, params(body.externalId));
    expect([tooMany.status, unknown.status, badBody.status]).toEqual([422, 404, 422]);
    expect(await ledgerChecksum()).toBe(before);
  });

  test("cancelling a pending order removes its pending points; cancelling again changes nothing", async () => {
    const ctx = await setupProgram({ pendingDays: 14, welcomeBonus: 50 });
    const member = await newMember(ctx.program.id, ctx.program);
    const body = order(member.externalId, [{ sku: "TEE", quantity: 2, unitPrice: 30 }]);
    const placed = await post(postOrder, "/api/v1/orders", ctx.key, body);
    expect(placed.body).toMatchObject({ pointsEarned: 60, pointsPending: 60 });
    expect(await getMemberPoints(member.id)).toMatchObject({ available: 50, pending: 60 });
    const first = await post(postCancel, "/x", ctx.key, {}, params(body.externalId));
    expect(first).toMatchObject({ status: 201, body: { pointsReversed: 60, debt: 0 } });
    expect(await getMemberPoints(member.id)).toMatchObject({ available: 50, pending: 0, debt: 0 });
    const again = await post(postCancel, "/x", ctx.key, {}, params(body.externalId));
    expect(again.body.pointsReversed).toBe(60);
    expect(await prisma.ledgerTransaction.count({ where: { customerId: member.id, reason: "cancellation" } })).toBe(1);
    expect((await prisma.order.findFirstOrThrow({ where: { externalId: body.externalId } })).cancelledAt).not.toBeNull();
  });
});

describe("a shop's return ids never collide with internal ones", () => {
  test("a return with id 'cancel' does not stop a later cancellation", async () => {
    const ctx = await setupProgram({ pendingDays: 0 });
    const member = await newMember(ctx.program.id, ctx.program);
    const body = order(member.externalId, [{ sku: "TEE", quantity: 2, unitPrice: 30 }]);
    await post(postOrder, "/api/v1/orders", ctx.key, body);
    const returned = await post(postReturn, "/x", ctx.key, { externalId: "cancel", lines: [{ sku: "TEE", quantity: 1 }] }, params(body.externalId));
    expect(returned).toMatchObject({ status: 201, body: { pointsReversed: 30 } });
    const cancelled = await post(postCancel, "/x", ctx.key, {}, params(body.externalId));
    expect(cancelled).toMatchObject({ status: 201, body: { pointsReversed: 30, debt: 0 } });
    expect((await prisma.order.findFirstOrThrow({ where: { externalId: body.externalId } })).cancelledAt).not.toBeNull();
    expect((await getMemberPoints(member.id)).balance).toBe(0);
    // the shop's own return keeps its id; the cancellation's can't be sent by a shop
    expect((await prisma.orderReturn.findMany({ where: { order: { externalId: body.externalId } }, orderBy: { id: "asc" } })).map((row) => row.externalId)).toEqual(["cancel", "#cancel"]);
    const forged = await post(postReturn, "/x", ctx.key, { externalId: "#cancel", lines: [{ sku: "TEE", quantity: 1 }] }, params(body.externalId));
    expect(forged.status).toBe(422);
  });

  test("cancelling an order already returned in full marks it cancelled", async () => {
    const ctx = await setupProgram({ pendingDays: 0 });
    const member = await newMember(ctx.program.id, ctx.program);
    const body = order(member.externalId, [{ sku: "TEE", quantity: 1, unitPrice: 30 }]);
    await post(postOrder, "/api/v1/orders", ctx.key, body);
    await post(postReturn, "/x", ctx.key, { externalId: "r-all", lines: [{ sku: "TEE", quantity: 1 }] }, params(body.externalId));
    const cancelled = await post(postCancel, "/x", ctx.key, {}, params(body.externalId));
    expect(cancelled).toMatchObject({ status: 201, body: { pointsReversed: 0, debt: 0 } });
    expect((await prisma.order.findFirstOrThrow({ where: { externalId: body.externalId } })).cancelledAt).not.toBeNull();
  });
});

describe("catalog, balance and rate limits", () => {
  test("GET /rewards lists active rewards; GET /balance shows when points become available and expire", async () => {
    const ctx = await setupProgram({ pendingDays: 14, welcomeBonus: 100 });
    await createReward(ctx.program.id, { costPoints: 100 });
    await createReward(ctx.program.id, { costPoints: 200, isActive: false });
    const rewards = await (await getRewards(jsonRequest("/api/v1/rewards", { key: ctx.key, method: "GET" }))).json();
    expect(rewards.rewards).toHaveLength(1);
    const member = await newMember(ctx.program.id, ctx.program);
    await post(postOrder, "/api/v1/orders", ctx.key, order(member.externalId, [{ sku: "TEE", quantity: 1, unitPrice: 30 }]));
    const response = await getBalance(jsonRequest("/x", { key: ctx.key, method: "GET" }), params(member.externalId));
    const balance = await response.json();
    expect(balance).toMatchObject({ available: 100, pending: 30, balance: 130 });
    expect(balance.becomingAvailable).toHaveLength(1);
    expect(balance.becomingAvailable[0].points).toBe(30);
    expect(balance.expiring.reduce((sum: number, row: { points: number }) => sum + row.points, 0)).toBe(130);
  });

  test("a key over its per-minute limit gets 429 with Retry-After, and nothing changes", async () => {
    const setup = await createProgram();
    const { key } = await createApiKey(setup.program.id, { rateLimitPerMinute: 5 });
    const member = await newMember(setup.program.id, setup.program);
    const statuses: number[] = [];
    for (let index = 0; index < 5; index += 1) {
      statuses.push((await getRewards(jsonRequest("/api/v1/rewards", { key, method: "GET" }))).status);
    }
    const before = await ledgerChecksum();
    const limited = await postOrder(jsonRequest("/api/v1/orders", { key, body: order(member.externalId, [{ sku: "A", quantity: 1, unitPrice: 10 }]), idempotencyKey: idem() }));
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await limited.json()).error.code).toBe("RATE_LIMITED");
    expect(await ledgerChecksum()).toBe(before);
    // another key of the same shop is not affected
    const other = await createApiKey(setup.program.id, { rateLimitPerMinute: 5 });
    expect((await getRewards(jsonRequest("/api/v1/rewards", { key: other.key, method: "GET" }))).status).toBe(200);
  });
});

describe("expiry policy: after inactivity", () => {
  test("any earning pushes every unexpired lot's expiry out to N months from that activity", async () => {
    const ctx = await setupProgram({ expiryPolicy: "INACTIVITY", expiryMonths: 6, welcomeBonus: 40 });
    const member = await newMember(ctx.program.id, ctx.program);
    const later = new Date(Date.now() + 1000);
    const body = order(member.externalId, [{ sku: "A", quantity: 1, unitPrice: 10 }], { placedAt: later.toISOString() });
    await post(postOrder, "/api/v1/orders", ctx.key, body);
    const lots = await prisma.pointLot.findMany({ where: { account: { customerId: member.id } } });
    expect(lots).toHaveLength(2);
    expect(new Set(lots.map((lot) => lot.expiresAt?.toISOString())).size).toBe(1);
  });
});
