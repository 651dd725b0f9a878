import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { prisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import { previewTierMoves, tierThreshold, type TierBasis, type TierDef, type TierMoves, type TierPolicy } from "@/lib/domain/tiers";
import type { SetTierFloorInput, TierConfigInput } from "@/lib/validations/console";
import { writeAudit } from "./audit";
import { invalidateEarningConfig } from "./earning-config";
import { writeVersion } from "./save-earn-rule";
import { loadTierSetup, qualifyingAmountSql, qualifyingAmountsSql, reviewTiers, type TierReviewResult } from "./tiers";

/**
 * amountsAsOf: when members' amounts were computed, if the preview read the last full tier
 * review's (TierAmount; members without one are computed now); null when all were computed now.
 */
export type TierPreview = TierMoves & { names: Record<string, string>; graceDays: number; members: number; amountsAsOf: Date | null };

/** How old the last full review's amounts may be for the preview to read them (it runs nightly). */
const KEPT_AMOUNTS_MAX_AGE_MS = 36 * 3_600_000;

function policyOf(input: TierConfigInput): TierPolicy {
  return { basis: input.basis, window: input.window, graceDays: input.graceDays };
}

/** The proposed tiers as TierDefs; tiers not saved yet get negative ids. */
export function proposedTiers(input: TierConfigInput): TierDef[] {
  return input.tiers.map((tier, index) => ({
    id: tier.id ?? -(index + 1),
    name: tier.name,
    rank: index + 1,
    minSpendCents: Math.round(tier.minSpend * 100),
    minPoints: tier.minPoints,
  }));
}

async function assertOwnTiers(programId: number, input: TierConfigInput) {
  const existing = await prisma.tier.findMany({ where: { programId }, select: { id: true } });
  const own = new Set(existing.map((tier) => tier.id));
  if (input.tiers.some((tier) => tier.id !== undefined && !own.has(tier.id))) throw new AppError("NOT_FOUND", "tier not found");
}

/** The distinct thresholds of the tiers, ascending: which of them an amount reaches decides its tier. */
function thresholds(tiers: TierDef[], basis: TierBasis) {
  return [...new Set(tiers.map((tier) => tierThreshold({ tier, basis })))].sort((a, b) => a - b);
}

/** How many of the ascending thresholds the amount reaches (width_bucket), as SQL; nothing to group by without tiers. */
function reached(amount: Prisma.Sql, list: number[]) {
  return list.length > 0 ? [Prisma.sql`width_bucket(${amount}, ${list}::int[])`] : [];
}

/**
 * How many members a tier configuration would move up or down, before it is saved: every
 * member's qualifying amount under the proposed basis and window, placed with the proposed
 * thresholds (and their VIP floors). Nothing is written.
 *
 * Set-based for large programs (issue 12): the amounts come from one pass over the window's
 * orders, and members are grouped in SQL by their floor and by how many thresholds they reach
 * before and after, which is all their placement depends on; each group is placed once with
 * its member count.
 */
export async function previewTierConfig({ programId, input, at = new Date() }: { programId: number; input: TierConfigInput; at?: Date }): Promise<TierPreview> {
  await assertOwnTiers(programId, input);
  const before = await loadTierSetup(prisma, programId);
  const after = proposedTiers(input);
  const policy = policyOf(input);
  const samePolicy = before.policy.basis === policy.basis && before.policy.window === policy.window;
  const kept = samePolicy ? await keptAmounts(programId, before.policy, at) : null;
  const groupBy = (amountBefore: Prisma.Sql, amountAfter: Prisma.Sql) => Prisma.join([
    Prisma.sql`"floorTierId"`,
    ...reached(amountBefore, thresholds(before.tiers, before.policy.basis)),
    ...reached(amountAfter, thresholds(after, policy.basis)),
  ]);
  type Group = { floorTierId: number | null; amountBefore: number; amountAfter: number; count: number };
  const groups = kept
    // the last full review's amounts and floors, except members whose row changed since it
    // started (joined, floor set, moved): those few are read and computed now
    ? await prisma.$queryRaw<Group[]>`
        WITH touched AS (
          SELECT c."id", c."tierFloorId", c."enrolledAt" FROM "Customer" c
          WHERE c."programId" = ${programId} AND c."updatedAt" >= ${kept.startedAt}::timestamp),
        m AS (
          SELECT k."floorTierId", k."amount" FROM "TierAmount" k
          WHERE k."programId" = ${programId} AND NOT EXISTS (SELECT 1 FROM touched t WHERE t."id" = k."customerId")
          UNION ALL
          SELECT c."tierFloorId", ${qualifyingAmountSql(before.policy, at)} FROM touched c WHERE c."enrolledAt" IS NOT NULL)
        SELECT "floorTierId", MIN("amount")::int AS "amountBefore", MIN("amount")::int AS "amountAfter", COUNT(*)::int AS "count"
        FROM m
        GROUP BY ${groupBy(Prisma.sql`"amount"`, Prisma.sql`"amount"`)}`
    // every amount from one pass over the window's orders (two, when the policy changes)
    : await prisma.$queryRaw<Group[]>`
        WITH m AS (
          SELECT c."tierFloorId" AS "floorTierId", COALESCE(b."amount", 0) AS "amountBefore", ${samePolicy ? Prisma.sql`COALESCE(b."amount", 0)` : Prisma.sql`COALESCE(a."amount", 0)`} AS "amountAfter"
          FROM "Customer" c
          LEFT JOIN (${qualifyingAmountsSql(programId, before.policy, at)}) b ON b."customerId" = c."id"
          ${samePolicy ? Prisma.empty : Prisma.sql`LEFT JOIN (${qualifyingAmountsSql(programId, policy, at)}) a ON a."customerId" = c."id"`}
          WHERE c."programId" = ${programId} AND c."enrolledAt" IS NOT NULL)
        SELECT "floorTierId", MIN("amountBefore")::int AS "amountBefore", MIN("amountAfter")::int AS "amountAfter", COUNT(*)::int AS "count"
        FROM m
        GROUP BY ${groupBy(Prisma.sql`"amountBefore"`, Prisma.sql`"amountAfter"`)}`;
  const moves = previewTierMoves({ members: groups, before: before.tiers, after, policyBefore: before.policy, policyAfter: policy });
  const names = Object.fromEntries([...before.tiers, ...after].map((tier) => [String(tier.id), tier.name]));
  return { ...moves, names, graceDays: input.graceDays, members: groups.reduce((sum, group) => sum + group.count, 0), amountsAsOf: kept?.at ?? null };
}

/** The last full tier review's run, if its amounts can serve a preview on `at` under `policy`. */
async function keptAmounts(programId: number, policy: TierPolicy, at: Date): Promise<{ at: Date; startedAt: Date } | null> {
  const run = await prisma.tierAmountRun.findUnique({ where: { programId } });
  if (!run || run.basis !== policy.basis || run.window !== policy.window) return null;
  const age = at.getTime() - run.at.getTime();
  return age >= 0 && age <= KEPT_AMOUNTS_MAX_AGE_MS ? { at: run.at, startedAt: run.startedAt } : null;
}

/**
 * Saves the tier policy and tiers (new, changed, removed; the list order is the ranking), the
 * tier multipliers as a new version of the spend rule, then re-places members: upgrades at once,
 * downgrades through the grace period, each move recorded with reason config_change.
 */
export async function saveTierConfig({ programId, actorUserId, input }: { programId: number; actorUserId: number; input: TierConfigInput }): Promise<TierReviewResult & { spendRuleVersion: number | null; withdrawnRewards: { id: number; name: string }[] }> {
  await assertOwnTiers(programId, input);
  const withdrawnRewards: { id: number; name: string }[] = [];
  const spendRuleVersion = await prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "Program" WHERE "id" = ${programId} FOR UPDATE`;
    const before = await tx.tier.findMany({ where: { programId }, orderBy: { rank: "asc" } });
    await tx.program.update({ where: { id: programId }, data: { tierBasis: input.basis, tierWindow: input.window, tierGraceDays: input.graceDays } });

    const keptIds = new Set(input.tiers.flatMap((tier) => (tier.id ? [tier.id] : [])));
    const removed = before.filter((tier) => !keptIds.has(tier.id)).map((tier) => tier.id);
    if (removed.length > 0) {
      // members of a removed tier are re-placed by the review below
      await tx.$executeRaw`UPDATE "Customer" SET "tierId" = NULL, "tierGraceUntil" = NULL WHERE "tierId" = ANY(${removed}::int[])`;
      await tx.$executeRaw`UPDATE "Customer" SET "tierFloorId" = NULL WHERE "tierFloorId" = ANY(${removed}::int[])`;
      // A reward only for removed tiers must not become a reward for everyone (an empty tier list
      // means "every member"): it is withdrawn (inactive) instead, and the page says which.
      const exclusive = await tx.$queryRaw<{ id: number; name: string }[]>`
        UPDATE "Reward" SET "isActive" = FALSE, "tierIds" = '{}'
        WHERE "programId" = ${programId} AND cardinality("tierIds") > 0 AND "tierIds" <@ ${removed}::int[]
        RETURNING "id", "name"`;
      withdrawnRewards.push(...exclusive);
      await tx.$executeRaw`
        UPDATE "Reward" SET "tierIds" = ARRAY(SELECT t FROM unnest("tierIds") AS t WHERE NOT (t = ANY(${removed}::int[])))
        WHERE "programId" = ${programId} AND "tierIds" && ${removed}::int[]`;
      await tx.tier.deleteMany({ where: { id: { in: removed }, programId } });
    }
    // ranks are unique per program: move the kept ones out of the way first
    await tx.$executeRaw`UPDATE "Tier" SET "rank" = "rank" + 1000 WHERE "programId" = ${programId}`;
    const multipliers: Record<string, number> = {};
    for (const [index, tier] of input.tiers.entries()) {
      const data = {
        name: tier.name,
        description: tier.description,
        rank: index + 1,
        minSpendCents: Math.round(tier.minSpend * 100),
        minPoints: tier.minPoints,
        freeShipping: tier.freeShipping,
        earlyAccessHours: tier.earlyAccessHours,
        birthdayGiftPoints: tier.birthdayGiftPoints,
      };
      const id = tier.id
        ? (await tx.tier.update({ where: { id: tier.id }, data, select: { id: true } })).id
        : (await tx.tier.create({ data: { ...data, programId }, select: { id: true } })).id;
      const bps = Math.round(tier.multiplier * 10_000);
      if (bps !== 10_000) multipliers[String(id)] = bps;
    }

    let version: number | null = null;
    const spend = await tx.earnRule.findFirst({ where: { programId, kind: "SPEND" }, select: { id: true, version: true, tierMultipliers: true } });
    if (spend) {
      const current = (spend.tierMultipliers ?? {}) as Record<string, number>;
      const same = JSON.stringify(Object.entries(current).sort()) === JSON.stringify(Object.entries(multipliers).sort());
      if (!same) {
        await tx.earnRule.update({ where: { id: spend.id }, data: { tierMultipliers: multipliers, version: { increment: 1 } } });
        version = (await writeVersion(tx, spend.id, actorUserId, "earn_rule.updated")).version;
      } else version = spend.version;
    }
    await writeAudit(tx, {
      actorUserId,
      action: "tiers.updated",
      targetType: "program",
      targetId: programId,
      data: { before: before.map(({ id, name, rank, minSpendCents, minPoints }) => ({ id, name, rank, minSpendCents, minPoints })), after: input, removed, withdrawnRewards },
    });
    return version;
  });
  invalidateEarningConfig(programId);
  const review = await reviewTiers({ programId, reason: "config_change", actorUserId });
  return { ...review, spendRuleVersion, withdrawnRewards };
}

/** Sets or clears a member's VIP floor (never below this tier); the member is re-placed at once. */
export async function setTierFloor({ programId, actorUserId, input }: { programId: number; actorUserId: number; input: SetTierFloorInput }) {
  await prisma.$transaction(async (tx) => {
    const customer = await tx.customer.findFirst({ where: { id: input.customerId, programId, enrolledAt: { not: null } }, select: { id: true, tierFloorId: true } });
    if (!customer) throw new AppError("MEMBER_NOT_FOUND");
    if (input.tierId !== null && !(await tx.tier.findFirst({ where: { id: input.tierId, programId }, select: { id: true } }))) throw new AppError("NOT_FOUND", "tier not found");
    await tx.customer.update({ where: { id: customer.id }, data: { tierFloorId: input.tierId, tierFloorNote: input.tierId ? input.note || null : null } });
    await writeAudit(tx, {
      actorUserId,
      action: input.tierId ? "tier.floor_set" : "tier.floor_removed",
      targetType: "customer",
      targetId: customer.id,
      data: { from: customer.tierFloorId, to: input.tierId, note: input.note },
    });
  });
  return reviewTiers({ programId, customerIds: [input.customerId], reason: input.tierId ? "floor" : "floor_removed", actorUserId });
}
