import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { prisma, type Tx } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import { calculateOrderPoints, type SpendRule } from "@/lib/domain/earn-points";
import { resolveTier, type TierDef } from "@/lib/domain/tiers";
import {
  TX_OPTIONS, addDays, addMonths, creditPoints, ensureMemberAccount, hashRequest, openLedgerTransaction,
} from "./ledger-core";
import type { ProgramSettings } from "./program";

export type OrderLineInput = { sku: string; category?: string | null; quantity: number; unitPriceCents: number };

export type RecordOrderInput = {
  program: ProgramSettings;
  externalId: string;
  member: { externalId: string } | { email: string };
  currency: string;
  totalCents: number;
  placedAt: Date;
  lines: OrderLineInput[];
};

export type RecordOrderResult = { orderId: number; pointsEarned: number; pointsPending: number; tier: string | null };

export type EarningConfig = { rule: (SpendRule & { id: number; version: number }) | null; tiers: TierDef[] };

type CustomerRow = { id: number; enrolledAt: Date | null; tierId: number | null; accountId: number | null; spendCents: number };

/** The earning rule and tiers as they are now: read fresh, so a console change applies to the next order. */
export async function loadEarningConfig(tx: Tx, programId: number): Promise<EarningConfig> {
  const [row] = await tx.$queryRaw<{ rule: (Omit<SpendRule, "startsAt" | "endsAt"> & { id: number; version: number; startsAt: string | null; endsAt: string | null }) | null; tiers: TierDef[] | null }[]>`
    SELECT
      (SELECT json_build_object('id', r."id", 'version', r."version", 'pointsPerUnitHundredths', r."pointsPerUnitHundredths",
              'tierMultipliers', r."tierMultipliers", 'isActive', r."isActive", 'startsAt', r."startsAt", 'endsAt', r."endsAt")
         FROM "EarnRule" r WHERE r."programId" = ${programId} AND r."kind" = 'SPEND') AS "rule",
      (SELECT json_agg(json_build_object('id', t."id", 'name', t."name", 'rank', t."rank", 'minSpendCents', t."minSpendCents") ORDER BY t."rank")
         FROM "Tier" t WHERE t."programId" = ${programId}) AS "tiers"`;
  const rule = row.rule
    ? {
        ...row.rule,
        // json_build_object renders timestamp(3) without a zone; the database stores UTC
        startsAt: row.rule.startsAt ? new Date(`${row.rule.startsAt}Z`) : null,
        endsAt: row.rule.endsAt ? new Date(`${row.rule.endsAt}Z`) : null,
      }
    : null;
  return { rule, tiers: row.tiers ?? [] };
}

/** The customer, their points account and their net spend in the 12 months before `at`. */
async function findCustomer(tx: Tx, programId: number, member: RecordOrderInput["member"], at: Date): Promise<CustomerRow> {
  const match = "externalId" in member ? Prisma.sql`c."externalId" = ${member.externalId}` : Prisma.sql`c."email" = ${member.email.toLowerCase()}`;
  const rows = await tx.$queryRaw<CustomerRow[]>`
    SELECT c."id", c."enrolledAt", c."tierId", a."id" AS "accountId",
      (SELECT COALESCE(SUM(o."totalCents" - o."returnedCents"), 0) FROM "Order" o
        WHERE o."customerId" = c."id" AND o."placedAt" > ${addMonths(at, -12)} AND o."placedAt" <= ${at})::int AS "spendCents"
    FROM "Customer" c LEFT JOIN "LedgerAccount" a ON a."customerId" = c."id"
    WHERE c."programId" = ${programId} AND ${match}`;
  if (rows.length === 0) throw new AppError("MEMBER_NOT_FOUND");
  return rows[0];
}

/**
 * Records a shop order and, for members, awards its points through the ledger in the same
 * transaction; the ledger row records the rule version that produced it. The tier is
 * re-evaluated on trailing 12-month spend including this order. `config` may be passed by bulk
 * callers that already loaded it inside the same transaction.
 */
export async function recordOrderInTx(tx: Tx, input: RecordOrderInput, preloaded?: EarningConfig): Promise<RecordOrderResult> {
  const { program } = input;
  const customer = await findCustomer(tx, program.id, input.member, input.placedAt);
  const isMember = customer.enrolledAt !== null;
  const config = isMember ? (preloaded ?? (await loadEarningConfig(tx, program.id))) : { rule: null, tiers: [] };
  const earn = calculateOrderPoints({ rule: config.rule, tierId: customer.tierId, lines: input.lines, at: input.placedAt });

  const inserted = await tx.$queryRaw<{ id: number }[]>`
    INSERT INTO "Order" ("programId", "externalId", "customerId", "currency", "totalCents", "placedAt", "isMemberOrder", "pointsEarned", "createdAt")
    VALUES (${program.id}, ${input.externalId}, ${customer.id}, ${input.currency}, ${input.totalCents}, ${input.placedAt}, ${isMember}, ${earn.points}, ${input.placedAt})
    ON CONFLICT ("programId", "externalId") DO NOTHING RETURNING "id"`;
  if (inserted.length === 0) throw new AppError("ORDER_EXISTS");
  const orderId = inserted[0].id;
  await tx.$executeRaw`
    INSERT INTO "OrderLine" ("orderId", "lineNo", "sku", "category", "quantity", "unitPriceCents", "pointsEarned")
    VALUES ${Prisma.join(
      input.lines.map(
        (line, index) => Prisma.sql`(${orderId}, ${index + 1}, ${line.sku}, ${line.category ?? null}, ${line.quantity}, ${line.unitPriceCents}, ${earn.linePoints[index]})`,
      ),
    )}`;

  if (!isMember) return { orderId, pointsEarned: 0, pointsPending: 0, tier: null };

  const tier = resolveTier({ tiers: config.tiers, spendCents: customer.spendCents + input.totalCents });
  if (tier && tier.id !== customer.tierId) {
    await tx.$executeRaw`UPDATE "Customer" SET "tierId" = ${tier.id} WHERE "id" = ${customer.id}`;
  }
  const tierName = tier?.name ?? null;
  if (earn.points === 0) return { orderId, pointsEarned: 0, pointsPending: 0, tier: tierName };

  const accountId = customer.accountId ?? (await ensureMemberAccount(tx, program.id, customer.id));
  const opened = await openLedgerTransaction(tx, {
    programId: program.id,
    kind: "EARN",
    source: "order",
    idempotencyKey: `order:${orderId}`,
    requestHash: hashRequest({ orderId }),
    customerId: customer.id,
    reason: "order",
    note: input.externalId,
    ruleId: config.rule?.id ?? null,
    ruleVersion: config.rule?.version ?? null,
    orderId,
    at: input.placedAt,
  });
  if (opened.replay) throw new AppError("ORDER_EXISTS");
  const availableAt = addDays(input.placedAt, program.pendingDays);
  const credit = await creditPoints(tx, {
    programId: program.id,
    accountId,
    transactionId: opened.id,
    points: earn.points,
    availableAt,
    expiresAt: program.expiryMonths ? addMonths(input.placedAt, program.expiryMonths) : null,
    createdAt: input.placedAt,
  });
  const isPending = availableAt > new Date();
  return { orderId, pointsEarned: earn.points, pointsPending: isPending ? credit.credited : 0, tier: tierName };
}

export function recordOrder(input: RecordOrderInput) {
  return prisma.$transaction((tx) => recordOrderInTx(tx, input), TX_OPTIONS);
}
