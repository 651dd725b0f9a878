import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { prisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import { countingFrom, isChallengeOpen, progressOf, type ChallengeMetric } from "@/lib/domain/challenges";
import type { SaveChallengeInput } from "@/lib/validations/console";
import { creditBonusInTx } from "./award-action";
import { writeAudit } from "./audit";
import { TX_OPTIONS, hashRequest, lockOrOpenMemberAccount } from "./ledger-core";
import { getProgramById } from "./program";

type ChallengeRow = Prisma.ChallengeGetPayload<object>;

const EPOCH = new Date(0);
const BATCH = 200;

/**
 * SQL for a member's value of the challenge's metric at `at` (the customer is aliased `c`),
 * counted from the later of the challenge's start, its rolling window and the day the member
 * joined. Orders count when paid, not cancelled and placed as a member; spend is net of returns.
 */
export function metricSql(challenge: Pick<ChallengeRow, "metric" | "startsAt" | "windowDays">, at: Date): Prisma.Sql {
  const windowStart = challenge.windowDays === null ? EPOCH : new Date(at.getTime() - challenge.windowDays * 86_400_000);
  const since = Prisma.sql`GREATEST(c."enrolledAt", ${challenge.startsAt ?? EPOCH}::timestamp, ${windowStart}::timestamp)`;
  const paidOrder = Prisma.sql`o."cancelledAt" IS NULL AND o."totalCents" > 0 AND o."placedAt" >= ${since} AND o."placedAt" <= ${at}::timestamp`;
  switch (challenge.metric as ChallengeMetric) {
    case "ORDERS":
      return Prisma.sql`(SELECT COUNT(*) FROM "Order" o WHERE o."customerId" = c."id" AND o."isMemberOrder" AND ${paidOrder})::int`;
    case "SPEND":
      return Prisma.sql`(SELECT COALESCE(SUM(o."totalCents" - o."returnedCents"), 0) FROM "Order" o WHERE o."customerId" = c."id" AND o."isMemberOrder" AND ${paidOrder})::int`;
    case "REVIEWS":
    case "SHARES": {
      const type = challenge.metric === "REVIEWS" ? "review" : "social_share";
      return Prisma.sql`(SELECT COUNT(*) FROM "MemberEvent" e WHERE e."customerId" = c."id" AND e."type" = ${type}
        AND e."occurredAt" >= ${since} AND e."occurredAt" <= ${at}::timestamp)::int`;
    }
    case "REFERRALS":
      return Prisma.sql`(SELECT COUNT(*) FROM "Customer" f WHERE f."referredById" = c."id"
        AND EXISTS (SELECT 1 FROM "Order" o WHERE o."customerId" = f."id" AND ${paidOrder}))::int`;
    default:
      throw new AppError("VALIDATION", `unknown metric ${challenge.metric}`);
  }
}

/**
 * Completes every open challenge for the members who have reached it (all members, or the
 * ones given) and pays its points: the completion row and the ledger credit are written in one
 * transaction, and the completion is unique per member and challenge, so however many runs
 * race, each member completes a challenge once and is paid once.
 */
export async function evaluateChallenges({ programId, at = new Date(), customerIds, challenges: loaded }: { programId: number; at?: Date; customerIds?: number[]; challenges?: ChallengeRow[] }) {
  const challenges = (loaded ?? (await prisma.challenge.findMany({ where: { programId, isActive: true }, orderBy: { id: "asc" } }))).filter((challenge) => isChallengeOpen(challenge, at));
  if (challenges.length === 0 || (customerIds && customerIds.length === 0)) return { completed: 0, points: 0 };
  // read before any transaction opens (the embedded database has a single connection), and only
  // when a challenge pays points
  const program = challenges.some((challenge) => challenge.rewardPoints > 0) ? await getProgramById(programId) : null;
  const only = customerIds ? Prisma.sql`AND c."id" = ANY(${customerIds}::int[])` : Prisma.empty;
  let completed = 0;
  let points = 0;
  for (const challenge of challenges) {
    for (;;) {
      const batch = await prisma.$transaction(async (tx) => {
        const rows = await tx.$queryRaw<{ id: number; customerId: number }[]>`
          INSERT INTO "ChallengeCompletion" ("challengeId", "customerId", "completedAt", "points")
          SELECT ${challenge.id}, c."id", ${at}::timestamp, ${challenge.rewardPoints}
            FROM "Customer" c
           WHERE c."programId" = ${programId} AND c."enrolledAt" IS NOT NULL AND c."enrolledAt" <= ${at}::timestamp ${only}
             AND NOT EXISTS (SELECT 1 FROM "ChallengeCompletion" x WHERE x."challengeId" = ${challenge.id} AND x."customerId" = c."id")
             AND ${metricSql(challenge, at)} >= ${challenge.target}
           ORDER BY c."id" LIMIT ${BATCH}
          ON CONFLICT ("challengeId", "customerId") DO NOTHING
          RETURNING "id", "customerId"`;
        if (challenge.rewardPoints > 0) {
          for (const row of rows) {
            const account = await lockOrOpenMemberAccount(tx, programId, row.customerId);
            const key = `challenge:${challenge.id}:${row.customerId}`;
            const credit = await creditBonusInTx(tx, {
              program: program!, accountId: account.id, customerId: row.customerId, points: challenge.rewardPoints, source: "challenge", key,
              requestHash: hashRequest({ key, points: challenge.rewardPoints }), reason: "challenge", note: challenge.name, ruleId: null, ruleVersion: null, at,
            });
            await tx.$executeRaw`UPDATE "ChallengeCompletion" SET "transactionId" = ${credit.transactionId} WHERE "id" = ${row.id}`;
          }
        }
        return rows.length;
      }, TX_OPTIONS); // a batch pays up to BATCH members: more than the default 5 s on the embedded database
      completed += batch;
      points += batch * challenge.rewardPoints;
      if (batch < BATCH) break;
    }
  }
  return { completed, points };
}

// ---------------------------------------------------------------------------------------------
// Members

export type MemberChallenge = {
  id: number;
  name: string;
  description: string;
  metric: ChallengeMetric;
  target: number;
  value: number;
  percent: number;
  windowDays: number | null;
  endsAt: Date | null;
  rewardPoints: number;
  badgeName: string;
  badgeIcon: string;
  completedAt: Date | null;
};

/**
 * The member's challenges: every open one with their progress, and every one they completed
 * (their badges) even after it closed. Completions due are written first, so the page never
 * shows a reached goal as unfinished.
 */
export async function getMemberChallenges({ programId, customerId, at = new Date() }: { programId: number; customerId: number; at?: Date }): Promise<MemberChallenge[]> {
  const customer = await prisma.customer.findFirst({ where: { id: customerId, programId }, select: { enrolledAt: true } });
  if (!customer?.enrolledAt) throw new AppError("MEMBER_NOT_FOUND");
  const challenges = await prisma.challenge.findMany({ where: { programId }, orderBy: { id: "asc" } });
  try {
    await evaluateChallenges({ programId, at, customerIds: [customerId], challenges: challenges.filter((challenge) => challenge.isActive) });
  } catch (error) {
    // the page still shows progress; the check-challenges job completes it on its next run
    console.error(`[challenges] completing for member ${customerId} failed`, error);
  }
  const completions = await prisma.challengeCompletion.findMany({ where: { customerId }, select: { challengeId: true, completedAt: true } });
  const done = new Map(completions.map((row) => [row.challengeId, row.completedAt]));
  const shown = challenges.filter((challenge) => done.has(challenge.id) || isChallengeOpen(challenge, at));
  if (shown.length === 0) return [];
  const columns = shown.map((challenge) => Prisma.sql`${metricSql(challenge, at)} AS ${Prisma.raw(`"m${challenge.id}"`)}`);
  const [values] = await prisma.$queryRaw<Record<string, number>[]>`SELECT ${Prisma.join(columns)} FROM "Customer" c WHERE c."id" = ${customerId}`;
  return shown.map((challenge) => {
    const completedAt = done.get(challenge.id) ?? null;
    const progress = progressOf({ value: completedAt ? challenge.target : Number(values[`m${challenge.id}`] ?? 0), target: challenge.target });
    return {
      id: challenge.id,
      name: challenge.name,
      description: challenge.description,
      metric: challenge.metric as ChallengeMetric,
      target: challenge.target,
      value: progress.value,
      percent: progress.percent,
      windowDays: challenge.windowDays,
      endsAt: challenge.endsAt,
      rewardPoints: challenge.rewardPoints,
      badgeName: challenge.badgeName,
      badgeIcon: challenge.badgeIcon,
      completedAt,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Console

export async function listConsoleChallenges(programId: number) {
  const [challenges, counts] = await Promise.all([
    prisma.challenge.findMany({ where: { programId }, orderBy: { id: "asc" } }),
    prisma.$queryRaw<{ challengeId: number; completed: number; points: number; lastWeek: number }[]>`
      SELECT x."challengeId", COUNT(*)::int AS "completed", COALESCE(SUM(x."points"), 0)::int AS "points",
             COUNT(*) FILTER (WHERE x."completedAt" >= NOW() - INTERVAL '7 days')::int AS "lastWeek"
        FROM "ChallengeCompletion" x JOIN "Challenge" ch ON ch."id" = x."challengeId"
       WHERE ch."programId" = ${programId} GROUP BY x."challengeId"`,
  ]);
  return challenges.map((challenge) => {
    const count = counts.find((row) => row.challengeId === challenge.id);
    return { ...challenge, completed: count?.completed ?? 0, pointsPaid: count?.points ?? 0, completedLastWeek: count?.lastWeek ?? 0 };
  });
}

/** Creates or edits a challenge. Completions already earned stay; a new target applies from now on. */
export async function saveChallenge({ programId, actorUserId, input }: { programId: number; actorUserId: number; input: SaveChallengeInput }) {
  const data = {
    name: input.name,
    description: input.description,
    metric: input.metric,
    target: input.target,
    windowDays: input.windowDays,
    rewardPoints: input.rewardPoints,
    badgeName: input.badgeName,
    badgeIcon: input.badgeIcon,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    isActive: input.isActive,
  };
  return prisma.$transaction(async (tx) => {
    if (input.id) {
      const updated = await tx.challenge.updateMany({ where: { id: input.id, programId }, data });
      if (updated.count === 0) throw new AppError("NOT_FOUND", "challenge not found");
      await writeAudit(tx, { actorUserId, action: "challenge.updated", targetType: "challenge", targetId: input.id, data });
      return { id: input.id };
    }
    const created = await tx.challenge.create({ data: { programId, ...data }, select: { id: true } });
    await writeAudit(tx, { actorUserId, action: "challenge.created", targetType: "challenge", targetId: created.id, data });
    return { id: created.id };
  });
}
