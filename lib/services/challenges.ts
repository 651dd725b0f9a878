import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { prisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import { challengeBonusAvailableAt, isChallengeOpen, progressOf, type ChallengeMetric } from "@/lib/domain/challenges";
import type { SaveChallengeInput } from "@/lib/validations/console";
import { creditBonusInTx } from "./award-action";
import { writeAudit } from "./audit";
import { TX_OPTIONS, hashRequest } from "./ledger-core";
import { getProgramById } from "./program";
import { cappedAmountSql } from "./tiers";

type ChallengeRow = Prisma.ChallengeGetPayload<object>;

const EPOCH = new Date(0);
const BATCH = 200;

/**
 * The orders a challenge counts for the member aliased `c` at `at` (the order aliased `o`): paid,
 * not cancelled, placed as a member from the later of the challenge's start, its rolling window
 * and the day the member joined. For ORDERS and REFERRALS an order every unit of which came back
 * no longer counts (docs/earning.md); SPEND counts net of returns anyway.
 */
function countedOrderSql(challenge: Pick<ChallengeRow, "metric" | "startsAt" | "windowDays">, at: Date): Prisma.Sql {
  const windowStart = challenge.windowDays === null ? EPOCH : new Date(at.getTime() - challenge.windowDays * 86_400_000);
  const since = Prisma.sql`GREATEST(c."enrolledAt", ${challenge.startsAt ?? EPOCH}::timestamp, ${windowStart}::timestamp)`;
  const paid = Prisma.sql`o."cancelledAt" IS NULL AND o."totalCents" > 0 AND o."placedAt" >= ${since} AND o."placedAt" <= ${at}::timestamp`;
  if (challenge.metric === "SPEND") return paid;
  return Prisma.sql`${paid} AND COALESCE((SELECT bool_or(l."returnedQuantity" < l."quantity") FROM "OrderLine" l WHERE l."orderId" = o."id"), true)`;
}

/**
 * SQL for a member's value of the challenge's metric at `at` (the customer is aliased `c`),
 * counted from the later of the challenge's start, its rolling window and the day the member
 * joined. Orders count when paid, not cancelled, not returned in full and placed as a member;
 * spend is net of returns.
 */
export function metricSql(challenge: Pick<ChallengeRow, "metric" | "startsAt" | "windowDays">, at: Date): Prisma.Sql {
  const windowStart = challenge.windowDays === null ? EPOCH : new Date(at.getTime() - challenge.windowDays * 86_400_000);
  const since = Prisma.sql`GREATEST(c."enrolledAt", ${challenge.startsAt ?? EPOCH}::timestamp, ${windowStart}::timestamp)`;
  const counted = countedOrderSql(challenge, at);
  switch (challenge.metric as ChallengeMetric) {
    case "ORDERS":
      return Prisma.sql`(SELECT COUNT(*) FROM "Order" o WHERE o."customerId" = c."id" AND o."isMemberOrder" AND ${counted})::int`;
    case "SPEND":
      // capped as tier amounts are (a target can't be higher): a member with more spend still reads
      return cappedAmountSql(Prisma.sql`(SELECT COALESCE(SUM(o."totalCents" - o."returnedCents"), 0) FROM "Order" o WHERE o."customerId" = c."id" AND o."isMemberOrder" AND ${counted})`);
    case "REVIEWS":
    case "SHARES": {
      const type = challenge.metric === "REVIEWS" ? "review" : "social_share";
      return Prisma.sql`(SELECT COUNT(*) FROM "MemberEvent" e WHERE e."customerId" = c."id" AND e."type" = ${type}
        AND e."occurredAt" >= ${since} AND e."occurredAt" <= ${at}::timestamp)::int`;
    }
    case "REFERRALS":
      return Prisma.sql`(SELECT COUNT(*) FROM "Customer" f WHERE f."referredById" = c."id"
        AND EXISTS (SELECT 1 FROM "Order" o WHERE o."customerId" = f."id" AND ${counted}))::int`;
    default:
      throw new AppError("VALIDATION", `unknown metric ${challenge.metric}`);
  }
}

/** When the last order the challenge counts for member `c` was placed (null for reviews and shares): its return window is the bonus's. */
function lastCountedOrderSql(challenge: Pick<ChallengeRow, "metric" | "startsAt" | "windowDays">, at: Date): Prisma.Sql {
  const counted = countedOrderSql(challenge, at);
  switch (challenge.metric as ChallengeMetric) {
    case "ORDERS":
    case "SPEND":
      return Prisma.sql`(SELECT MAX(o."placedAt") FROM "Order" o WHERE o."customerId" = c."id" AND o."isMemberOrder" AND ${counted})`;
    case "REFERRALS":
      return Prisma.sql`(SELECT MAX(o."placedAt") FROM "Customer" f JOIN "Order" o ON o."customerId" = f."id" WHERE f."referredById" = c."id" AND ${counted})`;
    default:
      return Prisma.sql`NULL::timestamp`;
  }
}

/**
 * Completes every open challenge for the members who have reached it (all members, or the
 * ones given) and pays its points: the completion row and the ledger credit are written in one
 * transaction, and a member holds one unreversed completion per challenge (a partial unique
 * index), so however many runs race, each member completes a challenge once and is paid once.
 * A bonus for a goal met by orders is pending until the last counted order's return window
 * closes, like that order's points. The members' accounts are locked before the goal is judged
 * again and written, so a return or cancellation either committed first (and the goal is judged
 * without it) or waits and then finds the completion to reverse (reverse-order-bonuses.ts).
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
    const reached = Prisma.sql`c."programId" = ${programId} AND c."enrolledAt" IS NOT NULL AND c."enrolledAt" <= ${at}::timestamp AND c."deactivatedAt" IS NULL ${only}
      AND NOT EXISTS (SELECT 1 FROM "ChallengeCompletion" x WHERE x."challengeId" = ${challenge.id} AND x."customerId" = c."id" AND x."reversedAt" IS NULL)
      AND ${metricSql(challenge, at)} >= ${challenge.target}`;
    for (;;) {
      const batch = await prisma.$transaction(async (tx) => {
        const found = await tx.$queryRaw<{ id: number }[]>`SELECT c."id" FROM "Customer" c WHERE ${reached} ORDER BY c."id" LIMIT ${BATCH}`;
        if (found.length === 0) return { found: 0, paid: 0 };
        // descending customer id: a friend joined after their referrer, so this is the order
        // (friend, then referrer) returns and referrals lock accounts in, and no two paths deadlock
        const ids = found.map((row) => row.id).sort((a, b) => b - a);
        await tx.$executeRaw`
          INSERT INTO "LedgerAccount" ("programId", "kind", "customerId")
          SELECT ${programId}, 'MEMBER'::"AccountKind", id FROM unnest(${ids}::int[]) WITH ORDINALITY AS u(id, n) ORDER BY n
          ON CONFLICT ("customerId") DO NOTHING`;
        const accounts = await tx.$queryRaw<{ id: number; customerId: number }[]>`
          SELECT "id", "customerId" FROM "LedgerAccount" WHERE "customerId" = ANY(${ids}::int[]) ORDER BY "customerId" DESC FOR UPDATE`;
        const rows = await tx.$queryRaw<{ id: number; customerId: number; lastOrderAt: Date | null }[]>`
          WITH inserted AS (
            INSERT INTO "ChallengeCompletion" ("challengeId", "customerId", "completedAt", "points", "target")
            SELECT ${challenge.id}, c."id", ${at}::timestamp, ${challenge.rewardPoints}, ${challenge.target}
              FROM "Customer" c
             WHERE c."id" = ANY(${ids}::int[]) AND ${reached}
            ON CONFLICT DO NOTHING
            RETURNING "id", "customerId")
          SELECT i."id", i."customerId", ${lastCountedOrderSql(challenge, at)} AS "lastOrderAt"
            FROM inserted i JOIN "Customer" c ON c."id" = i."customerId"
           ORDER BY i."customerId" DESC`;
        if (challenge.rewardPoints > 0) {
          for (const row of rows) {
            const accountId = accounts.find((account) => account.customerId === row.customerId)!.id;
            // one key per completion: a challenge completed again after a reversal pays again
            const key = `challenge:${challenge.id}:${row.customerId}:${row.id}`;
            const credit = await creditBonusInTx(tx, {
              program: program!, accountId, customerId: row.customerId, points: challenge.rewardPoints, source: "challenge", key,
              requestHash: hashRequest({ key, points: challenge.rewardPoints }), reason: "challenge", note: challenge.name, ruleId: null, ruleVersion: null, at,
              availableAt: challengeBonusAvailableAt({ metric: challenge.metric, lastOrderAt: row.lastOrderAt, completedAt: at, pendingDays: program!.pendingDays }),
            });
            await tx.$executeRaw`UPDATE "ChallengeCompletion" SET "transactionId" = ${credit.transactionId} WHERE "id" = ${row.id}`;
          }
        }
        return { found: found.length, paid: rows.length };
      }, TX_OPTIONS); // a batch pays up to BATCH members: more than the default 5 s on the embedded database
      completed += batch.paid;
      points += batch.paid * challenge.rewardPoints;
      if (batch.found < BATCH) break;
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
 *
 * One round of reads (the member, the challenges, their completions), then one statement with
 * every challenge's progress. Only when an open challenge's goal is reached and not yet completed
 * does evaluateChallenges run (its transaction judges the goal again and pays), for those
 * challenges only: a page view that completes nothing opens no transaction.
 */
export async function getMemberChallenges({ programId, customerId, at = new Date() }: { programId: number; customerId: number; at?: Date }): Promise<MemberChallenge[]> {
  const completionsOf = () => prisma.challengeCompletion.findMany({ where: { customerId, reversedAt: null }, select: { challengeId: true, completedAt: true } });
  const [customer, challenges, completed] = await Promise.all([
    prisma.customer.findFirst({ where: { id: customerId, programId }, select: { enrolledAt: true } }),
    prisma.challenge.findMany({ where: { programId }, orderBy: { id: "asc" } }),
    // a reversed completion is no badge: the challenge shows as open again (if it still runs)
    completionsOf(),
  ]);
  if (!customer?.enrolledAt) throw new AppError("MEMBER_NOT_FOUND");
  let done = new Map(completed.map((row) => [row.challengeId, row.completedAt]));
  const shown = challenges.filter((challenge) => done.has(challenge.id) || isChallengeOpen(challenge, at));
  if (shown.length === 0) return [];
  const columns = shown.map((challenge) => Prisma.sql`${metricSql(challenge, at)} AS ${Prisma.raw(`"m${challenge.id}"`)}`);
  const [values] = await prisma.$queryRaw<Record<string, number>[]>`SELECT ${Prisma.join(columns)} FROM "Customer" c WHERE c."id" = ${customerId}`;
  const due = shown.filter((challenge) => !done.has(challenge.id) && isChallengeOpen(challenge, at) && Number(values[`m${challenge.id}`] ?? 0) >= challenge.target);
  if (due.length > 0) {
    try {
      await evaluateChallenges({ programId, at, customerIds: [customerId], challenges: due });
    } catch (error) {
      // the page still shows progress; the check-challenges job completes it on its next run
      console.error(`[challenges] completing for member ${customerId} failed`, error);
    }
    // read again either way: each challenge commits on its own, so some may be done even if one failed
    done = new Map((await completionsOf()).map((row) => [row.challengeId, row.completedAt]));
  }
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
    prisma.$queryRaw<{ challengeId: number; completed: number; points: number; lastWeek: number; reversed: number }[]>`
      SELECT x."challengeId", COUNT(*) FILTER (WHERE x."reversedAt" IS NULL)::int AS "completed",
             COALESCE(SUM(x."points") FILTER (WHERE x."reversedAt" IS NULL), 0)::int AS "points",
             COUNT(*) FILTER (WHERE x."completedAt" >= NOW() - INTERVAL '7 days' AND x."reversedAt" IS NULL)::int AS "lastWeek",
             COUNT(*) FILTER (WHERE x."reversedAt" IS NOT NULL)::int AS "reversed"
        FROM "ChallengeCompletion" x JOIN "Challenge" ch ON ch."id" = x."challengeId"
       WHERE ch."programId" = ${programId} GROUP BY x."challengeId"`,
  ]);
  return challenges.map((challenge) => {
    const count = counts.find((row) => row.challengeId === challenge.id);
    return { ...challenge, completed: count?.completed ?? 0, pointsPaid: count?.points ?? 0, completedLastWeek: count?.lastWeek ?? 0, reversed: count?.reversed ?? 0 };
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
