import "server-only";
import { monthlyMetrics, monthRange, periodMetrics, type OrderFact } from "@/lib/domain/analytics";
import { addMonths } from "@/lib/domain/dates";
import { getMemberPoints } from "./member-points";
import { prisma } from "./prisma";

export async function searchMembers(programId: number, query: string) {
  const q = query.trim();
  return prisma.customer.findMany({
    where: {
      programId,
      ...(q ? { OR: [{ email: { contains: q, mode: "insensitive" } }, { name: { contains: q, mode: "insensitive" } }, { externalId: { equals: q } }] } : {}),
    },
    select: { id: true, name: true, email: true, externalId: true, enrolledAt: true, tier: { select: { name: true } }, account: { select: { balance: true } } },
    orderBy: [{ enrolledAt: { sort: "desc", nulls: "last" } }, { id: "asc" }],
    take: 25,
  });
}

export async function getMemberDetail(programId: number, customerId: number) {
  const customer = await prisma.customer.findFirst({
    where: { id: customerId, programId },
    select: {
      id: true, name: true, email: true, externalId: true, enrolledAt: true, createdAt: true, locale: true,
      tier: { select: { name: true } },
      tierFloorId: true, tierFloorNote: true, tierGraceUntil: true,
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

export const ANALYTICS_MONTHS = 18;

/** Monthly retention series over the last 18 months and headline figures for the last 12. */
export async function getRetentionAnalytics(programId: number, now = new Date()) {
  const from = addMonths(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)), -(ANALYTICS_MONTHS - 1));
  const orders = await prisma.$queryRaw<OrderFact[]>`
    SELECT o."customerId", o."placedAt", (o."totalCents" - o."returnedCents")::int AS "netCents", (c."enrolledAt" IS NOT NULL) AS "isMember"
    FROM "Order" o JOIN "Customer" c ON c."id" = o."customerId"
    WHERE o."programId" = ${programId} AND o."placedAt" <= ${now}`;
  const months = monthRange({ from, to: now });
  const series = monthlyMetrics({ orders, months });
  const headline = periodMetrics({ orders, from: addMonths(now, -12), to: now });
  const [points] = await prisma.$queryRaw<{ issued: number; redeemed: number; expired: number; outstanding: number; pointValueMillis: number }[]>`
    SELECT
      COALESCE(-SUM(e."amount") FILTER (WHERE a."kind" = 'ISSUED' AND t."createdAt" > ${addMonths(now, -12)}), 0)::int AS "issued",
      COALESCE(SUM(e."amount") FILTER (WHERE a."kind" = 'REDEEMED' AND t."createdAt" > ${addMonths(now, -12)}), 0)::int AS "redeemed",
      COALESCE(SUM(e."amount") FILTER (WHERE a."kind" = 'EXPIRED' AND t."createdAt" > ${addMonths(now, -12)}), 0)::int AS "expired",
      (SELECT COALESCE(SUM("balance"), 0) FROM "LedgerAccount" WHERE "programId" = ${programId} AND "kind" = 'MEMBER')::int AS "outstanding",
      (SELECT "pointValueMillis" FROM "Program" WHERE "id" = ${programId}) AS "pointValueMillis"
    FROM "LedgerEntry" e JOIN "LedgerAccount" a ON a."id" = e."accountId" JOIN "LedgerTransaction" t ON t."id" = e."transactionId"
    WHERE a."programId" = ${programId} AND a."kind" <> 'MEMBER'`;
  return {
    series,
    headline,
    points: {
      ...points,
      redemptionRate: points.issued > 0 ? points.redeemed / points.issued : null,
      breakage: points.issued > 0 ? points.expired / points.issued : null,
      liabilityCents: Math.round((points.outstanding * points.pointValueMillis) / 10),
    },
    orderCount: orders.length,
  };
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
