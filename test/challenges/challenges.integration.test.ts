import { afterAll, describe, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { checkLedger } from "@/lib/db/check-ledger";
import { getMemberPoints } from "@/lib/db/member-points";
import { runCheckChallenges } from "@/lib/jobs/tasks";
import { recordEventInTx } from "@/lib/services/award-action";
import { evaluateChallenges, getMemberChallenges, saveChallenge } from "@/lib/services/challenges";
import { enrollCustomer } from "@/lib/services/enroll-customer";
import { recordOrder } from "@/lib/services/record-order";
import { recordReturnInTx } from "@/lib/services/record-return";
import type { SaveChallengeInput } from "@/lib/validations/console";
import { createCustomer, createMember, createProgram, createStaffUser, uniqueId } from "@/test/fixtures";

// Challenges on real PostgreSQL: progress counts what the member did inside the window (and
// only as a member), completion pays once however many runs race, badges stay after the
// challenge closes, reported events count even when their rule pays nothing.

afterAll(async () => {
  await prisma.$disconnect();
});

type Setup = Awaited<ReturnType<typeof createProgram>>;
const DAY = 86_400_000;

const marketer = () => createStaffUser();
const member = (setup: Setup, enrolledAt = new Date(Date.now() - 400 * DAY)) => createMember(setup.program, enrolledAt);

async function order(setup: Setup, customer: { externalId: string }, dollars: number, placedAt: Date, externalId = uniqueId("o")) {
  return recordOrder({
    program: setup.program, externalId, member: { externalId: customer.externalId }, currency: "USD",
    totalCents: dollars * 100, placedAt, lines: [{ sku: "X", category: "apparel", quantity: 1, unitPriceCents: dollars * 100 }],
  });
}

function challenge(patch: Partial<SaveChallengeInput> = {}): SaveChallengeInput {
  return { name: "Three in a month", description: "", metric: "ORDERS", target: 3, windowDays: 30, rewardPoints: 200, badgeName: "Regular", badgeIcon: "star", startsAt: null, endsAt: null, isActive: true, ...patch };
}

const completionsOf = (challengeId: number) => prisma.challengeCompletion.findMany({ where: { challengeId }, orderBy: { customerId: "asc" } });

describe("challenges", () => {
  test("3 orders in 30 days: progress, completion with points once, old orders and orders before joining don't count", async () => {
    const setup = await createProgram();
    const actor = await marketer();
    const { id } = await saveChallenge({ programId: setup.program.id, actorUserId: actor.id, input: challenge() });
    const now = new Date();
    const alex = await member(setup);
    await order(setup, alex, 20, new Date(now.getTime() - 45 * DAY)); // outside the window
    await order(setup, alex, 20, new Date(now.getTime() - 10 * DAY));
    await order(setup, alex, 20, new Date(now.getTime() - 5 * DAY));

    let [progress] = await getMemberChallenges({ programId: setup.program.id, customerId: alex.id, at: now });
    expect(progress).toMatchObject({ id, value: 2, target: 3, percent: 66, completedAt: null });

    await order(setup, alex, 20, new Date(now.getTime() - DAY));
    const before = (await getMemberPoints(alex.id)).available;
    [progress] = await getMemberChallenges({ programId: setup.program.id, customerId: alex.id, at: now });
    expect(progress).toMatchObject({ value: 3, percent: 100 });
    expect(progress.completedAt).not.toBeNull();
    expect((await getMemberPoints(alex.id)).available).toBe(before + 200);
    // again, by the job and the page: nothing more
    await evaluateChallenges({ programId: setup.program.id, at: now });
    await getMemberChallenges({ programId: setup.program.id, customerId: alex.id, at: now });
    expect((await getMemberPoints(alex.id)).available).toBe(before + 200);
    const [completion] = await completionsOf(id);
    const tx = await prisma.ledgerTransaction.findUniqueOrThrow({ where: { id: completion.transactionId! } });
    expect(tx).toMatchObject({ kind: "BONUS", reason: "challenge", note: "Three in a month", points: 200, customerId: alex.id });
    const event = await prisma.webhookEvent.findFirst({ where: { programId: setup.program.id, type: "points.earned", dedupeKey: `points.earned:${tx.id}` } });
    expect(event?.payload).toMatchObject({ reason: "challenge", points: 200 });

    // orders placed before joining (shop customer, then member) don't count
    const late = await createCustomer(setup.program.id);
    for (const days of [9, 8, 7]) await order(setup, late, 20, new Date(now.getTime() - days * DAY));
    await enrollCustomer({ program: setup.program, customerId: late.id, at: new Date(now.getTime() - 6 * DAY) });
    await order(setup, late, 20, new Date(now.getTime() - 2 * DAY));
    const [lateProgress] = await getMemberChallenges({ programId: setup.program.id, customerId: late.id, at: now });
    expect(lateProgress).toMatchObject({ value: 1, completedAt: null });
    await checkLedger(prisma, [alex.id, late.id]);
  });

  test("concurrent runs complete and pay each member once", async () => {
    const setup = await createProgram();
    const actor = await marketer();
    const { id } = await saveChallenge({ programId: setup.program.id, actorUserId: actor.id, input: challenge({ target: 1, windowDays: null, rewardPoints: 50, name: "First order" }) });
    const members = await Promise.all(Array.from({ length: 8 }, () => member(setup)));
    for (const customer of members) await order(setup, customer, 10, new Date(Date.now() - DAY));
    await Promise.all([
      evaluateChallenges({ programId: setup.program.id }),
      evaluateChallenges({ programId: setup.program.id }),
      runCheckChallenges(),
      ...members.slice(0, 4).map((customer) => getMemberChallenges({ programId: setup.program.id, customerId: customer.id })),
    ]);
    const completions = await completionsOf(id);
    expect(completions.map((row) => row.customerId).sort()).toEqual(members.map((customer) => customer.id).sort());
    const paid = await prisma.ledgerTransaction.findMany({ where: { programId: setup.program.id, reason: "challenge" } });
    expect(paid).toHaveLength(8);
    expect(new Set(paid.map((row) => row.customerId)).size).toBe(8);
    await checkLedger(prisma, members.map((customer) => customer.id));
  });

  test("first review: reported events count even when the review rule pays nothing; spend is net of returns", async () => {
    const setup = await createProgram();
    const actor = await marketer();
    const review = await saveChallenge({ programId: setup.program.id, actorUserId: actor.id, input: challenge({ name: "First review", metric: "REVIEWS", target: 1, windowDays: null, rewardPoints: 75, badgeName: "Critic", badgeIcon: "heart" }) });
    const spend = await saveChallenge({ programId: setup.program.id, actorUserId: actor.id, input: challenge({ name: "Big spender", metric: "SPEND", target: 30_000, windowDays: 90, rewardPoints: 0, badgeName: "Big spender" }) });
    const customer = await member(setup);
    // no REVIEW rule in this program: the event pays nothing but is recorded
    const result = await prisma.$transaction((tx) => recordEventInTx(tx, { program: setup.program, member: { externalId: customer.externalId }, type: "review", externalId: uniqueId("rv") }));
    expect(result).toEqual({ status: "skipped", reason: "no_rule" });
    // $400 in two items, one returned: $200 net, short of the $300 target
    const orderExternalId = uniqueId("big");
    await recordOrder({
      program: setup.program, externalId: orderExternalId, member: { externalId: customer.externalId }, currency: "USD", totalCents: 40_000,
      placedAt: new Date(Date.now() - DAY), lines: [{ sku: "COAT", category: "apparel", quantity: 2, unitPriceCents: 20_000 }],
    });
    await prisma.$transaction((tx) => recordReturnInTx(tx, { programId: setup.program.id, orderExternalId, returnExternalId: uniqueId("ret"), lines: [{ sku: "COAT", quantity: 1 }] }));
    const list = await getMemberChallenges({ programId: setup.program.id, customerId: customer.id });
    expect(list.find((entry) => entry.id === review.id)).toMatchObject({ value: 1, completedAt: expect.any(Date) });
    const big = list.find((entry) => entry.id === spend.id)!;
    expect(big.completedAt).toBeNull();
    expect(big).toMatchObject({ value: 20_000, percent: 66 });
    expect(await prisma.ledgerTransaction.count({ where: { customerId: customer.id, reason: "challenge" } })).toBe(1);
  });

  test("badges stay after a challenge closes; closed and future challenges don't complete", async () => {
    const setup = await createProgram();
    const actor = await marketer();
    const customer = await member(setup);
    await order(setup, customer, 10, new Date(Date.now() - DAY));
    const earned = await saveChallenge({ programId: setup.program.id, actorUserId: actor.id, input: challenge({ name: "Welcome order", target: 1, windowDays: null, rewardPoints: 10 }) });
    await getMemberChallenges({ programId: setup.program.id, customerId: customer.id });
    await saveChallenge({ programId: setup.program.id, actorUserId: actor.id, input: { ...challenge({ name: "Welcome order", target: 1, windowDays: null, rewardPoints: 10 }), id: earned.id, isActive: false } });
    const future = await saveChallenge({ programId: setup.program.id, actorUserId: actor.id, input: challenge({ name: "Next month", target: 1, windowDays: null, startsAt: new Date(Date.now() + 10 * DAY) }) });
    const inactive = await saveChallenge({ programId: setup.program.id, actorUserId: actor.id, input: challenge({ name: "Paused", target: 1, windowDays: null, isActive: false }) });
    const list = await getMemberChallenges({ programId: setup.program.id, customerId: customer.id });
    expect(list.map((entry) => [entry.id, entry.completedAt !== null])).toEqual([[earned.id, true]]);
    expect(await prisma.challengeCompletion.count({ where: { challengeId: { in: [future.id, inactive.id] } } })).toBe(0);
    // another program can't edit it
    const other = await createProgram();
    await expect(saveChallenge({ programId: other.program.id, actorUserId: actor.id, input: { ...challenge(), id: earned.id } })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
