import "server-only";
import { Prisma } from "./generated/client";
import { prisma, type Tx } from "./prisma";
import { hotRows } from "./direct";
import { preparedSql } from "./prepared";

export const EXPIRING_SOON_DAYS = 30;

export type MemberPoints = { available: number; pending: number; expiringSoon: number; nextExpiry: Date | null; balance: number; debt: number };

/** Points split by state, computed from the member's lots (the ledger is the source of truth). */
export async function getMemberPoints(customerId: number, at = new Date()): Promise<MemberPoints> {
  const soon = new Date(at.getTime() + EXPIRING_SOON_DAYS * 86_400_000);
  const [row] = await prisma.$queryRaw<MemberPoints[]>`
    SELECT
      COALESCE(SUM(l."remaining") FILTER (WHERE l."availableAt" <= ${at} AND (l."expiresAt" IS NULL OR l."expiresAt" > ${at})), 0)::int AS "available",
      COALESCE(SUM(l."remaining") FILTER (WHERE l."availableAt" > ${at} AND (l."expiresAt" IS NULL OR l."expiresAt" > ${at})), 0)::int AS "pending",
      COALESCE(SUM(l."remaining") FILTER (WHERE l."availableAt" <= ${at} AND l."expiresAt" > ${at} AND l."expiresAt" <= ${soon}), 0)::int AS "expiringSoon",
      MIN(l."expiresAt") FILTER (WHERE l."remaining" > 0 AND l."expiresAt" > ${at}) AS "nextExpiry",
      COALESCE(MAX(a."balance"), 0)::int AS "balance",
      COALESCE(MAX(a."debt"), 0)::int AS "debt"
    FROM "LedgerAccount" a LEFT JOIN "PointLot" l ON l."accountId" = a."id" AND l."remaining" > 0
    WHERE a."customerId" = ${customerId}`;
  return row ?? { available: 0, pending: 0, expiringSoon: 0, nextExpiry: null, balance: 0, debt: 0 };
}

export type PointsSchedule = { pending: { date: Date; points: number }[]; expiring: { date: Date; points: number }[] };

/** When pending points become available and when held points expire, by day (UTC), soonest first. */
export async function getExpirySchedule(customerId: number, at = new Date(), limit = 12): Promise<PointsSchedule> {
  const rows = await prisma.$queryRaw<{ kind: "pending" | "expiring"; date: Date; points: number }[]>`
    (SELECT 'pending' AS "kind", date_trunc('day', l."availableAt") AS "date", SUM(l."remaining")::int AS "points"
       FROM "PointLot" l JOIN "LedgerAccount" a ON a."id" = l."accountId"
      WHERE a."customerId" = ${customerId} AND l."remaining" > 0 AND l."availableAt" > ${at} AND (l."expiresAt" IS NULL OR l."expiresAt" > ${at})
      GROUP BY 2 ORDER BY 2 LIMIT ${limit})
    UNION ALL
    (SELECT 'expiring', date_trunc('day', l."expiresAt"), SUM(l."remaining")::int
       FROM "PointLot" l JOIN "LedgerAccount" a ON a."id" = l."accountId"
      WHERE a."customerId" = ${customerId} AND l."remaining" > 0 AND l."expiresAt" > ${at}
      GROUP BY 2 ORDER BY 2 LIMIT ${limit})`;
  return {
    pending: rows.filter((row) => row.kind === "pending").map(({ date, points }) => ({ date, points })),
    expiring: rows.filter((row) => row.kind === "expiring").map(({ date, points }) => ({ date, points })),
  };
}

/** Available and pending points of several members in one query (the console's member list). */
export async function getPointsOf(customerIds: number[], at = new Date()): Promise<Map<number, { available: number; pending: number }>> {
  if (customerIds.length === 0) return new Map();
  const rows = await prisma.$queryRaw<{ customerId: number; available: number; pending: number }[]>`
    SELECT a."customerId",
      COALESCE(SUM(l."remaining") FILTER (WHERE l."availableAt" <= ${at}), 0)::int AS "available",
      COALESCE(SUM(l."remaining") FILTER (WHERE l."availableAt" > ${at}), 0)::int AS "pending"
    FROM "LedgerAccount" a JOIN "PointLot" l ON l."accountId" = a."id" AND l."remaining" > 0 AND (l."expiresAt" IS NULL OR l."expiresAt" > ${at})
    WHERE a."customerId" = ANY(${customerIds}::int[])
    GROUP BY a."customerId"`;
  return new Map(rows.map((row) => [row.customerId, { available: row.available, pending: row.pending }]));
}

export type MemberBalance = {
  externalId: string;
  available: number;
  pending: number;
  expiringSoon: number;
  debt: number;
  balance: number;
  becomingAvailable: { date: string; points: number }[];
  expiring: { date: string; points: number }[];
};

/**
 * GET /members/{externalId}/balance in one statement: the customer by (program, externalId), the
 * points by state (as getMemberPoints) and the schedule by UTC day (as getExpirySchedule), dates
 * rendered as ISO strings. Null when the program has no such customer.
 */
export async function getMemberBalance(programId: number, externalId: string, at = new Date(), limit = 12, db: Tx | typeof prisma = prisma): Promise<MemberBalance | null> {
  const soon = new Date(at.getTime() + EXPIRING_SOON_DAYS * 86_400_000);
  const rows = await hotRows<MemberBalance>(db, Prisma.sql`${preparedSql}
    WITH c AS (SELECT "id", "externalId" FROM "Customer" WHERE "programId" = ${programId} AND "externalId" = ${externalId}),
    a AS (SELECT a."id", a."balance", a."debt" FROM "LedgerAccount" a JOIN c ON a."customerId" = c."id"),
    l AS MATERIALIZED (SELECT l."remaining", l."availableAt", l."expiresAt" FROM "PointLot" l JOIN a ON l."accountId" = a."id" WHERE l."remaining" > 0)
    SELECT c."externalId", s."available", s."pending", s."expiringSoon",
      COALESCE((SELECT "debt" FROM a), 0)::int AS "debt",
      COALESCE((SELECT "balance" FROM a), 0)::int AS "balance",
      (SELECT COALESCE(json_agg(json_build_object('date', to_char(d, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'points', p) ORDER BY d), '[]'::json) FROM (
        SELECT date_trunc('day', "availableAt") AS d, SUM("remaining")::int AS p FROM l
        WHERE "availableAt" > ${at} AND ("expiresAt" IS NULL OR "expiresAt" > ${at}) GROUP BY 1 ORDER BY 1 LIMIT ${limit}) s) AS "becomingAvailable",
      (SELECT COALESCE(json_agg(json_build_object('date', to_char(d, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'points', p) ORDER BY d), '[]'::json) FROM (
        SELECT date_trunc('day', "expiresAt") AS d, SUM("remaining")::int AS p FROM l
        WHERE "expiresAt" > ${at} GROUP BY 1 ORDER BY 1 LIMIT ${limit}) s) AS "expiring"
    -- the three sums in one pass over the member's lots
    FROM c, LATERAL (SELECT
      COALESCE(SUM("remaining") FILTER (WHERE "availableAt" <= ${at} AND ("expiresAt" IS NULL OR "expiresAt" > ${at})), 0)::int AS "available",
      COALESCE(SUM("remaining") FILTER (WHERE "availableAt" > ${at} AND ("expiresAt" IS NULL OR "expiresAt" > ${at})), 0)::int AS "pending",
      COALESCE(SUM("remaining") FILTER (WHERE "availableAt" <= ${at} AND "expiresAt" > ${at} AND "expiresAt" <= ${soon}), 0)::int AS "expiringSoon"
      FROM l) s`);
  return rows[0] ?? null;
}
