import { afterAll, describe, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { checkLedger } from "@/lib/db/check-ledger";
import { getMemberPoints } from "@/lib/db/member-points";
import { adjustPoints } from "@/lib/services/adjust-points";
import { enrollCustomer } from "@/lib/services/enroll-customer";
import { redeemReward } from "@/lib/services/redeem-reward";
import { POST as postUse } from "@/app/api/v1/redemptions/[code]/use/route";
import { POST as postCancel } from "@/app/api/v1/redemptions/[code]/cancel/route";
import { POST as postRedeem } from "@/app/api/v1/members/[externalId]/redemptions/route";
import { createCustomer, createProgram, createReward, uniqueId } from "@/test/fixtures";
import { createApiKey, ledgerChecksum } from "@/test/api-helpers";

// Reward codes after redemption: the shop marks them used; an unused one can be cancelled and
// its points come back to the very lots that paid, exactly once, even under concurrency.

afterAll(async () => {
  await prisma.$disconnect();
});

async function setup(stock: number | null = 5) {
  const ctx = await createProgram({ pendingDays: 0 });
  const { key } = await createApiKey(ctx.program.id);
  const actor = await prisma.user.create({ data: { email: `${uniqueId("a")}@example.test`, name: "A", role: "ADMIN", passwordHash: "x" } });
  const customer = await createCustomer(ctx.program.id);
  await enrollCustomer({ program: ctx.program, customerId: customer.id });
  for (const points of [60, 60]) {
    await adjustPoints({ program: ctx.program, actorUserId: actor.id, input: { customerId: customer.id, points, reason: "seed", requestId: uniqueId("r") } });
  }
  const reward = await createReward(ctx.program.id, { costPoints: 100, stock });
  const redemption = await redeemReward({ programId: ctx.program.id, customerId: customer.id, rewardId: reward.id, idempotencyKey: uniqueId("k"), source: "api" });
  return { ...ctx, key, customer, reward, redemption };
}

const call = (handler: typeof postUse, key: string, code: string) =>
  handler(new Request(`http://localhost/api/v1/redemptions/${code}/x`, { method: "POST", headers: { authorization: `Bearer ${key}`, "idempotency-key": uniqueId("i") } }), { params: Promise.resolve({ code }) });

describe("reward codes", () => {
  test("the shop marks a code used; again answers the same; a used code can't be cancelled", async () => {
    const { key, redemption } = await setup();
    const first = await call(postUse, key, redemption.code);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ status: "USED" });
    expect((await call(postUse, key, redemption.code)).status).toBe(200);
    const before = await ledgerChecksum();
    const cancel = await call(postCancel, key, redemption.code);
    expect(cancel.status).toBe(409);
    expect(await ledgerChecksum()).toBe(before);
  });

  test("10 concurrent cancels refund once, to the lots that paid, and return the stock", async () => {
    const { key, customer, reward, redemption } = await setup(5);
    const lotsBefore = await prisma.pointLot.findMany({ where: { account: { customerId: customer.id } }, orderBy: { id: "asc" }, select: { remaining: true } });
    expect(lotsBefore.map((lot) => lot.remaining)).toEqual([0, 20]);
    const responses = await Promise.all(Array.from({ length: 10 }, () => call(postCancel, key, redemption.code)));
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(200));
    const bodies = await Promise.all(responses.map((response) => response.json()));
    expect(new Set(bodies.map((body) => JSON.stringify(body))).size).toBe(1);
    expect(bodies[0]).toMatchObject({ status: "CANCELLED", pointsRefunded: 100, balance: 120 });
    const lotsAfter = await prisma.pointLot.findMany({ where: { account: { customerId: customer.id } }, orderBy: { id: "asc" }, select: { remaining: true } });
    expect(lotsAfter.map((lot) => lot.remaining)).toEqual([60, 60]);
    expect(await prisma.ledgerTransaction.count({ where: { customerId: customer.id, reason: "reward_cancelled" } })).toBe(1);
    expect((await prisma.reward.findUniqueOrThrow({ where: { id: reward.id } })).stock).toBe(5);
    expect((await getMemberPoints(customer.id)).available).toBe(120);
    expect(await checkLedger(prisma, [customer.id])).toMatchObject({ unbalancedTransactions: 0, mismatchedAccounts: 0 });
    // a cancelled code can't be used
    expect((await call(postUse, key, redemption.code)).status).toBe(409);
  });

  test("a cancel racing a use: exactly one wins", async () => {
    const { key, customer, redemption } = await setup(null);
    const [use, cancel] = await Promise.all([call(postUse, key, redemption.code), call(postCancel, key, redemption.code)]);
    expect([use.status, cancel.status].sort()).toEqual([200, 409]);
    const row = await prisma.redemption.findUniqueOrThrow({ where: { id: redemption.redemptionId } });
    const refunded = await prisma.ledgerTransaction.count({ where: { customerId: customer.id, reason: "reward_cancelled" } });
    expect(row.status === "CANCELLED" ? refunded : 1 - refunded).toBe(1);
  });

  test("another shop's key, an unknown code or a malformed code is a 404 and changes nothing", async () => {
    const { redemption } = await setup();
    const other = await createApiKey((await createProgram()).program.id);
    const before = await ledgerChecksum();
    for (const [key, code] of [[other.key, redemption.code], [other.key, "HRTH-XXXX-XXXX-XXXX"], [other.key, "../../etc"]]) {
      expect((await call(postCancel, key, code)).status).toBe(404);
      expect((await call(postUse, key, code)).status).toBe(404);
    }
    expect(await ledgerChecksum()).toBe(before);
  });
});

describe("expired codes", () => {
  test("an expired code can't be cancelled: 409 CODE_EXPIRED, no refund, the ledger unchanged", async () => {
    const { key, customer, redemption } = await setup();
    await prisma.redemption.update({ where: { id: redemption.redemptionId }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    const before = await ledgerChecksum();
    const response = await call(postCancel, key, redemption.code);
    expect(response.status).toBe(409);
    expect((await response.json()).error.code).toBe("CODE_EXPIRED");
    expect(await ledgerChecksum()).toBe(before);
    expect((await getMemberPoints(customer.id)).balance).toBe(20);
    expect((await prisma.redemption.findUniqueOrThrow({ where: { id: redemption.redemptionId } })).status).toBe("ACTIVE");
  });
});

describe("idempotency on every POST, as Stripe defines it", () => {
  const withKey = (handler: typeof postUse, key: string, code: string, idempotencyKey: string) =>
    handler(new Request(`http://localhost/api/v1/redemptions/${code}/x`, { method: "POST", headers: { authorization: `Bearer ${key}`, "idempotency-key": idempotencyKey } }), { params: Promise.resolve({ code }) });

  test("/use and /cancel store their answer: the same key replays it byte for byte; the key on another code is a 409", async () => {
    const { key, redemption } = await setup();
    const first = await withKey(postUse, key, redemption.code, "use-1");
    const firstText = await first.text();
    const again = await withKey(postUse, key, redemption.code, "use-1");
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.text()).toBe(firstText);
    const other = await setup();
    expect((await withKey(postUse, other.key, other.redemption.code, "cancel-1")).status).toBe(200);
    const reused = await withKey(postCancel, other.key, other.redemption.code, "cancel-1");
    expect(reused.status).toBe(409);
  });

  test("a 4xx is stored under its key too: the retry answers the same error even after the cause went away", async () => {
    const { key, redemption, customer, program } = await setup();
    // cancelling a used code is a 409; stored
    await withKey(postUse, key, redemption.code, uniqueId("u"));
    const cancelKey = uniqueId("c");
    const refused = await withKey(postCancel, key, redemption.code, cancelKey);
    expect(refused.status).toBe(409);
    const replay = await withKey(postCancel, key, redemption.code, cancelKey);
    expect(replay.status).toBe(409);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    // a redemption refused for lack of points stays refused under its key (nothing was deducted)
    const rich = await createReward(program.id, { costPoints: 1_000 });
    const redeemKey = uniqueId("r");
    const redeem = () => postRedeem(new Request(`http://localhost/api/v1/members/${customer.externalId}/redemptions`, {
      method: "POST", headers: { authorization: `Bearer ${key}`, "idempotency-key": redeemKey, "content-type": "application/json" }, body: JSON.stringify({ rewardId: rich.id }),
    }), { params: Promise.resolve({ externalId: customer.externalId }) });
    const poor = await redeem();
    expect(poor.status).toBe(422);
    const actor = await prisma.user.create({ data: { email: `${uniqueId("a")}@example.test`, name: "A", role: "ADMIN", passwordHash: "x" } });
    await adjustPoints({ program, actorUserId: actor.id, input: { customerId: customer.id, points: 2_000, reason: "seed", requestId: uniqueId("r") } });
    const retried = await redeem();
    expect(retried.status).toBe(422);
    expect(retried.headers.get("idempotent-replayed")).toBe("true");
    expect((await getMemberPoints(customer.id)).balance).toBe(2_020);
    expect(await prisma.redemption.count({ where: { customerId: customer.id, rewardId: rich.id } })).toBe(0);
  });
});
