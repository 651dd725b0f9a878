import { afterAll, describe, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { checkLedger } from "@/lib/db/check-ledger";
import { getMemberPoints } from "@/lib/db/member-points";
import { evaluateChallenges, saveChallenge } from "@/lib/services/challenges";
import { recordOrder } from "@/lib/services/record-order";
import { cancelOrderInTx, recordReturn } from "@/lib/services/record-return";
import { redeemReward } from "@/lib/services/redeem-reward";
import { getReferralStats } from "@/lib/services/referrals";
import { createMember, createProgram, createReward, createStaffUser, uniqueId } from "@/test/fixtures";

// Referral bonuses and the friend's first order (docs/earning.md): both bonuses are pending for
// the order's return window like its purchase points; a return or cancellation that leaves nothing
// of the order reverses both exactly once (unspent points clawed back, spent ones become debt),
// however many return and cancel requests arrive, concurrently or again.

afterAll(async () => {
  await prisma.$disconnect();
});

type Setup = Awaited<ReturnType<typeof createProgram>>;
const DAY = 86_400_000;

async function referralProgram(pendingDays: number) {
  const setup = await createProgram({ pendingDays });
  await prisma.earnRule.create({
    data: { programId: setup.program.id, kind: "REFERRAL", name: "Referral", config: { points: 150, referrerPoints: 400, limit: 10, period: "year" } },
  });
  return setup;
}

async function pair(setup: Setup) {
  const referrer = await createMember(setup.program, new Date(Date.now() - 100 * DAY));
  const friend = await createMember(setup.program, new Date(Date.now() - 10 * DAY));
  await prisma.customer.update({ where: { id: friend.id }, data: { referredById: referrer.id } });
  return { referrer, friend };
}

function order(setup: Setup, customer: { externalId: string }, lines: { sku: string; dollars: number }[], placedAt: Date, externalId = uniqueId("o")) {
  const total = lines.reduce((sum, line) => sum + line.dollars * 100, 0);
  return recordOrder({
    program: setup.program, externalId, member: { externalId: customer.externalId }, currency: "USD", totalCents: total, placedAt,
    lines: lines.map((line) => ({ sku: line.sku, quantity: 1, unitPriceCents: line.dollars * 100 })),
  });
}

const cancel = (setup: Setup, orderExternalId: string) => prisma.$transaction((tx) => cancelOrderInTx(tx, { programId: setup.program.id, orderExternalId }));
const returnUnit = (setup: Setup, orderExternalId: string, sku: string, returnExternalId = uniqueId("r")) =>
  recordReturn({ programId: setup.program.id, orderExternalId, returnExternalId, lines: [{ sku, quantity: 1 }] });
const reversals = (customerIds: number[]) => prisma.ledgerTransaction.count({ where: { customerId: { in: customerIds }, reason: { in: ["referral_friend_reversed", "referral_reversed"] } } });

async function expectLedgerSound(customerIds: number[]) {
  expect(await checkLedger(prisma, customerIds)).toMatchObject({ unbalancedTransactions: 0, mismatchedAccounts: 0, negativeLots: 0 });
}

describe("referral bonuses follow the friend's first order", () => {
  test("both bonuses are pending for the order's return window; two concurrent cancellations reverse each once", async () => {
    const setup = await referralProgram(14);
    const { referrer, friend } = await pair(setup);
    const placedAt = new Date(Date.now() - DAY);
    const externalId = uniqueId("o");
    await order(setup, friend, [{ sku: "A", dollars: 20 }], placedAt, externalId);

    expect(await getMemberPoints(friend.id)).toMatchObject({ available: 0, pending: 20 + 150 });
    expect(await getMemberPoints(referrer.id)).toMatchObject({ available: 0, pending: 400 });
    const bonusLots = await prisma.pointLot.findMany({ where: { transaction: { source: "referral" } , account: { customerId: { in: [friend.id, referrer.id] } } } });
    expect(bonusLots.map((lot) => lot.availableAt)).toEqual([new Date(placedAt.getTime() + 14 * DAY), new Date(placedAt.getTime() + 14 * DAY)]);

    await Promise.all([cancel(setup, externalId), cancel(setup, externalId)]);
    expect(await getMemberPoints(friend.id)).toMatchObject({ balance: 0, pending: 0, debt: 0 });
    expect(await getMemberPoints(referrer.id)).toMatchObject({ balance: 0, pending: 0, debt: 0 });
    expect(await reversals([friend.id])).toBe(1);
    expect(await reversals([referrer.id])).toBe(1);
    // the referrer's line doesn't name the friend's order
    expect(await prisma.ledgerTransaction.findFirstOrThrow({ where: { customerId: referrer.id, reason: "referral_reversed" } })).toMatchObject({ note: null, kind: "RETURN" });
    expect(await prisma.ledgerTransaction.findFirstOrThrow({ where: { customerId: friend.id, reason: "referral_friend_reversed" } })).toMatchObject({ note: externalId });
    expect(await getReferralStats(referrer.id)).toMatchObject({ rewarded: 0, points: 0 });

    // a reversed referral is final: the friend's next order pays no referral
    await order(setup, friend, [{ sku: "B", dollars: 30 }], new Date());
    expect(await getMemberPoints(referrer.id)).toMatchObject({ balance: 0 });
    await expectLedgerSound([friend.id, referrer.id]);
  });

  test("a spent referral bonus becomes debt: a full return racing a cancellation reverses it once, retries change nothing", async () => {
    const setup = await referralProgram(0);
    const { referrer, friend } = await pair(setup);
    const reward = await createReward(setup.program.id, { costPoints: 400 });
    const externalId = uniqueId("o");
    await order(setup, friend, [{ sku: "A", dollars: 20 }], new Date(Date.now() - DAY), externalId);
    await redeemReward({ programId: setup.program.id, customerId: referrer.id, rewardId: reward.id, idempotencyKey: uniqueId("k"), source: "api" });
    expect(await getMemberPoints(referrer.id)).toMatchObject({ balance: 0 });

    const returnId = uniqueId("r");
    const outcomes = await Promise.allSettled([returnUnit(setup, externalId, "A", returnId), cancel(setup, externalId), cancel(setup, externalId)]);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled").length, JSON.stringify(outcomes)).toBeGreaterThanOrEqual(2);
    expect(await getMemberPoints(referrer.id)).toMatchObject({ balance: 0, debt: 400 });
    expect(await getMemberPoints(friend.id)).toMatchObject({ balance: 0, debt: 0 }); // unspent: clawed back
    expect(await reversals([friend.id, referrer.id])).toBe(2);

    await Promise.allSettled([returnUnit(setup, externalId, "A", returnId), cancel(setup, externalId), returnUnit(setup, externalId, "A")]);
    expect(await getMemberPoints(referrer.id)).toMatchObject({ balance: 0, debt: 400 });
    expect(await reversals([friend.id, referrer.id])).toBe(2);
    await expectLedgerSound([friend.id, referrer.id]);
  });

  test("a partial return that leaves part of the order kept keeps the referral; the last unit back reverses it once", async () => {
    const setup = await referralProgram(14);
    const { referrer, friend } = await pair(setup);
    const externalId = uniqueId("o");
    await order(setup, friend, [{ sku: "A", dollars: 10 }, { sku: "B", dollars: 10 }], new Date(Date.now() - DAY), externalId);
    await returnUnit(setup, externalId, "A");
    expect(await reversals([friend.id, referrer.id])).toBe(0);
    expect(await getMemberPoints(referrer.id)).toMatchObject({ pending: 400 });
    await returnUnit(setup, externalId, "B");
    expect(await reversals([friend.id, referrer.id])).toBe(2);
    expect(await getMemberPoints(referrer.id)).toMatchObject({ pending: 0, debt: 0 });
    expect(await getMemberPoints(friend.id)).toMatchObject({ pending: 0, debt: 0 });
    await cancel(setup, externalId);
    expect(await reversals([friend.id, referrer.id])).toBe(2);
    await expectLedgerSound([friend.id, referrer.id]);
  });

  test("12 concurrent returns (other return ids, retries) and cancellations of one order: every bonus reversed once, the ledger balanced", async () => {
    const setup = await referralProgram(14);
    const { referrer, friend } = await pair(setup);
    const actor = await createStaffUser();
    const challenge = { description: "", windowDays: null, startsAt: null, endsAt: null, isActive: true, badgeIcon: "star" };
    const first = await saveChallenge({ programId: setup.program.id, actorUserId: actor.id, input: { ...challenge, name: "First order", metric: "ORDERS", target: 1, rewardPoints: 60, badgeName: "First" } });
    const host = await saveChallenge({ programId: setup.program.id, actorUserId: actor.id, input: { ...challenge, name: "Bring a friend", metric: "REFERRALS", target: 1, rewardPoints: 90, badgeName: "Host" } });
    const externalId = uniqueId("o");
    await order(setup, friend, [{ sku: "A", dollars: 10 }, { sku: "B", dollars: 10 }, { sku: "C", dollars: 10 }], new Date(Date.now() - DAY), externalId);
    await evaluateChallenges({ programId: setup.program.id });
    expect(await getMemberPoints(friend.id)).toMatchObject({ pending: 30 + 150 + 60 });
    expect(await getMemberPoints(referrer.id)).toMatchObject({ pending: 400 + 90 });

    const retried = uniqueId("r");
    const requests = [
      () => returnUnit(setup, externalId, "A", retried), () => returnUnit(setup, externalId, "A", retried), () => returnUnit(setup, externalId, "B"),
      () => returnUnit(setup, externalId, "C"), () => returnUnit(setup, externalId, "B"), () => returnUnit(setup, externalId, "C"),
      () => cancel(setup, externalId), () => cancel(setup, externalId), () => cancel(setup, externalId),
      () => returnUnit(setup, externalId, "A"), () => cancel(setup, externalId), () => returnUnit(setup, externalId, "A", retried),
    ];
    const outcomes = await Promise.allSettled(requests.map((request) => request()));
    // a return that finds its units already returned is refused as invalid; nothing else may fail
    for (const outcome of outcomes) if (outcome.status === "rejected") expect(outcome.reason).toMatchObject({ code: "VALIDATION" });

    expect(await reversals([friend.id, referrer.id])).toBe(2);
    expect(await prisma.ledgerTransaction.count({ where: { customerId: { in: [friend.id, referrer.id] }, reason: "challenge_reversed" } })).toBe(2);
    const completions = await prisma.challengeCompletion.findMany({ where: { challengeId: { in: [first.id, host.id] } } });
    expect(completions.map((row) => row.reversedAt !== null)).toEqual([true, true]);
    expect(await getMemberPoints(friend.id)).toMatchObject({ balance: 0, debt: 0 });
    expect(await getMemberPoints(referrer.id)).toMatchObject({ balance: 0, debt: 0 });
    expect(await prisma.order.findFirstOrThrow({ where: { externalId } })).toMatchObject({ cancelledAt: expect.any(Date) });
    await expectLedgerSound([friend.id, referrer.id]);
  });

  test("the referrer's 'a friend who orders' challenge is reversed when that friend's order is cancelled", async () => {
    const setup = await referralProgram(14);
    const { referrer, friend } = await pair(setup);
    const actor = await createStaffUser();
    const { id } = await saveChallenge({
      programId: setup.program.id, actorUserId: actor.id,
      input: { name: "Bring a friend", description: "", metric: "REFERRALS", target: 1, windowDays: null, rewardPoints: 100, badgeName: "Host", badgeIcon: "heart", startsAt: null, endsAt: null, isActive: true },
    });
    const externalId = uniqueId("o");
    await order(setup, friend, [{ sku: "A", dollars: 20 }], new Date(Date.now() - DAY), externalId);
    await evaluateChallenges({ programId: setup.program.id });
    expect(await getMemberPoints(referrer.id)).toMatchObject({ available: 0, pending: 400 + 100 });
    await cancel(setup, externalId);
    expect(await getMemberPoints(referrer.id)).toMatchObject({ balance: 0, debt: 0 });
    const [completion] = await prisma.challengeCompletion.findMany({ where: { challengeId: id, customerId: referrer.id } });
    expect(completion.reversedAt).toBeInstanceOf(Date);
    await expectLedgerSound([friend.id, referrer.id]);
  });
});
