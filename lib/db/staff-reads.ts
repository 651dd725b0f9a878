import "server-only";
import { Prisma } from "./generated/client";
import { getMemberPoints, getPointsOf } from "./member-points";
import { prisma } from "./prisma";

type MemberSearchRow = { id: number; name: string; email: string; externalId: string; enrolledAt: Date | null; deactivatedAt: Date | null; tierName: string | null };

/** The text as a LIKE pattern matching it anywhere: its own %, _ and \ are literal characters. */
export function containsPattern(text: string) {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** Searches this long or longer match inside emails and names. */
export const MIN_CONTAINS_LENGTH = 3;

/**
 * Up to 25 customers whose email or name contains the search in any case, or whose shop id is
 * the search exactly (a search shorter than MIN_CONTAINS_LENGTH only the latter); newest members first, then customers who never joined; each with available
 * and pending points (docs/member-points.md). The contains-match is answered from the trigram
 * index (migration 20261204000000_member_search_trigram); without a search, the newest members.
 */
export async function searchMembers(programId: number, query: string) {
  const q = query.trim();
  // under three characters there is no trigram to look up: every customer would be read, so a
  // short search matches the shop's id exactly and nothing else (the page says so)
  const match = !q
    ? Prisma.empty
    : [...q].length < MIN_CONTAINS_LENGTH
      ? Prisma.sql`AND c."externalId" = ${q}`
      : Prisma.sql`AND (c."email" ILIKE ${containsPattern(q)} OR c."name" ILIKE ${containsPattern(q)} OR c."externalId" = ${q})`;
  const rows = await prisma.$queryRaw<MemberSearchRow[]>`
    SELECT c."id", c."name", c."email", c."externalId", c."enrolledAt", c."deactivatedAt", t."name" AS "tierName"
    FROM "Customer" c LEFT JOIN "Tier" t ON t."id" = c."tierId"
    WHERE c."programId" = ${programId} ${match}
    ORDER BY c."enrolledAt" DESC NULLS LAST, c."id" ASC
    LIMIT 25`;
  const points = await getPointsOf(rows.map((row) => row.id));
  return rows.map(({ tierName, ...customer }) => ({
    ...customer,
    tier: tierName === null ? null : { name: tierName },
    points: points.get(customer.id) ?? { available: 0, pending: 0 },
  }));
}

export async function getMemberDetail(programId: number, customerId: number) {
  const customer = await prisma.customer.findFirst({
    where: { id: customerId, programId },
    select: {
      id: true, name: true, email: true, externalId: true, enrolledAt: true, createdAt: true, locale: true,
      tier: { select: { name: true } },
      tierFloorId: true, tierFloorNote: true, tierGraceUntil: true, deactivatedAt: true, deactivationNote: true, userId: true,
      tierFloor: { select: { name: true } },
      orders: { select: { id: true, externalId: true, placedAt: true, totalCents: true, returnedCents: true, pointsEarned: true }, orderBy: { placedAt: "desc" }, take: 10 },
      _count: { select: { orders: true, redemptions: true } },
    },
  });
  if (!customer) return null;
  const [points, tiers] = await Promise.all([
    getMemberPoints(customer.id),
    prisma.tier.findMany({ where: { programId }, orderBy: { rank: "asc" }, select: { id: true, name: true } }),
  ]);
  return { customer, points, tiers };
}

export async function listRewards(programId: number) {
  return prisma.reward.findMany({
    where: { programId },
    select: { id: true, name: true, kind: true, costPoints: true, stock: true, isActive: true, startsAt: true, endsAt: true, _count: { select: { redemptions: true } } },
    orderBy: { id: "asc" },
  });
}

export async function getReward(programId: number, id: number) {
  return prisma.reward.findFirst({ where: { id, programId } });
}

export async function getEarnRuleWithTiers(programId: number) {
  const [rule, tiers] = await Promise.all([
    prisma.earnRule.findFirst({ where: { programId, kind: "SPEND" } }),
    prisma.tier.findMany({ where: { programId }, orderBy: { rank: "asc" }, select: { id: true, name: true, minSpendCents: true } }),
  ]);
  return { rule, tiers };
}

export async function listStaff() {
  return prisma.user.findMany({
    where: { role: { not: "MEMBER" } },
    select: { id: true, name: true, email: true, role: true, isActive: true, createdAt: true },
    orderBy: { id: "asc" },
  });
}

export async function listApiKeys(programId: number) {
  return prisma.apiKey.findMany({
    where: { programId },
    select: { id: true, name: true, prefix: true, createdAt: true, revokedAt: true, createdBy: { select: { email: true } } },
    orderBy: { id: "desc" },
  });
}

/** An import job of the program, with its progress and the first row errors. */
export async function getImportJob(programId: number, id: number) {
  const job = await prisma.importJob.findFirst({
    where: { id, programId },
    select: { id: true, kind: true, filename: true, status: true, totalRows: true, processedRows: true, importedRows: true, skippedRows: true, failedRows: true, errors: true, createdAt: true, finishedAt: true },
  });
  return job ? { ...job, errors: job.errors as { row: number; message: string }[] } : null;
}

export async function listImportJobs(programId: number, take = 20) {
  return prisma.importJob.findMany({
    where: { programId },
    orderBy: { id: "desc" },
    take,
    select: { id: true, kind: true, filename: true, status: true, totalRows: true, processedRows: true, importedRows: true, skippedRows: true, failedRows: true, createdAt: true, finishedAt: true },
  });
}

/** Everything the earning-rules page shows: rules of every kind, promotions' budgets, history. */
export async function getRulesPage(programId: number) {
  const [allRules, offerRules, tiers, used, versions] = await Promise.all([
    prisma.earnRule.findMany({ where: { programId }, orderBy: { id: "asc" } }),
    prisma.offer.findMany({ where: { programId, earnRuleId: { not: null } }, select: { earnRuleId: true } }),
    prisma.tier.findMany({ where: { programId }, orderBy: { rank: "asc" }, select: { id: true, name: true, minSpendCents: true } }),
    prisma.$queryRaw<{ ruleId: number; issued: number }[]>`
      SELECT t."ruleId", COALESCE(SUM(t."points"), 0)::int AS "issued" FROM "LedgerTransaction" t
      JOIN "EarnRule" r ON r."id" = t."ruleId" WHERE r."programId" = ${programId} AND r."kind" = 'MULTIPLIER' GROUP BY t."ruleId"`,
    prisma.$queryRaw<{ id: number; ruleName: string; version: number; actor: string | null; createdAt: Date }[]>`
      SELECT v."id", r."name" AS "ruleName", v."version", u."email" AS "actor", v."createdAt"
      FROM "EarnRuleVersion" v JOIN "EarnRule" r ON r."id" = v."ruleId" LEFT JOIN "User" u ON u."id" = v."actorUserId"
      WHERE r."programId" = ${programId} ORDER BY v."id" DESC LIMIT 15`,
  ]);
  // promotions that belong to an offer are managed on the offers page
  const ofOffers = new Set(offerRules.map((offer) => offer.earnRuleId));
  const rules = allRules.filter((rule) => !ofOffers.has(rule.id));
  return { rules, tiers, issuedByRule: new Map(used.map((row) => [row.ruleId, row.issued])), versions };
}

export async function getWebhooksPage(programId: number) {
  const [endpoints, deliveries] = await Promise.all([
    prisma.webhookEndpoint.findMany({ where: { programId }, orderBy: { id: "asc" }, select: { id: true, url: true, description: true, eventTypes: true, isActive: true, createdAt: true } }),
    prisma.webhookDelivery.findMany({
      where: { endpoint: { programId } },
      orderBy: { id: "desc" },
      take: 50,
      select: { id: true, status: true, attempts: true, lastStatusCode: true, lastError: true, nextAttemptAt: true, deliveredAt: true, createdAt: true, event: { select: { type: true } }, endpoint: { select: { url: true } } },
    }),
  ]);
  return { endpoints, deliveries };
}

export async function getTiersPage(programId: number) {
  const [program, tiers, spend, counts, graceCount, changes] = await Promise.all([
    prisma.program.findUniqueOrThrow({ where: { id: programId }, select: { tierBasis: true, tierWindow: true, tierGraceDays: true, currency: true } }),
    prisma.tier.findMany({ where: { programId }, orderBy: { rank: "asc" } }),
    prisma.earnRule.findFirst({ where: { programId, kind: "SPEND" }, select: { tierMultipliers: true } }),
    prisma.customer.groupBy({ by: ["tierId"], where: { programId, enrolledAt: { not: null } }, _count: { _all: true } }),
    prisma.customer.count({ where: { programId, tierGraceUntil: { not: null } } }),
    prisma.tierChange.findMany({
      where: { programId },
      orderBy: { id: "desc" },
      take: 20,
      select: { id: true, fromTier: true, toTier: true, reason: true, detail: true, createdAt: true, customer: { select: { id: true, name: true, email: true } } },
    }),
  ]);
  const multipliers = (spend?.tierMultipliers ?? {}) as Record<string, number>;
  return {
    program,
    hasSpendRule: spend !== null,
    tiers: tiers.map((tier) => ({ ...tier, multiplierBps: multipliers[String(tier.id)] ?? 10_000 })),
    counts: new Map(counts.map((row) => [row.tierId, row._count._all])),
    graceCount,
    changes,
  };
}
