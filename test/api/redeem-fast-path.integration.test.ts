import { afterAll, describe, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { checkLedger } from "@/lib/db/check-ledger";
import { fastRedemptions, redeemRewardFast } from "@/lib/services/redeem-reward";
import { ensureSystemAccounts, hashRequest } from "@/lib/services/ledger-core";
import { POST as postOrder } from "@/app/api/v1/orders/route";
import { POST as postRedemption } from "@/app/api/v1/members/[externalId]/redemptions/route";
import { createMember, createProgram, createReward, uniqueId } from "@/test/fixtures";
import { createApiKey, jsonRequest } from "@/test/api-helpers";

// The common redemption is one guarded statement (lib/services/redeem-reward.ts
// redeemRewardFast); these tests hold it to the transactional path's results.

afterAll(async () => {
  await prisma.$disconnect();
});

async function shop() {
  const setup = await createProgram();
  const { key, id: apiKeyId } = await createApiKey(setup.program.id);
  await prisma.$transaction((tx) => ensureSystemAccounts(tx, setup.program.id));
  return { ...setup, key, apiKeyId };
}

/** A member with lots of 100, 50 and 30 points expiring in that order (orders 3, 2 and 1 months ago... reversed). */
async function memberWithLots(s: Awaited<ReturnType<typeof shop>>) {
  const member = await createMember(s.program, new Date(Date.now() - 400 * 86_400_000));
  for (const [daysAgo, total] of [[60, 50], [200, 100], [10, 30]] as const) {
    const answer = await postOrder(jsonRequest("/api/v1/orders", {
      key: s.key, idempotencyKey: uniqueId("o"),
      body: { externalId: uniqueId("ord"), member: { externalId: member.externalId }, currency: "USD", total, placedAt: new Date(Date.now() - daysAgo * 86_400_000).toISOString(), lines: [{ sku: "A", quantity: 1, unitPrice: total }] },
    }));
    expect(answer.status).toBe(201);
  }
  return member;
}

async function redeem(s: { key: string }, externalId: string, rewardId: number, idempotencyKey = uniqueId("r")) {
  const response = await postRedemption(jsonRequest(`/api/v1/members/${externalId}/redemptions`, { key: s.key, body: { rewardId }, idempotencyKey }), { params: Promise.resolve({ externalId }) });
  return { status: response.status, text: await response.text(), replayed: response.headers.get("idempotent-replayed") === "true" };
}

async function consumption(customerId: number) {
  const rows = await prisma.lotConsumption.findMany({ where: { transaction: { customerId, kind: "REDEEM" } }, select: { amount: true, lot: { select: { amount: true } } }, orderBy: { id: "asc" } });
  return rows.map((row) => [row.lot.amount, row.amount]);
}

describe("the common redemption on one statement", () => {
  test("consumes lots soonest-expiry first exactly as the transactional path does, with the same answer shape and a byte-identical replay", async () => {
    const s = await shop();
    const reward = await createReward(s.program.id, { costPoints: 120 });
    const fast = await memberWithLots(s);
    const before = fastRedemptions.written;
    const first = await redeem(s, fast.externalId, reward.id, "same");
    expect(first.status).toBe(201);
    expect(fastRedemptions.written).toBe(before + 1);
    expect(await redeem(s, fast.externalId, reward.id, "same")).toEqual({ ...first, replayed: true });
    // the transactional path: a per-member limit sends the same redemption there
    const limited = await createReward(s.program.id, { costPoints: 120 });
    await prisma.reward.update({ where: { id: limited.id }, data: { perMemberLimit: 5 } });
    const slow = await memberWithLots(s);
    const viaTx = await redeem(s, slow.externalId, limited.id);
    expect(viaTx.status).toBe(201);
    expect(fastRedemptions.written).toBe(before + 1);
    const [a, b] = [JSON.parse(first.text), JSON.parse(viaTx.text)];
    expect(Object.keys(a)).toEqual(Object.keys(b));
    expect({ ...a, redemptionId: 0, code: "", expiresAt: "" }).toEqual({ ...b, redemptionId: 0, code: "", expiresAt: "" });
    expect(a.balance).toBe(60);
    // the lot expiring first (200 days ago: 100 points) is used up, then 20 of the next (60 days ago: 50)
    expect(await consumption(fast.id)).toEqual([[100, 100], [50, 20]]);
    expect(await consumption(fast.id)).toEqual(await consumption(slow.id));
    expect(await checkLedger(prisma, [fast.id, slow.id])).toMatchObject({ unbalancedTransactions: 0, mismatchedAccounts: 0, negativeLots: 0 });
    const events = await prisma.webhookEvent.findMany({ where: { programId: s.program.id, type: "reward.redeemed" }, orderBy: { id: "asc" } });
    expect(events).toHaveLength(2);
    expect(Object.keys(events[0].payload as object).sort()).toEqual(Object.keys(events[1].payload as object).sort());
  });

  test("not enough points: nothing written, the transactional path answers 422 and the retry gets the same", async () => {
    const s = await shop();
    const member = await memberWithLots(s);
    const reward = await createReward(s.program.id, { costPoints: 1_000 });
    const answer = await redeem(s, member.externalId, reward.id, "poor");
    expect(answer.status).toBe(422);
    expect(JSON.parse(answer.text).error.code).toBe("INSUFFICIENT_POINTS");
    expect(await redeem(s, member.externalId, reward.id, "poor")).toEqual({ ...answer, replayed: true });
    expect(await prisma.redemption.count({ where: { customerId: member.id } })).toBe(0);
  });

  test("10 at once for 180 points at 50 each: exactly 3 succeed, the rest are refused, the ledger adds up", async () => {
    const s = await shop();
    const member = await memberWithLots(s);
    const reward = await createReward(s.program.id, { costPoints: 50 });
    const answers = await Promise.all(Array.from({ length: 10 }, () => redeem(s, member.externalId, reward.id)));
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(3);
    expect(answers.filter((answer) => answer.status === 422)).toHaveLength(7);
    const account = await prisma.ledgerAccount.findFirstOrThrow({ where: { customerId: member.id } });
    expect(account.balance).toBe(30);
    expect(await checkLedger(prisma, [member.id])).toMatchObject({ unbalancedTransactions: 0, mismatchedAccounts: 0, negativeLots: 0 });
  });

  test("stock of 2 and 6 members at once: exactly 2 codes, the rest out of stock", async () => {
    const s = await shop();
    const reward = await createReward(s.program.id, { costPoints: 10, stock: 2 });
    const members = await Promise.all(Array.from({ length: 6 }, () => memberWithLots(s)));
    const answers = await Promise.all(members.map((member) => redeem(s, member.externalId, reward.id)));
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(2);
    expect(answers.filter((answer) => answer.status !== 201).every((answer) => JSON.parse(answer.text).error.code === "REWARD_OUT_OF_STOCK")).toBe(true);
    expect((await prisma.reward.findUniqueOrThrow({ where: { id: reward.id } })).stock).toBe(0);
  });

  test("one key sent 8 times at once: one redemption, one answer", async () => {
    const s = await shop();
    const member = await memberWithLots(s);
    const reward = await createReward(s.program.id, { costPoints: 10 });
    const answers = await Promise.all(Array.from({ length: 8 }, () => redeem(s, member.externalId, reward.id, "once")));
    expect(new Set(answers.map((answer) => `${answer.status} ${answer.text}`)).size).toBe(1);
    expect(await prisma.redemption.count({ where: { customerId: member.id } })).toBe(1);
  });

  test.each([
    ["the reward is switched off", (rewardId: number) => prisma.reward.update({ where: { id: rewardId }, data: { isActive: false } })],
    ["the reward has a per-member limit", (rewardId: number) => prisma.reward.update({ where: { id: rewardId }, data: { perMemberLimit: 1 } })],
    ["the reward has ended", (rewardId: number) => prisma.reward.update({ where: { id: rewardId }, data: { endsAt: new Date(Date.now() - 1000) } })],
    ["the reward is a tier's only", async (rewardId: number) => {
      const reward = await prisma.reward.findUniqueOrThrow({ where: { id: rewardId }, select: { programId: true } });
      const tier = await prisma.tier.findFirstOrThrow({ where: { programId: reward.programId }, orderBy: { rank: "desc" } });
      await prisma.reward.update({ where: { id: rewardId }, data: { tierIds: [tier.id] } });
    }],
    ["nothing is special (the control: this call writes)", async () => undefined],
  ])("when %s, the one statement writes nothing and leaves it to the transactional path", async (label, change) => {
    const s = await shop();
    const member = await memberWithLots(s);
    const reward = await createReward(s.program.id, { costPoints: 10 });
    await change(reward.id);
    const outcome = await redeemRewardFast({
      programId: s.program.id, externalId: member.externalId, rewardId: reward.id, apiKeyId: s.apiKeyId, key: uniqueId("k"), request: (id) => ({ id }),
    });
    const control = label.startsWith("nothing");
    expect(outcome).toEqual(control ? expect.objectContaining({ kind: "done" }) : { kind: "fallback", customerId: member.id });
    expect(await prisma.redemption.count({ where: { customerId: member.id } })).toBe(control ? 1 : 0);
    await checkLedger(prisma, [member.id]);
  });

  test("an unknown member is told apart from a fallback", async () => {
    const s = await shop();
    const reward = await createReward(s.program.id, { costPoints: 10 });
    expect(await redeemRewardFast({ programId: s.program.id, externalId: "nobody-here", rewardId: reward.id, apiKeyId: s.apiKeyId, key: uniqueId("k"), request: (id) => ({ id }) }))
      .toEqual({ kind: "member-not-found" });
  });

  test("the hashes the one statement stores are the ones the transactional path computes", async () => {
    const s = await shop();
    const member = await memberWithLots(s);
    const reward = await createReward(s.program.id, { costPoints: 10 });
    const key = uniqueId("k");
    const request = (id: number) => ({ path: "redemptions", member: id, input: { rewardId: reward.id, note: "ünïcödé ✓ \"quoted\"" } });
    const outcome = await redeemRewardFast({ programId: s.program.id, externalId: member.externalId, rewardId: reward.id, apiKeyId: s.apiKeyId, key, request });
    expect(outcome.kind).toBe("done");
    const stored = await prisma.apiIdempotency.findFirstOrThrow({ where: { apiKeyId: s.apiKeyId, key } });
    expect(stored.requestHash).toBe(hashRequest(request(member.id)));
    const tx = await prisma.ledgerTransaction.findFirstOrThrow({ where: { customerId: member.id, kind: "REDEEM" } });
    expect(tx.requestHash).toBe(hashRequest({ customerId: member.id, rewardId: reward.id }));
    expect(tx.idempotencyKey).toBe(`${member.id}:api:${s.apiKeyId}:${key}`);
  });
});
