import { afterAll, describe, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { checkLedger } from "@/lib/db/check-ledger";
import { getMemberPoints } from "@/lib/db/member-points";
import { adjustPoints } from "@/lib/services/adjust-points";
import { enrollCustomer } from "@/lib/services/enroll-customer";
import { redeemReward } from "@/lib/services/redeem-reward";
import { POST as postUse } from "@/app/api/v1/redemptions/[code]/use/route";
import { POST as postCancel } from "@/app/api/v1/redemptions/[code]/cancel/route";
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
