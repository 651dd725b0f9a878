import "server-only";
import { Prisma } from "./generated/client";
import { AppError } from "@/lib/domain/app-error";
import { encodeCursor, type Keyset } from "@/lib/api/page-cursor";
import type { ListMembersQuery } from "@/lib/validations/api";
import { EXPIRING_SOON_DAYS } from "./member-points";
import { prisma, type Tx } from "./prisma";
import { hotRows } from "./direct";
import { preparedSql } from "./prepared";

// Members as the REST API shows them (GET/PATCH /members/{externalId}, GET /members, the
// ledger page). Dates are ISO strings once serialised; amounts are points (integers).

export const apiMemberSelect = {
  id: true,
  externalId: true,
  email: true,
  name: true,
  locale: true,
  birthday: true,
  enrolledAt: true,
  createdAt: true,
  updatedAt: true,
  erasedAt: true,
  tierId: true,
  tier: { select: { name: true } },
} satisfies Prisma.CustomerSelect;

export type ApiMemberRow = Prisma.CustomerGetPayload<{ select: typeof apiMemberSelect }>;
export type ApiPoints = { available: number; pending: number; expiringSoon: number; debt: number };

const NO_POINTS: ApiPoints = { available: 0, pending: 0, expiringSoon: 0, debt: 0 };

export function memberJson(row: ApiMemberRow, points: ApiPoints = NO_POINTS) {
  return {
    externalId: row.externalId,
    email: row.email,
    name: row.name,
    locale: row.locale,
    birthday: row.birthday ? row.birthday.toISOString().slice(0, 10) : null,
    isMember: row.enrolledAt !== null,
    enrolledAt: row.enrolledAt,
    tier: row.tier?.name ?? null,
    tierId: row.tierId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    erasedAt: row.erasedAt,
    points,
  };
}

/** Points by state for many customers in one statement (the same split as getMemberPoints). */
export async function getPointsOfCustomers(db: Tx, customerIds: number[], at = new Date()): Promise<Map<number, ApiPoints>> {
  if (customerIds.length === 0) return new Map();
  const soon = new Date(at.getTime() + EXPIRING_SOON_DAYS * 86_400_000);
  const rows = await db.$queryRaw<(ApiPoints & { customerId: number })[]>`
    SELECT a."customerId",
      COALESCE(SUM(l."remaining") FILTER (WHERE l."availableAt" <= ${at} AND (l."expiresAt" IS NULL OR l."expiresAt" > ${at})), 0)::int AS "available",
      COALESCE(SUM(l."remaining") FILTER (WHERE l."availableAt" > ${at} AND (l."expiresAt" IS NULL OR l."expiresAt" > ${at})), 0)::int AS "pending",
      COALESCE(SUM(l."remaining") FILTER (WHERE l."availableAt" <= ${at} AND l."expiresAt" > ${at} AND l."expiresAt" <= ${soon}), 0)::int AS "expiringSoon",
      MAX(a."debt")::int AS "debt"
    FROM "LedgerAccount" a LEFT JOIN "PointLot" l ON l."accountId" = a."id" AND l."remaining" > 0
    WHERE a."customerId" = ANY(${customerIds}::int[])
    GROUP BY a."customerId"`;
  return new Map(rows.map(({ customerId, ...points }) => [customerId, points]));
}

/**
 * One member of the program with points and tier; another program's member is not found. One
 * statement: the customer by (program, externalId), the tier's name and the points by state from
 * the member's open lots (the same split as getPointsOfCustomers).
 */
export async function getApiMember(programId: number, externalId: string, db: Tx = prisma, at = new Date()) {
  const soon = new Date(at.getTime() + EXPIRING_SOON_DAYS * 86_400_000);
  const rows = await hotRows<Omit<ApiMemberRow, "tier"> & { tierName: string | null } & ApiPoints>(db, Prisma.sql`${preparedSql}
    SELECT c."id", c."externalId", c."email", c."name", c."locale", c."birthday", c."enrolledAt", c."createdAt", c."updatedAt", c."erasedAt", c."tierId",
      t."name" AS "tierName", p."available", p."pending", p."expiringSoon", p."debt"
    FROM "Customer" c
    LEFT JOIN "Tier" t ON t."id" = c."tierId"
    LEFT JOIN LATERAL (
      SELECT
        COALESCE(SUM(l."remaining") FILTER (WHERE l."availableAt" <= ${at} AND (l."expiresAt" IS NULL OR l."expiresAt" > ${at})), 0)::int AS "available",
        COALESCE(SUM(l."remaining") FILTER (WHERE l."availableAt" > ${at} AND (l."expiresAt" IS NULL OR l."expiresAt" > ${at})), 0)::int AS "pending",
        COALESCE(SUM(l."remaining") FILTER (WHERE l."availableAt" <= ${at} AND l."expiresAt" > ${at} AND l."expiresAt" <= ${soon}), 0)::int AS "expiringSoon",
        COALESCE(MAX(a."debt"), 0)::int AS "debt"
      FROM "LedgerAccount" a LEFT JOIN "PointLot" l ON l."accountId" = a."id" AND l."remaining" > 0
      WHERE a."customerId" = c."id"
    ) p ON true
    WHERE c."programId" = ${programId} AND c."externalId" = ${externalId}`);
  if (rows.length === 0) throw new AppError("MEMBER_NOT_FOUND");
  const { tierName, available, pending, expiringSoon, debt, ...row } = rows[0];
  return memberJson({ ...row, tier: tierName === null ? null : { name: tierName } }, { available, pending, expiringSoon, debt });
}

/**
 * A page of the program's customers in id order (stable while members are added: new ones come
 * last), with the filters of GET /members. `nextCursor` is null on the last page.
 */
export async function listApiMembers(programId: number, query: ListMembersQuery, after: Keyset | undefined) {
  const where: Prisma.CustomerWhereInput = {
    programId,
    ...(after ? { id: { gt: after.id } } : {}),
    ...(query.tierId === undefined ? {} : { tierId: query.tierId === "none" ? null : query.tierId }),
    ...(query.isMember === undefined ? {} : { enrolledAt: query.isMember ? { not: null } : null }),
    ...(query.erased === undefined ? {} : { erasedAt: query.erased ? { not: null } : null }),
    ...(query.createdSince ? { createdAt: { gte: query.createdSince } } : {}),
    ...(query.updatedSince ? { updatedAt: { gte: query.updatedSince } } : {}),
    ...(query.email ? { email: query.email } : {}),
  };
  const rows = await prisma.customer.findMany({ where, select: apiMemberSelect, orderBy: { id: "asc" }, take: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const points = await getPointsOfCustomers(prisma, page.map((row) => row.id));
  return {
    members: page.map((row) => memberJson(row, points.get(row.id))),
    nextCursor: rows.length > query.limit ? encodeCursor("members", { id: page[page.length - 1].id }) : null,
  };
}

type LedgerRow = {
  id: number;
  kind: string;
  reason: string;
  note: string | null;
  points: number;
  debtRepaid: number;
  balanceAfter: number | null;
  createdAt: Date;
  availableAt: Date | null;
  expiresAt: Date | null;
  orderExternalId: string | null;
  rewardId: number | null;
  ruleId: number | null;
  ruleName: string | null;
  ruleVersion: number | null;
};

/**
 * The member's ledger, newest first: one line per journal transaction with the points it moved
 * on the member's account and its reason. Keyset pages on (createdAt, id), so entries written
 * while a client pages never shift what comes next.
 */
export async function getMemberLedgerPage(customerId: number, { limit, after }: { limit: number; after: Keyset | undefined }) {
  const continueAfter = after?.at ? Prisma.sql`AND (t."createdAt", t."id") < (${after.at}, ${after.id})` : Prisma.empty;
  const rows = await prisma.$queryRaw<LedgerRow[]>`
    SELECT t."id", t."kind"::text AS "kind", t."reason", t."note", t."balanceAfter", t."createdAt", t."rewardId", t."ruleId", t."ruleVersion",
      COALESCE((SELECT SUM(e."amount") FROM "LedgerEntry" e JOIN "LedgerAccount" a ON a."id" = e."accountId"
        WHERE e."transactionId" = t."id" AND a."kind" = 'MEMBER'), 0)::int AS "points",
      COALESCE((SELECT SUM(e."amount") FROM "LedgerEntry" e JOIN "LedgerAccount" a ON a."id" = e."accountId"
        WHERE e."transactionId" = t."id" AND a."kind" = 'CLAWBACK' AND t."kind" IN ('EARN', 'BONUS')), 0)::int AS "debtRepaid",
      (SELECT MIN(l."availableAt") FROM "PointLot" l WHERE l."transactionId" = t."id") AS "availableAt",
      (SELECT MIN(l."expiresAt") FROM "PointLot" l WHERE l."transactionId" = t."id") AS "expiresAt",
      (SELECT o."externalId" FROM "Order" o WHERE o."id" = t."orderId") AS "orderExternalId",
      (SELECT r."name" FROM "EarnRule" r WHERE r."id" = t."ruleId") AS "ruleName"
    FROM "LedgerTransaction" t
    WHERE t."customerId" = ${customerId} ${continueAfter}
    ORDER BY t."createdAt" DESC, t."id" DESC
    LIMIT ${limit + 1}`;
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    entries: page.map((row) => ({
      id: row.id,
      kind: row.kind,
      reason: row.reason,
      note: row.note,
      points: row.points,
      debtRepaid: row.debtRepaid,
      balanceAfter: row.balanceAfter,
      createdAt: row.createdAt,
      availableAt: row.availableAt,
      expiresAt: row.expiresAt,
      orderExternalId: row.orderExternalId,
      rewardId: row.rewardId,
      rule: row.ruleId !== null && row.ruleName !== null ? { id: row.ruleId, name: row.ruleName, version: row.ruleVersion } : null,
    })),
    nextCursor: rows.length > limit ? encodeCursor("ledger", { id: last.id, at: last.createdAt }) : null,
  };
}
