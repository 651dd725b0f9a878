import { afterAll, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { addDays } from "@/lib/domain/dates";
import { previewTierMoves } from "@/lib/domain/tiers";
import { recordOrder } from "@/lib/services/record-order";
import { previewTierConfig, proposedTiers, saveTierConfig } from "@/lib/services/save-tiers";
import { loadTierSetup, qualifyingAmountSql, reviewTiers } from "@/lib/services/tiers";
import type { TierConfigInput } from "@/lib/validations/console";
import { createMember, createProgram, createStaffUser, uniqueId } from "@/test/fixtures";

// A full tier review keeps every member's qualifying amount (TierAmount) and records its run
// (TierAmountRun: moment and policy). The tier move preview reads them when they are of the
// policy being kept and at most 36 hours old, computes live any member without one, and says
// as of when; otherwise it computes every amount live (issue 12: about 4 s at 10,000,000 orders).

afterAll(async () => {
  await prisma.$disconnect();
});

type Setup = Awaited<ReturnType<typeof createProgram>>;
const HOUR = 3_600_000;

async function order(setup: Setup, customer: { externalId: string }, dollars: number, placedAt: Date) {
  return recordOrder({
    program: setup.program, externalId: uniqueId("o"), member: { externalId: customer.externalId }, currency: "USD",
    totalCents: dollars * 100, placedAt, lines: [{ sku: "X", quantity: 1, unitPriceCents: dollars * 100 }],
  });
}

function configOf(setup: Setup, patch: Partial<TierConfigInput> = {}, silverMin = 500): TierConfigInput {
  const { bronze, silver, gold } = setup.tiers;
  return {
    basis: "SPEND", window: "ROLLING_12_MONTHS", graceDays: 30, ...patch,
    tiers: [
      { id: bronze.id, name: "Bronze", description: "", minSpend: 0, minPoints: 0, multiplier: 1, freeShipping: false, earlyAccessHours: 0, birthdayGiftPoints: 0 },
      { id: silver.id, name: "Silver", description: "", minSpend: silverMin, minPoints: silverMin, multiplier: 1.25, freeShipping: false, earlyAccessHours: 0, birthdayGiftPoints: 0 },
      { id: gold.id, name: "Gold", description: "", minSpend: 1500, minPoints: 1500, multiplier: 1.5, freeShipping: true, earlyAccessHours: 24, birthdayGiftPoints: 0 },
    ],
  };
}

/** The preview computed member by member, live, on `at` (what the kept amounts must agree with). */
async function oneByOne(setup: Setup, input: TierConfigInput, at: Date) {
  const current = await loadTierSetup(prisma, setup.program.id);
  const policy = { basis: input.basis, window: input.window, graceDays: input.graceDays };
  const members = await prisma.$queryRaw<{ floorTierId: number | null; amountBefore: number; amountAfter: number }[]>`
    SELECT c."tierFloorId" AS "floorTierId", ${qualifyingAmountSql(current.policy, at)} AS "amountBefore", ${qualifyingAmountSql(policy, at)} AS "amountAfter"
    FROM "Customer" c WHERE c."programId" = ${setup.program.id} AND c."enrolledAt" IS NOT NULL`;
  return previewTierMoves({ members, before: current.tiers, after: proposedTiers(input), policyBefore: current.policy, policyAfter: policy });
}

const movesOf = (preview: Awaited<ReturnType<typeof previewTierConfig>>) => ({ up: preview.up, down: preview.down, unchanged: preview.unchanged, byTier: preview.byTier });

test("a full review keeps each member's amount; the preview reads them, computes a member without one, and says as of when", async () => {
  const setup = await createProgram();
  const runAt = new Date();
  const spenders = [];
  for (const dollars of [0, 120, 480, 700, 1_400, 2_000]) {
    const customer = await createMember(setup.program, addDays(runAt, -400));
    if (dollars > 0) await order(setup, customer, dollars, addDays(runAt, -30));
    spenders.push({ customer, dollars });
  }
  await reviewTiers({ programId: setup.program.id, at: runAt });
  const kept = await prisma.tierAmount.findMany({ where: { programId: setup.program.id }, orderBy: { customerId: "asc" } });
  expect(kept.map((row) => [row.customerId, row.amount])).toEqual(spenders.map(({ customer, dollars }) => [customer.id, dollars * 100]));
  expect(await prisma.tierAmountRun.findUnique({ where: { programId: setup.program.id } })).toMatchObject({ at: runAt, basis: "SPEND", window: "ROLLING_12_MONTHS" });

  // a member who joined after the run has no kept amount: computed now
  const newcomer = await createMember(setup.program, addDays(runAt, -1));
  await order(setup, newcomer, 900, addDays(runAt, -1));
  const at = new Date(runAt.getTime() + HOUR);
  const lowerSilver = configOf(setup, {}, 400);
  const preview = await previewTierConfig({ programId: setup.program.id, input: lowerSilver, at });
  expect(preview.amountsAsOf).toEqual(runAt);
  expect(preview.members).toBe(7);
  expect(movesOf(preview)).toEqual(await oneByOne(setup, lowerSilver, at));
  expect(preview.up).toBeGreaterThan(0);

  // an order placed after the run counts from the next run (the page says "as of")
  const [, small] = spenders;
  await order(setup, small.customer, 300, new Date(runAt.getTime() + 30 * 60_000));
  const stale = await previewTierConfig({ programId: setup.program.id, input: lowerSilver, at });
  expect(movesOf(stale)).toEqual(movesOf(preview));
  expect(movesOf(stale)).not.toEqual(await oneByOne(setup, lowerSilver, at));
  await reviewTiers({ programId: setup.program.id, at });
  const fresh = await previewTierConfig({ programId: setup.program.id, input: lowerSilver, at });
  expect(fresh.amountsAsOf).toEqual(at);
  expect(movesOf(fresh)).toEqual(await oneByOne(setup, lowerSilver, at));
});

test("another policy, an old run or no run: every amount is computed live", async () => {
  const setup = await createProgram();
  const marketer = await createStaffUser();
  const runAt = new Date();
  for (const dollars of [200, 800, 1_600]) {
    const customer = await createMember(setup.program, addDays(runAt, -400));
    await order(setup, customer, dollars, addDays(runAt, -10));
  }
  const input = configOf(setup, {}, 700);
  expect((await previewTierConfig({ programId: setup.program.id, input, at: runAt })).amountsAsOf).toBeNull();
  await reviewTiers({ programId: setup.program.id, at: runAt });
  expect((await previewTierConfig({ programId: setup.program.id, input, at: new Date(runAt.getTime() + 35 * HOUR) })).amountsAsOf).toEqual(runAt);
  const old = await previewTierConfig({ programId: setup.program.id, input, at: new Date(runAt.getTime() + 37 * HOUR) });
  expect(old.amountsAsOf).toBeNull();
  expect(movesOf(old)).toEqual(await oneByOne(setup, input, new Date(runAt.getTime() + 37 * HOUR)));
  // a preview of a new basis computes live
  const byPoints = configOf(setup, { basis: "POINTS" }, 700);
  expect((await previewTierConfig({ programId: setup.program.id, input: byPoints, at: runAt })).amountsAsOf).toBeNull();

  // saving the new basis re-places every member: that review keeps their amounts under it
  await saveTierConfig({ programId: setup.program.id, actorUserId: marketer.id, input: byPoints });
  const run = await prisma.tierAmountRun.findUniqueOrThrow({ where: { programId: setup.program.id } });
  expect(run.basis).toBe("POINTS");
  const later = new Date(run.at.getTime() + HOUR);
  const onPoints = await previewTierConfig({ programId: setup.program.id, input: configOf(setup, { basis: "POINTS" }, 1_000), at: later });
  expect(onPoints.amountsAsOf).toEqual(run.at);
  expect(movesOf(onPoints)).toEqual(await oneByOne(setup, configOf(setup, { basis: "POINTS" }, 1_000), later));
});

test("a review of some members neither records a run nor withdraws one", async () => {
  const setup = await createProgram();
  const runAt = new Date();
  const customer = await createMember(setup.program, addDays(runAt, -400));
  await order(setup, customer, 800, addDays(runAt, -5));
  await reviewTiers({ programId: setup.program.id, at: runAt, customerIds: [customer.id] });
  expect(await prisma.tierAmountRun.findUnique({ where: { programId: setup.program.id } })).toBeNull();
  expect(await prisma.tierAmount.count({ where: { programId: setup.program.id } })).toBe(0);
  await reviewTiers({ programId: setup.program.id, at: runAt });
  await reviewTiers({ programId: setup.program.id, at: new Date(runAt.getTime() + HOUR), customerIds: [customer.id] });
  expect((await prisma.tierAmountRun.findUniqueOrThrow({ where: { programId: setup.program.id } })).at).toEqual(runAt);
});

test("a member changed since the run started (here a VIP floor set) is read and computed now", async () => {
  const setup = await createProgram();
  const runAt = new Date();
  const members = [];
  for (const dollars of [100, 300, 900, 1_800]) {
    const customer = await createMember(setup.program, addDays(runAt, -400));
    await order(setup, customer, dollars, addDays(runAt, -20));
    members.push(customer);
  }
  await reviewTiers({ programId: setup.program.id, at: runAt });
  const at = new Date(runAt.getTime() + HOUR);
  const input = configOf(setup, {}, 250);
  // written straight to the row, as any path that changes a member does: its updatedAt moves
  await prisma.customer.update({ where: { id: members[0].id }, data: { tierFloorId: setup.tiers.gold.id } });
  const preview = await previewTierConfig({ programId: setup.program.id, input, at });
  expect(preview.amountsAsOf).toEqual(runAt);
  expect(movesOf(preview)).toEqual(await oneByOne(setup, input, at));
  const kept = await prisma.tierAmount.findUniqueOrThrow({ where: { customerId: members[0].id } });
  expect(kept.floorTierId).toBeNull(); // the kept row is as of the run; the preview read the member now
});
