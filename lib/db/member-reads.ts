import "server-only";
import { cache } from "react";
import { isRuleActive } from "@/lib/domain/earn-points";
import { parseActionConfig, type ActionConfig, type ActionKind } from "@/lib/domain/earn-rules";
import { tierOutlook, windowStart, type Contribution } from "@/lib/domain/tiers";
import { loadTierSetup, orderAmountSql } from "@/lib/services/tiers";
import { getMemberPoints } from "./member-points";
import { prisma } from "./prisma";

export type ActivityItem = {
  id: number;
  kind: "EARN" | "BONUS" | "REDEEM" | "RETURN" | "EXPIRE" | "ADJUST";
  reason: string;
  note: string | null;
  points: number;
  createdAt: Date;
  availableAt: Date | null;
  debtRepaid: number;
  ruleName: string | null;
  ruleVersion: number | null;
};

/**
 * The member's ledger history, newest first; every line carries its reason. The page of
 * transactions is picked first (an index range on (customerId, createdAt, id)), then only those
 * rows are summed and looked up, so a page costs the same however long the history is.
 */
export async function getMemberActivity(customerId: number, { limit = 20, offset = 0 } = {}): Promise<ActivityItem[]> {
  return prisma.$queryRaw<ActivityItem[]>`
    SELECT t."id", t."kind"::text AS "kind", t."reason", t."note", t."createdAt", s."points", s."debtRepaid",
      (SELECT MIN(l."availableAt") FROM "PointLot" l WHERE l."transactionId" = t."id") AS "availableAt",
      (SELECT r."name" FROM "EarnRule" r WHERE r."id" = t."ruleId") AS "ruleName", t."ruleVersion"
    FROM (
      SELECT "id", "kind", "reason", "note", "createdAt", "ruleId", "ruleVersion" FROM "LedgerTransaction"
      WHERE "customerId" = ${customerId}
      ORDER BY "createdAt" DESC, "id" DESC
      LIMIT ${limit} OFFSET ${offset}
    ) t
    CROSS JOIN LATERAL (
      SELECT COALESCE(SUM(e."amount") FILTER (WHERE a."kind" = 'MEMBER'), 0)::int AS "points",
        COALESCE(SUM(e."amount") FILTER (WHERE a."kind" = 'CLAWBACK' AND t."kind" IN ('EARN', 'BONUS')), 0)::int AS "debtRepaid"
      FROM "LedgerEntry" e JOIN "LedgerAccount" a ON a."id" = e."accountId"
      WHERE e."transactionId" = t."id"
    ) s
    ORDER BY t."createdAt" DESC, t."id" DESC`;
}

export const getMemberOverview = cache(async (customerId: number, at: Date = new Date()) => {
  const customer = await prisma.customer.findUniqueOrThrow({
    where: { id: customerId },
    select: {
      id: true, name: true, email: true, externalId: true, enrolledAt: true, programId: true, tierFloorId: true, tierGraceUntil: true,
      tier: { select: { id: true, name: true } },
    },
  });
  const [points, setup, rule, exclusiveRewards] = await Promise.all([
    getMemberPoints(customerId),
    loadTierSetup(prisma, customer.programId),
    prisma.earnRule.findFirst({ where: { programId: customer.programId, kind: "SPEND" }, select: { tierMultipliers: true } }),
    prisma.reward.findMany({ where: { programId: customer.programId, isActive: true, NOT: { tierIds: { isEmpty: true } } }, select: { tierIds: true } }),
  ]);
  const amount = orderAmountSql(setup.policy);
  const contributions = await prisma.$queryRaw<Contribution[]>`
    SELECT o."placedAt" AS "at", ${amount}::int AS "amount" FROM "Order" o
    WHERE o."customerId" = ${customerId} AND o."placedAt" >= ${windowStart({ window: setup.policy.window, at })} AND o."placedAt" <= ${at}`;
  const multipliers = (rule?.tierMultipliers ?? {}) as Record<string, number>;
  const outlook = tierOutlook({
    tiers: setup.tiers,
    policy: setup.policy,
    contributions,
    state: { tierId: customer.tier?.id ?? null, floorTierId: customer.tierFloorId, graceUntil: customer.tierGraceUntil },
    at,
  });
  return {
    customer,
    points,
    policy: setup.policy,
    outlook,
    tiers: setup.tiers.map((tier) => ({
      ...tier,
      multiplierBps: multipliers[String(tier.id)] ?? 10_000,
      exclusiveRewards: exclusiveRewards.filter((reward) => reward.tierIds.includes(tier.id)).length,
    })),
  };
});

export async function getRewardsCatalog(programId: number, at = new Date()) {
  const rewards = await prisma.reward.findMany({
    where: {
      programId,
      isActive: true,
      AND: [{ OR: [{ startsAt: null }, { startsAt: { lte: at } }] }, { OR: [{ endsAt: null }, { endsAt: { gt: at } }] }],
    },
    select: {
      id: true, name: true, description: true, kind: true, costPoints: true, valueCents: true, percentOff: true, stock: true, endsAt: true,
      tierIds: true, categories: true, perMemberLimit: true,
    },
    orderBy: [{ costPoints: "asc" }, { id: "asc" }],
  });
  // a partner voucher with an imported pool has as many left as codes not handed out
  const voucherIds = rewards.filter((reward) => reward.kind === "VOUCHER").map((reward) => reward.id);
  const pools = voucherIds.length
    ? await prisma.$queryRaw<{ rewardId: number; free: number }[]>`
        SELECT "rewardId", COUNT(*) FILTER (WHERE "redemptionId" IS NULL)::int AS "free" FROM "RewardVoucher"
        WHERE "rewardId" = ANY(${voucherIds}::int[]) GROUP BY "rewardId"`
    : [];
  const free = new Map(pools.map((pool) => [pool.rewardId, pool.free]));
  return rewards.map((reward) => {
    const pool = free.get(reward.id);
    return { ...reward, stock: pool === undefined ? reward.stock : reward.stock === null ? pool : Math.min(pool, reward.stock) };
  });
}

export async function getMemberRedemptions(customerId: number, limit = 20) {
  const redemptions = await prisma.redemption.findMany({
    where: { customerId },
    select: { id: true, rewardId: true, code: true, pointsSpent: true, createdAt: true, expiresAt: true, status: true, reward: { select: { name: true, kind: true, categories: true } } },
    orderBy: { createdAt: "desc" },
    take: limit,
  });
  const vouchers = await prisma.rewardVoucher.findMany({ where: { redemptionId: { in: redemptions.map((r) => r.id) } }, select: { redemptionId: true, code: true } });
  const voucherOf = new Map(vouchers.map((voucher) => [voucher.redemptionId, voucher.code]));
  return redemptions.map((redemption) => ({ ...redemption, voucherCode: voucherOf.get(redemption.id) ?? null }));
}

/** How often the member has redeemed each reward (cancelled codes don't count), for per-member limits. */
export async function getMemberRedemptionCounts(customerId: number): Promise<Map<number, number>> {
  const rows = await prisma.redemption.groupBy({ by: ["rewardId"], where: { customerId, status: { not: "CANCELLED" } }, _count: { _all: true } });
  return new Map(rows.map((row) => [row.rewardId, row._count._all]));
}

/** An action rule's settings when it is on and inside its window now; null otherwise. */
export async function getActiveActionConfig(programId: number, kind: ActionKind, at = new Date()): Promise<ActionConfig | null> {
  const rule = await prisma.earnRule.findFirst({ where: { programId, kind }, select: { config: true, isActive: true, startsAt: true, endsAt: true } });
  if (!rule || !isRuleActive({ rule, at })) return null;
  return parseActionConfig(kind, rule.config);
}

/** Points the sign-up rule pays right now (0 when it's off or outside its window). */
export async function getWelcomeBonus(programId: number, at = new Date()): Promise<number> {
  return (await getActiveActionConfig(programId, "SIGNUP", at))?.points ?? 0;
}

/** The referral rule's points for friend and referrer, when it is on. */
export async function getReferralRule(programId: number, at = new Date()): Promise<{ points: number; referrerPoints: number } | null> {
  const config = await getActiveActionConfig(programId, "REFERRAL", at);
  return config ? { points: config.points, referrerPoints: config.referrerPoints } : null;
}
