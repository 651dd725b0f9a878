import { afterAll, describe, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { getMemberOverview } from "@/lib/db/member-reads";
import { addDays, addMonths } from "@/lib/domain/dates";
import { runBirthdayAwards, runReviewTiers } from "@/lib/jobs/tasks";
import { invalidateEarningConfig } from "@/lib/services/earning-config";
import { recordOrder } from "@/lib/services/record-order";
import { recordReturn } from "@/lib/services/record-return";
import { redeemReward } from "@/lib/services/redeem-reward";
import { previewTierConfig, proposedTiers, saveTierConfig, setTierFloor } from "@/lib/services/save-tiers";
import { loadTierSetup, qualifyingAmountSql, reviewTiers } from "@/lib/services/tiers";
import { metricSql } from "@/lib/services/challenges";
import { previewTierMoves } from "@/lib/domain/tiers";
import type { TierConfigInput } from "@/lib/validations/console";
import { createMember, createProgram, createReward, createStaffUser, uniqueId } from "@/test/fixtures";

// Tiers on real PostgreSQL: orders move members up at once (never down); the review job moves
// them down only after the grace period; VIP floors; the preview counts exactly what a save
// then does; every move is recorded with its reason and sent as tier.changed.

afterAll(async () => {
  await prisma.$disconnect();
});

type Setup = Awaited<ReturnType<typeof createProgram>>;

const staffUser = () => createStaffUser();
const member = (setup: Setup, enrolledAt = new Date("2024-01-01T00:00:00Z")) => createMember(setup.program, enrolledAt);

async function order(setup: Setup, customer: { externalId: string }, dollars: number, placedAt: Date, externalId = uniqueId("o")) {
  return recordOrder({
    program: setup.program, externalId, member: { externalId: customer.externalId }, currency: "USD",
    totalCents: dollars * 100, placedAt, lines: [{ sku: "X", category: "apparel", quantity: 1, unitPriceCents: dollars * 100 }],
  });
}

const tierOf = async (customerId: number) => (await prisma.customer.findUniqueOrThrow({ where: { id: customerId }, select: { tier: { select: { name: true } }, tierGraceUntil: true } }));
const changesOf = (customerId: number) => prisma.tierChange.findMany({ where: { customerId }, orderBy: { id: "asc" } });

function configOf(setup: Setup, patch: Partial<TierConfigInput> = {}, tierPatch: (tiers: TierConfigInput["tiers"]) => TierConfigInput["tiers"] = (t) => t): TierConfigInput {
  const { bronze, silver, gold } = setup.tiers;
  const base = [
    { id: bronze.id, name: "Bronze", description: "", minSpend: 0, minPoints: 0, multiplier: 1, freeShipping: false, earlyAccessHours: 0, birthdayGiftPoints: 0 },
    { id: silver.id, name: "Silver", description: "", minSpend: 500, minPoints: 500, multiplier: 1.25, freeShipping: false, earlyAccessHours: 0, birthdayGiftPoints: 0 },
    { id: gold.id, name: "Gold", description: "", minSpend: 1500, minPoints: 1500, multiplier: 1.5, freeShipping: true, earlyAccessHours: 24, birthdayGiftPoints: 0 },
  ];
  return { basis: "SPEND", window: "ROLLING_12_MONTHS", graceDays: 30, ...patch, tiers: tierPatch(base) };
}

describe("orders", () => {
  test("an order that crosses a threshold moves the member up at once, with the reason and a tier.changed event", async () => {
    const setup = await createProgram();
    const customer = await member(setup);
    const now = new Date();
    const first = await order(setup, customer, 100, addDays(now, -2));
    expect(first.tier).toBe("Bronze");
    const second = await order(setup, customer, 450, addDays(now, -1));
    expect(second.tier).toBe("Silver");
    const changes = await changesOf(customer.id);
    expect(changes.map((c) => [c.fromTier, c.toTier, c.reason])).toEqual([[null, "Bronze", "qualified"], ["Bronze", "Silver", "qualified"]]);
    expect(changes[1].detail).toMatchObject({ amount: 55_000, basis: "SPEND", window: "ROLLING_12_MONTHS" });
    const events = await prisma.webhookEvent.findMany({ where: { programId: setup.program.id, type: "tier.changed" }, orderBy: { id: "asc" } });
    expect(events.at(-1)?.payload).toMatchObject({ customerId: customer.id, fromTier: "Bronze", tier: "Silver", reason: "qualified" });
    // the Silver multiplier (x1.25) applies from the next order on
    expect((await order(setup, customer, 100, now)).pointsEarned).toBe(125);
  });

  test("spend in the window beyond the int range ($21.47M): orders still record, the tier, review, preview and overview still read", async () => {
    const setup = await createProgram();
    const customer = await member(setup);
    const now = new Date();
    // three orders of $9M (the most one order may be is $10M): 2.7 billion cents in 12 months
    for (const days of [3, 2, 1]) expect((await order(setup, customer, 9_000_000, addDays(now, -days))).tier).toBe("Gold");
    const { policy } = await loadTierSetup(prisma, setup.program.id);
    const [{ amount }] = await prisma.$queryRaw<{ amount: number }[]>`SELECT ${qualifyingAmountSql(policy, now)} AS "amount" FROM "Customer" c WHERE c."id" = ${customer.id}`;
    expect(amount).toBe(2_147_483_647); // capped: no threshold can be higher
    await reviewTiers({ programId: setup.program.id, at: now });
    expect((await tierOf(customer.id)).tier?.name).toBe("Gold");
    const preview = await previewTierConfig({ programId: setup.program.id, input: configOf(setup), at: now });
    expect(preview.unchanged).toBeGreaterThan(0);
    const overview = await getMemberOverview(customer.id, now);
    expect(overview.outlook.amount).toBe(2_700_000_000); // the member's own page sums in full
    // a spend challenge's progress reads too (capped like the tier amount: no target is higher)
    const [{ spend }] = await prisma.$queryRaw<{ spend: number }[]>`SELECT ${metricSql({ metric: "SPEND", startsAt: null, windowDays: null }, now)} AS "spend" FROM "Customer" c WHERE c."id" = ${customer.id}`;
    expect(spend).toBe(2_147_483_647);
  });

  test("an order never moves a member down, even below the threshold", async () => {
    const setup = await createProgram();
    const customer = await member(setup);
    await prisma.customer.update({ where: { id: customer.id }, data: { tierId: setup.tiers.gold.id } });
    const result = await order(setup, customer, 10, new Date());
    expect(result.tier).toBe("Gold");
    expect((await tierOf(customer.id)).tier?.name).toBe("Gold");
  });

  test("basis POINTS: points earned on purchases, net of returns, decide the tier", async () => {
    const setup = await createProgram();
    await prisma.program.update({ where: { id: setup.program.id }, data: { tierBasis: "POINTS" } });
    await prisma.tier.update({ where: { id: setup.tiers.silver.id }, data: { minPoints: 300 } });
    await prisma.tier.update({ where: { id: setup.tiers.gold.id }, data: { minPoints: 1_500 } });
    invalidateEarningConfig(setup.program.id);
    const customer = await member(setup);
    const placed = await order(setup, customer, 200, addDays(new Date(), -3), "points-1");
    expect(placed.tier).toBe("Bronze"); // 200 points < 300
    expect((await order(setup, customer, 150, addDays(new Date(), -2))).tier).toBe("Silver"); // 350 points
    // returning the first order: 150 points left, below Silver; with no grace the job moves down
    await recordReturn({ programId: setup.program.id, orderExternalId: "points-1", returnExternalId: "r1", lines: [{ sku: "X", quantity: 1 }] });
    await prisma.program.update({ where: { id: setup.program.id }, data: { tierGraceDays: 0 } });
    await reviewTiers({ programId: setup.program.id });
    expect((await tierOf(customer.id)).tier?.name).toBe("Bronze");
    expect((await changesOf(customer.id)).at(-1)).toMatchObject({ reason: "below_threshold", detail: { amount: 150, basis: "POINTS" } });
  });

  test("calendar year: last year's spend holds the tier through this year", async () => {
    const setup = await createProgram();
    await prisma.program.update({ where: { id: setup.program.id }, data: { tierWindow: "CALENDAR_YEAR", tierGraceDays: 0 } });
    invalidateEarningConfig(setup.program.id);
    const customer = await member(setup);
    const year = new Date().getUTCFullYear();
    await order(setup, customer, 600, new Date(Date.UTC(year - 1, 1, 1)));
    await order(setup, customer, 20, new Date(Date.UTC(year, 0, 2)));
    await reviewTiers({ programId: setup.program.id });
    expect((await tierOf(customer.id)).tier?.name).toBe("Silver");
    // two years on, nothing counts any more
    await reviewTiers({ programId: setup.program.id, at: new Date(Date.UTC(year + 1, 5, 1)) });
    expect((await tierOf(customer.id)).tier?.name).toBe("Bronze");
  });
});

describe("the review job", () => {
  test("below the tier: grace starts, then the member moves down once it is over, exactly once when run concurrently", async () => {
    const setup = await createProgram();
    const customer = await member(setup);
    const start = new Date();
    await order(setup, customer, 600, addMonths(start, -11)); // Silver now, leaves the window in a month
    expect((await tierOf(customer.id)).tier?.name).toBe("Silver");

    const later = addMonths(start, 1);
    const review = () => reviewTiers({ programId: setup.program.id, at: later });
    const [a, b] = await Promise.all([review(), review()]);
    expect(a.graceStarted + b.graceStarted).toBe(1);
    const inGrace = await tierOf(customer.id);
    expect(inGrace.tier?.name).toBe("Silver");
    expect(inGrace.tierGraceUntil?.toISOString()).toBe(addDays(later, 30).toISOString());

    // the member sees it
    const overview = await getMemberOverview(customer.id, addDays(later, 1));
    expect(overview.outlook.keep).toMatchObject({ kind: "grace", remaining: 50_000 });

    await reviewTiers({ programId: setup.program.id, at: addDays(later, 29) });
    expect((await tierOf(customer.id)).tier?.name).toBe("Silver");
    const over = addDays(later, 31);
    // the job (every program) racing a program's own review
    await Promise.all([runReviewTiers(over), reviewTiers({ programId: setup.program.id, at: over }), reviewTiers({ programId: setup.program.id, at: over })]);
    expect((await tierOf(customer.id)).tier?.name).toBe("Bronze");
    const changes = await changesOf(customer.id);
    expect(changes.filter((c) => c.reason === "grace_expired")).toHaveLength(1);
    expect(await prisma.webhookEvent.count({ where: { programId: setup.program.id, type: "tier.changed", payload: { path: ["reason"], equals: "grace_expired" } } })).toBe(1);
  });

  test("an order during the grace period that restores the spend keeps the tier for good", async () => {
    const setup = await createProgram();
    const customer = await member(setup);
    await order(setup, customer, 600, addMonths(new Date(), -13));
    await prisma.customer.update({ where: { id: customer.id }, data: { tierId: setup.tiers.silver.id } });
    await reviewTiers({ programId: setup.program.id });
    expect((await tierOf(customer.id)).tierGraceUntil).not.toBeNull();
    await order(setup, customer, 500, new Date());
    const after = await tierOf(customer.id);
    expect(after.tier?.name).toBe("Silver");
    expect(after.tierGraceUntil).toBeNull();
  });

  test("at the top tier (where an order reads no window sum): orders change nothing; in a grace period the sum counts again, and an order that restores the spend ends it", async () => {
    const setup = await createProgram();
    const top = await member(setup);
    await prisma.customer.update({ where: { id: top.id }, data: { tierId: setup.tiers.gold.id } });
    const changesBefore = (await changesOf(top.id)).length;
    await order(setup, top, 2000, new Date());
    await order(setup, top, 10, new Date());
    expect(await tierOf(top.id)).toMatchObject({ tier: { name: "Gold" }, tierGraceUntil: null });
    expect(await changesOf(top.id)).toHaveLength(changesBefore);

    const lapsed = await member(setup);
    await order(setup, lapsed, 1600, addMonths(new Date(), -13));
    await prisma.customer.update({ where: { id: lapsed.id }, data: { tierId: setup.tiers.gold.id } });
    await reviewTiers({ programId: setup.program.id });
    expect((await tierOf(lapsed.id)).tierGraceUntil).not.toBeNull();
    await order(setup, lapsed, 1000, new Date()); // $1,000 in the window: still below Gold's $1,500
    expect((await tierOf(lapsed.id)).tierGraceUntil).not.toBeNull();
    await order(setup, lapsed, 600, new Date()); // $1,600: back above it
    expect(await tierOf(lapsed.id)).toMatchObject({ tier: { name: "Gold" }, tierGraceUntil: null });
  });

  test("a VIP floor lifts the member at once and holds them there", async () => {
    const setup = await createProgram();
    const marketer = await staffUser();
    const customer = await member(setup);
    await order(setup, customer, 10, new Date());
    await setTierFloor({ programId: setup.program.id, actorUserId: marketer.id, input: { customerId: customer.id, tierId: setup.tiers.gold.id, note: "press" } });
    expect((await tierOf(customer.id)).tier?.name).toBe("Gold");
    expect((await changesOf(customer.id)).at(-1)).toMatchObject({ reason: "floor", actorUserId: marketer.id, toTier: "Gold" });
    await prisma.program.update({ where: { id: setup.program.id }, data: { tierGraceDays: 0 } });
    await reviewTiers({ programId: setup.program.id });
    expect((await tierOf(customer.id)).tier?.name).toBe("Gold");
    expect((await getMemberOverview(customer.id)).outlook.keep).toEqual({ kind: "floor" });
    // removing the floor: below Gold with no grace -> down at once
    await setTierFloor({ programId: setup.program.id, actorUserId: marketer.id, input: { customerId: customer.id, tierId: null, note: "" } });
    expect((await tierOf(customer.id)).tier?.name).toBe("Bronze");
    expect(await prisma.auditLog.count({ where: { targetType: "customer", targetId: String(customer.id), action: { in: ["tier.floor_set", "tier.floor_removed"] } } })).toBe(2);
    // another program's member or tier: refused, nothing changed
    const other = await createProgram();
    await expect(setTierFloor({ programId: other.program.id, actorUserId: marketer.id, input: { customerId: customer.id, tierId: null, note: "" } })).rejects.toMatchObject({ code: "MEMBER_NOT_FOUND" });
    await expect(setTierFloor({ programId: setup.program.id, actorUserId: marketer.id, input: { customerId: customer.id, tierId: other.tiers.gold.id, note: "" } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).tierFloorId).toBeNull();
  });

  test("birthday: the member's tier adds its gift to the birthday bonus", async () => {
    const setup = await createProgram();
    await prisma.earnRule.create({ data: { programId: setup.program.id, kind: "BIRTHDAY", name: "Birthday", config: { points: 100, limit: 1, period: "year" } } });
    await prisma.tier.update({ where: { id: setup.tiers.gold.id }, data: { birthdayGiftPoints: 400 } });
    invalidateEarningConfig(setup.program.id);
    const at = new Date();
    const gold = await member(setup);
    const bronze = await member(setup);
    await prisma.customer.update({ where: { id: gold.id }, data: { tierId: setup.tiers.gold.id, birthday: at } });
    await prisma.customer.update({ where: { id: bronze.id }, data: { tierId: setup.tiers.bronze.id, birthday: at } });
    await runBirthdayAwards(at);
    await runBirthdayAwards(at);
    const paid = async (customerId: number) => (await prisma.ledgerTransaction.findMany({ where: { customerId, source: "birthday" }, select: { points: true } })).map((t) => t.points);
    expect(await paid(gold.id)).toEqual([500]);
    expect(await paid(bronze.id)).toEqual([100]);
  });
});

describe("configuration changes", () => {
  test("the preview counts exactly the moves the save then makes", async () => {
    const setup = await createProgram();
    const marketer = await staffUser();
    const now = new Date();
    const spends = [100, 600, 900, 2_000, 5_000];
    const customers = [];
    for (const dollars of spends) {
      const customer = await member(setup);
      await order(setup, customer, dollars, addDays(now, -5));
      customers.push(customer);
    }
    // Silver now asks for 1,000 (600 and 900 fall below), a new Platinum at 3,000 (5,000 rises)
    const input = configOf(setup, {}, (tiers) => [
      tiers[0],
      { ...tiers[1], minSpend: 1000 },
      tiers[2],
      { name: "Platinum", description: "", minSpend: 3000, minPoints: 3000, multiplier: 2, freeShipping: true, earlyAccessHours: 48, birthdayGiftPoints: 500 },
    ]);
    const preview = await previewTierConfig({ programId: setup.program.id, input });
    expect(preview).toMatchObject({ up: 1, down: 2, unchanged: 2, members: 5 });
    expect(preview.byTier.map((row) => [preview.names[String(row.tierId)] ?? null, row.before, row.after])).toEqual([
      ["Bronze", 1, 3], ["Silver", 2, 0], ["Gold", 2, 1], ["Platinum", 0, 1], [null, 0, 0],
    ]);
    // the preview wrote nothing
    expect(await prisma.tier.count({ where: { programId: setup.program.id } })).toBe(3);

    const saved = await saveTierConfig({ programId: setup.program.id, actorUserId: marketer.id, input });
    expect(saved).toMatchObject({ reviewed: 5, moved: 1, up: 1, down: 0, graceStarted: 2 });
    const platinum = await prisma.tier.findFirstOrThrow({ where: { programId: setup.program.id, name: "Platinum" } });
    expect(platinum.rank).toBe(4);
    expect((await tierOf(customers[4].id)).tier?.name).toBe("Platinum");
    expect((await changesOf(customers[4].id)).at(-1)).toMatchObject({ reason: "config_change", actorUserId: marketer.id });
    expect((await tierOf(customers[1].id)).tierGraceUntil).not.toBeNull();
    // the multipliers are a new version of the spend rule, so earlier orders keep theirs
    const rule = await prisma.earnRule.findFirstOrThrow({ where: { programId: setup.program.id, kind: "SPEND" } });
    expect(saved.spendRuleVersion).toBe(rule.version);
    expect(rule.tierMultipliers).toMatchObject({ [platinum.id]: 20_000, [setup.tiers.silver.id]: 12_500 });
    expect(await prisma.earnRuleVersion.count({ where: { ruleId: rule.id, version: rule.version } })).toBe(1);
    expect(await prisma.auditLog.count({ where: { action: "tiers.updated", targetId: String(setup.program.id) } })).toBe(1);
    // Platinum's x2 applies to the next order
    expect((await order(setup, customers[4], 100, now)).pointsEarned).toBe(200);
  });

  test("removing a tier re-places its members and drops it from tier-exclusive rewards", async () => {
    const setup = await createProgram();
    const marketer = await staffUser();
    const customer = await member(setup);
    await order(setup, customer, 2_000, new Date());
    expect((await tierOf(customer.id)).tier?.name).toBe("Gold");
    const reward = await createReward(setup.program.id, { costPoints: 10 });
    await prisma.reward.update({ where: { id: reward.id }, data: { tierIds: [setup.tiers.silver.id, setup.tiers.gold.id] } });
    await saveTierConfig({ programId: setup.program.id, actorUserId: marketer.id, input: configOf(setup, {}, (tiers) => [tiers[0], tiers[1]]) });
    expect((await tierOf(customer.id)).tier?.name).toBe("Silver");
    expect((await changesOf(customer.id)).at(-1)).toMatchObject({ fromTier: null, toTier: "Silver", reason: "config_change" });
    expect((await prisma.reward.findUniqueOrThrow({ where: { id: reward.id } })).tierIds).toEqual([setup.tiers.silver.id]);
    expect(await prisma.tier.count({ where: { programId: setup.program.id } })).toBe(2);
  });

  test("removing the only tier of a tier-exclusive reward withdraws the reward instead of opening it to every member", async () => {
    const setup = await createProgram();
    const marketer = await staffUser();
    const customer = await member(setup);
    await order(setup, customer, 2_000, new Date());
    const goldOnly = await createReward(setup.program.id, { costPoints: 10 });
    await prisma.reward.update({ where: { id: goldOnly.id }, data: { tierIds: [setup.tiers.gold.id] } });
    const open = await createReward(setup.program.id, { costPoints: 10 });
    const saved = await saveTierConfig({ programId: setup.program.id, actorUserId: marketer.id, input: configOf(setup, {}, (tiers) => [tiers[0], tiers[1]]) });
    expect(saved.withdrawnRewards).toEqual([{ id: goldOnly.id, name: goldOnly.name }]);
    expect(await prisma.reward.findUniqueOrThrow({ where: { id: goldOnly.id } })).toMatchObject({ isActive: false, tierIds: [] });
    // the silver member (formerly gold) cannot redeem it; a reward for everyone is untouched
    await expect(redeemReward({ programId: setup.program.id, customerId: customer.id, rewardId: goldOnly.id, idempotencyKey: uniqueId("k"), source: "api" })).rejects.toMatchObject({ code: "REWARD_INACTIVE" });
    expect(await prisma.reward.findUniqueOrThrow({ where: { id: open.id } })).toMatchObject({ isActive: true, tierIds: [] });
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: "tiers.updated", targetId: String(setup.program.id) }, orderBy: { id: "desc" } });
    expect(JSON.stringify(audit.data)).toContain(goldOnly.name);
  });

  test("another program's tier id is refused and nothing is saved", async () => {
    const setup = await createProgram();
    const other = await createProgram();
    const marketer = await staffUser();
    const input = configOf(setup, {}, (tiers) => [tiers[0], { ...tiers[1], id: other.tiers.silver.id }]);
    await expect(saveTierConfig({ programId: setup.program.id, actorUserId: marketer.id, input })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(previewTierConfig({ programId: setup.program.id, input })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await prisma.tier.count({ where: { programId: setup.program.id } })).toBe(3);
    expect((await prisma.tier.findUniqueOrThrow({ where: { id: other.tiers.silver.id } })).programId).toBe(other.program.id);
  });
});

describe("the preview at scale is the per-member preview", () => {
  test("grouped in SQL by floor and thresholds reached, it counts exactly what placing every member one by one counts", async () => {
    const setup = await createProgram();
    const { bronze, silver, gold } = setup.tiers;
    const at = new Date("2026-11-30T12:00:00Z");
    // 40 members: orders over the last two years (rolling and calendar windows see different
    // ones), some returned in part, points earned; some with a VIP floor; a few with nothing
    const floors = [null, null, null, bronze.id, silver.id, gold.id];
    const rows = [];
    for (let index = 0; index < 40; index += 1) {
      const customer = await member(setup);
      if (index % 7 === 3) await prisma.customer.update({ where: { id: customer.id }, data: { tierFloorId: floors[index % floors.length] } });
      for (let n = 0; n < index % 6; n += 1) {
        const totalCents = ((index * 7919 + n * 104_729) % 160_000) + 1_000;
        rows.push({
          programId: setup.program.id, externalId: uniqueId("o"), customerId: customer.id, currency: "USD", totalCents,
          returnedCents: n === 2 ? Math.floor(totalCents / 3) : 0, pointsEarned: Math.floor(totalCents / 100),
          placedAt: new Date(at.getTime() - ((index * 31 + n * 97) % 700) * 86_400_000), isMemberOrder: true,
        });
      }
    }
    await prisma.order.createMany({ data: rows });
    const configs: TierConfigInput[] = [
      configOf(setup),
      configOf(setup, { basis: "POINTS" }),
      configOf(setup, { window: "CALENDAR_YEAR" }),
      configOf(setup, { basis: "POINTS", window: "CALENDAR_YEAR" }, (tiers) => [tiers[0], { ...tiers[2], minSpend: 900, minPoints: 900 }]),
      configOf(setup, {}, (tiers) => [{ ...tiers[0], minSpend: 250 }, { ...tiers[1], minSpend: 700 }, tiers[2], { ...tiers[2], id: undefined, name: "Platinum", minSpend: 1_400, minPoints: 1_400 }]),
      configOf(setup, {}, () => []),
    ];
    const current = await loadTierSetup(prisma, setup.program.id);
    for (const input of configs) {
      const preview = await previewTierConfig({ programId: setup.program.id, input, at });
      const policy = { basis: input.basis, window: input.window, graceDays: input.graceDays };
      const members = await prisma.$queryRaw<{ floorTierId: number | null; amountBefore: number; amountAfter: number }[]>`
        SELECT c."tierFloorId" AS "floorTierId", ${qualifyingAmountSql(current.policy, at)} AS "amountBefore", ${qualifyingAmountSql(policy, at)} AS "amountAfter"
        FROM "Customer" c WHERE c."programId" = ${setup.program.id} AND c."enrolledAt" IS NOT NULL`;
      const after = proposedTiers(input);
      const oneByOne = previewTierMoves({ members, before: current.tiers, after, policyBefore: current.policy, policyAfter: policy });
      expect(preview.members).toBe(40);
      expect({ up: preview.up, down: preview.down, unchanged: preview.unchanged, byTier: preview.byTier }, JSON.stringify(policy)).toEqual(oneByOne);
    }
    // a configuration that moves people, so the comparison above is not all "unchanged"
    const moving = await previewTierConfig({ programId: setup.program.id, input: configs[4], at });
    expect(moving.up + moving.down).toBeGreaterThan(0);
  });
});
