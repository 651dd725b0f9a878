import { afterAll, describe, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { checkLedger } from "@/lib/db/check-ledger";
import { getMemberPoints } from "@/lib/db/member-points";
import { recordEventInTx } from "@/lib/services/award-action";
import { evaluateChallenges, saveChallenge } from "@/lib/services/challenges";
import { recordOrder } from "@/lib/services/record-order";
import { cancelOrderInTx, recordReturn } from "@/lib/services/record-return";
import { redeemReward } from "@/lib/services/redeem-reward";
import type { SaveChallengeInput } from "@/lib/validations/console";
import { createMember, createProgram, createReward, createStaffUser, uniqueId } from "@/test/fixtures";

// Challenge bonuses and the orders behind them (docs/earning.md): a bonus earned by orders is
// pending for the same return window as the orders' points; a return or cancellation that leaves
// the member short of the goal reverses the completion once (unspent points clawed back, spent
// ones become debt), however many return and cancel requests arrive, concurrently or again; a
// reversed challenge can be completed again by later qualifying orders.

afterAll(async () => {
  await prisma.$disconnect();
});

type Setup = Awaited<ReturnType<typeof createProgram>>;
const DAY = 86_400_000;

function challenge(patch: Partial<SaveChallengeInput> = {}): SaveChallengeInput {
  return { name: "First order", description: "", metric: "ORDERS", target: 1, windowDays: null, rewardPoints: 200, badgeName: "Welcome", badgeIcon: "star", startsAt: null, endsAt: null, isActive: true, ...patch };
}

async function newChallenge(setup: Setup, patch: Partial<SaveChallengeInput> = {}) {
  const actor = await createStaffUser();
  return saveChallenge({ programId: setup.program.id, actorUserId: actor.id, input: challenge(patch) });
}

function order(setup: Setup, customer: { externalId: string }, lines: { sku: string; quantity: number; dollars: number }[], placedAt: Date, externalId = uniqueId("o")) {
  const total = lines.reduce((sum, line) => sum + line.quantity * line.dollars * 100, 0);
  return recordOrder({
    program: setup.program, externalId, member: { externalId: customer.externalId }, currency: "USD", totalCents: total, placedAt,
    lines: lines.map((line) => ({ sku: line.sku, category: "apparel", quantity: line.quantity, unitPriceCents: line.dollars * 100 })),
  });
}

const cancel = (setup: Setup, orderExternalId: string) => prisma.$transaction((tx) => cancelOrderInTx(tx, { programId: setup.program.id, orderExternalId }));
const returnUnits = (setup: Setup, orderExternalId: string, sku: string, quantity: number, returnExternalId = uniqueId("r")) =>
  recordReturn({ programId: setup.program.id, orderExternalId, returnExternalId, lines: [{ sku, quantity }] });
const completionsOf = (challengeId: number, customerId: number) => prisma.challengeCompletion.findMany({ where: { challengeId, customerId }, orderBy: { id: "asc" } });
const reversals = (customerId: number) => prisma.ledgerTransaction.count({ where: { customerId, reason: "challenge_reversed" } });

async function expectLedgerSound(customerIds: number[]) {
  expect(await checkLedger(prisma, customerIds)).toMatchObject({ unbalancedTransactions: 0, mismatchedAccounts: 0, negativeLots: 0 });
}

describe("challenge bonuses follow the orders that earned them", () => {
  test("the bonus is pending until the order's return window passes; two concurrent cancellations reverse it once", async () => {
    const setup = await createProgram({ pendingDays: 14 });
    const { id } = await newChallenge(setup);
    const alex = await createMember(setup.program, new Date(Date.now() - 100 * DAY));
    const placedAt = new Date(Date.now() - DAY);
    const externalId = uniqueId("o");
    await order(setup, alex, [{ sku: "X", quantity: 1, dollars: 20 }], placedAt, externalId);
    await evaluateChallenges({ programId: setup.program.id });

    expect(await getMemberPoints(alex.id)).toMatchObject({ available: 0, pending: 220 });
    const [completion] = await completionsOf(id, alex.id);
    const lot = await prisma.pointLot.findFirstOrThrow({ where: { transactionId: completion.transactionId! } });
    expect(lot.availableAt).toEqual(new Date(placedAt.getTime() + 14 * DAY));

    const results = await Promise.all([cancel(setup, externalId), cancel(setup, externalId)]);
    expect(results[0]).toEqual(results[1]);
    expect(await getMemberPoints(alex.id)).toMatchObject({ available: 0, pending: 0, balance: 0, debt: 0 });
    expect(await reversals(alex.id)).toBe(1);
    const [reversed] = await completionsOf(id, alex.id);
    expect(reversed.reversedAt).toBeInstanceOf(Date);
    // the cancelled order no longer counts: nothing completes it again
    await evaluateChallenges({ programId: setup.program.id });
    expect(await completionsOf(id, alex.id)).toHaveLength(1);
    await expectLedgerSound([alex.id]);
  });

  test("a spent bonus becomes debt: a return racing a cancellation reverses it once; a later qualifying order completes it again", async () => {
    const setup = await createProgram({ pendingDays: 0 });
    const { id } = await newChallenge(setup);
    const reward = await createReward(setup.program.id, { costPoints: 220 });
    const bo = await createMember(setup.program, new Date(Date.now() - 100 * DAY));
    const externalId = uniqueId("o");
    await order(setup, bo, [{ sku: "X", quantity: 1, dollars: 20 }], new Date(Date.now() - DAY), externalId);
    await evaluateChallenges({ programId: setup.program.id });
    expect(await getMemberPoints(bo.id)).toMatchObject({ available: 220 });
    await redeemReward({ programId: setup.program.id, customerId: bo.id, rewardId: reward.id, idempotencyKey: uniqueId("k"), source: "api" });

    const outcomes = await Promise.allSettled([returnUnits(setup, externalId, "X", 1), cancel(setup, externalId)]);
    expect(outcomes.some((outcome) => outcome.status === "fulfilled")).toBe(true);
    // the order's 20 points and the 200 bonus were spent: 220 owed, once
    expect(await getMemberPoints(bo.id)).toMatchObject({ balance: 0, debt: 220 });
    expect(await reversals(bo.id)).toBe(1);
    // retries change nothing
    await cancel(setup, externalId);
    await expect(returnUnits(setup, externalId, "X", 1)).rejects.toMatchObject({ code: "VALIDATION" });
    expect(await getMemberPoints(bo.id)).toMatchObject({ balance: 0, debt: 220 });
    expect(await reversals(bo.id)).toBe(1);

    // a new qualifying order: its 50 points repay debt, the challenge completes again and pays again
    await order(setup, bo, [{ sku: "Y", quantity: 1, dollars: 50 }], new Date());
    await evaluateChallenges({ programId: setup.program.id });
    const completions = await completionsOf(id, bo.id);
    expect(completions.map((row) => row.reversedAt === null)).toEqual([false, true]);
    expect(await getMemberPoints(bo.id)).toMatchObject({ balance: 30, debt: 0 });
    await expectLedgerSound([bo.id]);
  });

  test("partial returns reverse a completion only when the member falls short of the goal, and only once", async () => {
    const setup = await createProgram({ pendingDays: 14 });
    const spend = await newChallenge(setup, { name: "Big spender", metric: "SPEND", target: 30_000, windowDays: 90, rewardPoints: 300 });
    const first = await newChallenge(setup, { name: "First order", rewardPoints: 50 });
    const cy = await createMember(setup.program, new Date(Date.now() - 100 * DAY));
    const externalId = uniqueId("o");
    await order(setup, cy, [{ sku: "COAT", quantity: 4, dollars: 100 }], new Date(Date.now() - DAY), externalId);
    await evaluateChallenges({ programId: setup.program.id });
    expect(await getMemberPoints(cy.id)).toMatchObject({ available: 0, pending: 400 + 300 + 50 });

    await returnUnits(setup, externalId, "COAT", 1); // $300 kept: still at the goal
    expect(await reversals(cy.id)).toBe(0);
    expect(await getMemberPoints(cy.id)).toMatchObject({ pending: 300 + 300 + 50 });

    const second = uniqueId("r");
    const once = await returnUnits(setup, externalId, "COAT", 1, second); // $200 kept: short of $300
    expect(await returnUnits(setup, externalId, "COAT", 1, second)).toEqual(once); // a retry of the same return
    expect(await reversals(cy.id)).toBe(1);
    expect((await completionsOf(spend.id, cy.id))[0].reversedAt).toBeInstanceOf(Date);
    expect((await completionsOf(first.id, cy.id))[0].reversedAt).toBeNull(); // the order still counts as an order
    expect(await getMemberPoints(cy.id)).toMatchObject({ pending: 200 + 50, debt: 0 });

    await returnUnits(setup, externalId, "COAT", 1); // another return id: the spend challenge is not reversed twice
    expect(await reversals(cy.id)).toBe(1);
    await returnUnits(setup, externalId, "COAT", 1); // nothing kept: the order no longer counts as an order either
    expect(await reversals(cy.id)).toBe(2);
    expect(await getMemberPoints(cy.id)).toMatchObject({ pending: 0, available: 0, debt: 0 });
    await cancel(setup, externalId);
    expect(await reversals(cy.id)).toBe(2);
    await expectLedgerSound([cy.id]);
  });

  test("challenges met by reviews are not tied to an order: their bonus is available at once", async () => {
    const setup = await createProgram({ pendingDays: 14 });
    await newChallenge(setup, { name: "First review", metric: "REVIEWS", rewardPoints: 75 });
    const di = await createMember(setup.program, new Date(Date.now() - 100 * DAY));
    await prisma.$transaction((tx) => recordEventInTx(tx, { program: setup.program, member: { externalId: di.externalId }, type: "review", externalId: uniqueId("rv") }));
    await evaluateChallenges({ programId: setup.program.id });
    expect(await getMemberPoints(di.id)).toMatchObject({ available: 75, pending: 0 });
  });
});
