import "server-only";
import { randomInt } from "node:crypto";
import { Prisma } from "@/lib/db/generated/client";
import { prisma, type Tx } from "@/lib/db/prisma";
import { hotRows } from "@/lib/db/direct";
import { preparedSql } from "@/lib/db/prepared";
import { planLotConsumption } from "@/lib/domain/ledger-math";
import { AppError } from "@/lib/domain/app-error";
import {
  TX_OPTIONS, addDays, cachedSystemAccounts, ensureSystemAccounts, extendLotsOnActivity, hashRequest, hashRequestSql, lockLots, lockMemberAccount, openLedgerTransaction,
} from "./ledger-core";
import { isUniqueViolation, retryOnDeadlock } from "@/lib/api/idempotency";

const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const REDEMPTION_VALID_DAYS = 90;

export function generateRewardCode(): string {
  const part = () => Array.from({ length: 4 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");
  return `HRTH-${part()}-${part()}-${part()}`;
}

export type RedeemInput = {
  programId: number;
  customerId: number;
  rewardId: number;
  /** the caller's retry key: a double click or a retried request redeems once */
  idempotencyKey: string;
  source: "portal" | "api" | "demo";
  at?: Date;
};

export type RedeemResult = {
  redemptionId: number;
  code: string;
  pointsSpent: number;
  balance: number;
  rewardName: string;
  expiresAt: Date | null;
  /** the partner's code, for vouchers from an imported pool */
  voucherCode: string | null;
};

/**
 * Spends points on a reward: checks the reward, locks the member's account, consumes lots
 * soonest-expiry first, takes one unit of stock and issues a unique code, all in one
 * transaction. Not enough points, no stock or an inactive reward changes nothing.
 */
export async function redeemRewardInTx(tx: Tx, input: RedeemInput): Promise<RedeemResult> {
  const at = input.at ?? new Date();
  // the reward, the customer and the program's expiry policy in one round trip
  const [found] = await tx.$queryRaw<{
    rewardId: number | null; name: string; kind: string; costPoints: number; isActive: boolean; startsAt: Date | null; endsAt: Date | null; stock: number | null;
    tierIds: number[] | null; perMemberLimit: number | null; hasVoucherPool: boolean;
    customerId: number | null; enrolledAt: Date | null; deactivatedAt: Date | null; tierId: number | null; expiryPolicy: string; expiryMonths: number | null;
  }[]>`
    SELECT r."id" AS "rewardId", r."name", r."kind"::text AS "kind", r."costPoints", r."isActive", r."startsAt", r."endsAt", r."stock",
      r."tierIds", r."perMemberLimit", EXISTS (SELECT 1 FROM "RewardVoucher" v WHERE v."rewardId" = r."id") AS "hasVoucherPool",
      c."id" AS "customerId", c."enrolledAt", c."deactivatedAt", c."tierId", p."expiryPolicy", p."expiryMonths"
    FROM "Program" p
    LEFT JOIN "Reward" r ON r."id" = ${input.rewardId} AND r."programId" = p."id"
    LEFT JOIN "Customer" c ON c."id" = ${input.customerId} AND c."programId" = p."id"
    WHERE p."id" = ${input.programId}`;
  if (!found?.rewardId) throw new AppError("REWARD_NOT_FOUND");
  if (!found.customerId) throw new AppError("MEMBER_NOT_FOUND");
  if (!found.enrolledAt) throw new AppError("NOT_ENROLLED");
  if (found.deactivatedAt) throw new AppError("MEMBER_DEACTIVATED");
  const reward = { id: found.rewardId!, name: found.name, costPoints: found.costPoints, isActive: found.isActive, startsAt: found.startsAt, endsAt: found.endsAt, stock: found.stock };

  const opened = await openLedgerTransaction(tx, {
    programId: input.programId,
    kind: "REDEEM",
    source: `redemption:${input.source}`,
    // scoped to the member, so one member's key can never collide with another's
    idempotencyKey: `${input.customerId}:${input.idempotencyKey}`,
    requestHash: hashRequest({ customerId: input.customerId, rewardId: input.rewardId }),
    customerId: input.customerId,
    reason: "reward",
    note: reward.name,
    rewardId: reward.id,
    at,
  });
  if (opened.replay) {
    const previous = await tx.redemption.findUniqueOrThrow({
      where: { transactionId: opened.existing.id },
      select: { id: true, code: true, pointsSpent: true, expiresAt: true },
    });
    const voucher = await tx.rewardVoucher.findUnique({ where: { redemptionId: previous.id }, select: { code: true } });
    return {
      redemptionId: previous.id, code: previous.code, voucherCode: voucher?.code ?? null, pointsSpent: previous.pointsSpent,
      balance: opened.existing.balanceAfter ?? 0, rewardName: reward.name, expiresAt: previous.expiresAt,
    };
  }

  const isInWindow = (!reward.startsAt || reward.startsAt <= at) && (!reward.endsAt || reward.endsAt > at);
  if (!reward.isActive || !isInWindow) throw new AppError("REWARD_INACTIVE");
  const tierIds = found.tierIds ?? [];
  if (tierIds.length > 0 && (found.tierId === null || !tierIds.includes(found.tierId))) throw new AppError("TIER_REQUIRED");

  const account = await lockMemberAccount(tx, input.customerId);
  if (!account) throw new AppError("INSUFFICIENT_POINTS");
  if (found.perMemberLimit !== null) {
    // counted under the member's account lock, so concurrent redemptions can't both squeeze in
    const [{ count }] = await tx.$queryRaw<{ count: number }[]>`
      SELECT COUNT(*)::int AS "count" FROM "Redemption" WHERE "customerId" = ${input.customerId} AND "rewardId" = ${reward.id} AND "status" <> 'CANCELLED'`;
    if (count >= found.perMemberLimit) throw new AppError("REWARD_LIMIT_REACHED");
  }
  const lots = await lockLots(tx, { accountId: account.id, filter: "spendable", at });
  const available = lots.reduce((sum, lot) => sum + lot.remaining, 0);
  if (available < reward.costPoints) throw new AppError("INSUFFICIENT_POINTS");

  if (reward.stock !== null) {
    const taken = await tx.$executeRaw`
      UPDATE "Reward" SET "stock" = "stock" - 1 WHERE "id" = ${reward.id} AND "stock" > 0`;
    if (taken === 0) throw new AppError("REWARD_OUT_OF_STOCK");
  }

  // partner vouchers: one code from the imported pool, claimed with SKIP LOCKED so concurrent
  // redemptions take different codes; an empty pool is out of stock
  let voucherId: number | null = null;
  if (found.kind === "VOUCHER" && found.hasVoucherPool) {
    const [voucher] = await tx.$queryRaw<{ id: number }[]>`
      SELECT "id" FROM "RewardVoucher" WHERE "rewardId" = ${reward.id} AND "redemptionId" IS NULL ORDER BY "id" LIMIT 1 FOR UPDATE SKIP LOCKED`;
    if (!voucher) throw new AppError("REWARD_OUT_OF_STOCK");
    voucherId = voucher.id;
  }

  const system = await ensureSystemAccounts(tx, input.programId);
  const plan = planLotConsumption({ lots, amount: reward.costPoints });
  const expiresAt = addDays(at, REDEMPTION_VALID_DAYS);
  const code = generateRewardCode();
  const balance = account.balance - reward.costPoints;
  // Lots, consumptions, balance, entries, the redemption, the transaction's balance and the
  // outbox event: one statement (the account and the lots are already locked).
  const [row] = await tx.$queryRaw<{ redemptionId: number }[]>`
    WITH takes AS (SELECT * FROM (VALUES ${Prisma.join(plan.map((take) => Prisma.sql`(${take.lotId}::int, ${take.amount}::int)`))}) AS v("lotId", "amount")),
    lots AS (UPDATE "PointLot" p SET "remaining" = p."remaining" - takes."amount" FROM takes WHERE p."id" = takes."lotId"),
    consumed AS (INSERT INTO "LotConsumption" ("lotId", "transactionId", "amount") SELECT "lotId", ${opened.id}, "amount" FROM takes),
    account AS (UPDATE "LedgerAccount" SET "balance" = "balance" - ${reward.costPoints} WHERE "id" = ${account.id}),
    entries AS (INSERT INTO "LedgerEntry" ("transactionId", "accountId", "amount") VALUES (${opened.id}, ${account.id}, ${-reward.costPoints}), (${opened.id}, ${system.REDEEMED}, ${reward.costPoints})),
    finished AS (UPDATE "LedgerTransaction" SET "balanceAfter" = ${balance} WHERE "id" = ${opened.id}),
    redemption AS (
      INSERT INTO "Redemption" ("customerId", "rewardId", "transactionId", "code", "pointsSpent", "createdAt", "expiresAt")
      VALUES (${input.customerId}, ${reward.id}, ${opened.id}, ${code}, ${reward.costPoints}, ${at}, ${expiresAt}) RETURNING "id"),
    event AS (
      INSERT INTO "WebhookEvent" ("programId", "type", "dedupeKey", "payload")
      SELECT ${input.programId}, 'reward.redeemed', 'reward.redeemed:' || redemption."id",
        jsonb_build_object('customerId', ${input.customerId}::int, 'externalId', (SELECT c."externalId" FROM "Customer" c WHERE c."id" = ${input.customerId}::int),
          'redemptionId', redemption."id", 'rewardId', ${reward.id}::int, 'reward', ${reward.name}::text,
          'code', ${code}::text, 'pointsSpent', ${reward.costPoints}::int, 'balance', ${balance}::int, 'expiresAt', ${expiresAt.toISOString()}::text, 'occurredAt', ${at.toISOString()}::text)
      FROM redemption)
    SELECT "id" AS "redemptionId" FROM redemption`;
  let voucherCode: string | null = null;
  if (voucherId !== null) {
    [{ code: voucherCode }] = await tx.$queryRaw<{ code: string }[]>`
      UPDATE "RewardVoucher" SET "redemptionId" = ${row.redemptionId} WHERE "id" = ${voucherId} RETURNING "code"`;
  }
  await extendLotsOnActivity(tx, { expiryPolicy: found.expiryPolicy, expiryMonths: found.expiryMonths }, account.id, at);
  return { redemptionId: row.redemptionId, code, voucherCode, pointsSpent: reward.costPoints, balance, rewardName: reward.name, expiresAt };
}

export function redeemReward(input: RedeemInput) {
  return prisma.$transaction((tx) => redeemRewardInTx(tx, input), TX_OPTIONS);
}

export type FastRedeemOutcome =
  | { kind: "member-not-found" }
  /** nothing was written: the transactional path decides (and answers any error) */
  | { kind: "fallback"; customerId: number }
  | { kind: "done"; status: number; text: string };

/** How many redemptions this process wrote on the fast path (tests read it). */
export const fastRedemptions = { written: 0 };

/**
 * The common redemption over the API (an active reward without a per-member limit or a voucher
 * pool, a member with an account, expiry after earning) in one round trip and no explicit
 * transaction: one statement that finds the member and the reward, checks every condition the
 * common case rests on, locks the account and its spendable lots, consumes them soonest-expiry
 * first, takes stock, writes the REDEEM transaction, entries, consumptions, the code, the outbox
 * event and the idempotency key with its answer. Not enough points, no stock, a taken key, any
 * other case or any doubt writes nothing: the transactional path (redeemRewardInTx) then decides
 * and answers, errors included.
 */
export async function redeemRewardFast(args: {
  programId: number; externalId: string; rewardId: number; apiKeyId: number; key: string;
  /** the request as the idempotency key stores its hash, for the member's id */
  request: (customerId: number) => unknown;
  at?: Date;
}): Promise<FastRedeemOutcome> {
  const at = args.at ?? new Date();
  /** Nothing written here: the member's id for the transactional path, or that there is none. */
  const leaveToTransaction = async (): Promise<FastRedeemOutcome> => {
    const [member] = await hotRows<{ id: number }>(prisma, Prisma.sql`${preparedSql}
      SELECT "id" FROM "Customer" WHERE "programId" = ${args.programId} AND "externalId" = ${args.externalId}`);
    return member ? { kind: "fallback", customerId: member.id } : { kind: "member-not-found" };
  };
  const system = cachedSystemAccounts(args.programId);
  // the program's system accounts aren't known to this process yet: the transactional path
  // (which loads them) serves this one
  if (!system) return leaveToTransaction();
  const code = generateRewardCode();
  const expiresAt = addDays(at, REDEMPTION_VALID_DAYS);
  const customerId = Prisma.sql`f."customerId"`;
  const sql = Prisma.sql`${preparedSql}
    WITH member AS (
      SELECT c."id", c."programId", c."enrolledAt", c."deactivatedAt", c."tierId" FROM "Customer" c
      WHERE c."programId" = ${args.programId}::int AND c."externalId" = ${args.externalId}::text),
    found AS (
      SELECT m."id" AS "customerId", a."id" AS "accountId", r."id" AS "rewardId", r."costPoints" AS "cost", r."name", r."stock"
      FROM member m JOIN "Program" p ON p."id" = m."programId" JOIN "Reward" r ON r."id" = ${args.rewardId}::int AND r."programId" = p."id"
        JOIN "LedgerAccount" a ON a."customerId" = m."id"
      WHERE m."enrolledAt" IS NOT NULL AND m."deactivatedAt" IS NULL AND p."expiryPolicy" <> 'INACTIVITY'
        AND r."isActive" AND (r."startsAt" IS NULL OR r."startsAt" <= ${at}::timestamp) AND (r."endsAt" IS NULL OR r."endsAt" > ${at}::timestamp)
        AND r."perMemberLimit" IS NULL AND r."kind" <> 'VOUCHER' AND (cardinality(r."tierIds") = 0 OR m."tierId" = ANY(r."tierIds"))),
    acct AS (SELECT a."id", a."balance" FROM "LedgerAccount" a, found f WHERE a."id" = f."accountId" FOR UPDATE OF a),
    locked AS (
      SELECT l."id", l."remaining", l."expiresAt" FROM "PointLot" l, acct
      WHERE l."accountId" = acct."id" AND l."remaining" > 0 AND l."availableAt" <= ${at}::timestamp AND (l."expiresAt" IS NULL OR l."expiresAt" > ${at}::timestamp)
      ORDER BY l."expiresAt" ASC NULLS LAST, l."id" ASC FOR UPDATE OF l),
    running AS (SELECT "id", "remaining", SUM("remaining") OVER (ORDER BY "expiresAt" ASC NULLS LAST, "id" ASC) AS "upTo" FROM locked),
    takes AS (
      SELECT r."id", LEAST(r."remaining", f."cost" - (r."upTo" - r."remaining"))::int AS "amount" FROM running r, found f
      WHERE r."upTo" - r."remaining" < f."cost" AND (SELECT SUM("remaining") FROM locked) >= f."cost"),
    stock AS (
      UPDATE "Reward" r SET "stock" = r."stock" - 1 FROM found f
      WHERE r."id" = f."rewardId" AND f."stock" IS NOT NULL AND r."stock" > 0 AND EXISTS (SELECT 1 FROM takes) RETURNING 1),
    ok AS (SELECT 1 FROM found f WHERE EXISTS (SELECT 1 FROM takes) AND (f."stock" IS NULL OR EXISTS (SELECT 1 FROM stock))),
    upd AS (UPDATE "LedgerAccount" a SET "balance" = a."balance" - f."cost" FROM acct, found f, ok WHERE a."id" = acct."id" RETURNING a."balance"),
    t AS (
      INSERT INTO "LedgerTransaction" ("programId", "kind", "source", "idempotencyKey", "requestHash", "customerId", "reason", "note", "rewardId", "balanceAfter", "createdAt")
      SELECT ${args.programId}::int, 'REDEEM'::"TxKind", 'redemption:api', f."customerId" || ${`:api:${args.apiKeyId}:${args.key}`}::text,
        ${hashRequestSql((id) => ({ customerId: id, rewardId: args.rewardId }), customerId)}, f."customerId", 'reward', f."name", f."rewardId", upd."balance", ${at}::timestamp
      FROM upd, found f RETURNING "id"),
    lots AS (UPDATE "PointLot" p SET "remaining" = p."remaining" - takes."amount" FROM takes, t WHERE p."id" = takes."id"),
    consumed AS (INSERT INTO "LotConsumption" ("lotId", "transactionId", "amount") SELECT takes."id", t."id", takes."amount" FROM takes, t),
    entries AS (
      INSERT INTO "LedgerEntry" ("transactionId", "accountId", "amount")
      SELECT t."id", x."account", x."amount" FROM t, found f, LATERAL (VALUES (f."accountId", -f."cost"), (${system.REDEEMED}::int, f."cost")) AS x("account", "amount")),
    redemption AS (
      INSERT INTO "Redemption" ("customerId", "rewardId", "transactionId", "code", "pointsSpent", "createdAt", "expiresAt")
      SELECT f."customerId", f."rewardId", t."id", ${code}::text, f."cost", ${at}::timestamp, ${expiresAt}::timestamp FROM t, found f RETURNING "id"),
    event AS (
      INSERT INTO "WebhookEvent" ("programId", "type", "dedupeKey", "payload")
      SELECT ${args.programId}::int, 'reward.redeemed', 'reward.redeemed:' || redemption."id",
        jsonb_build_object('customerId', f."customerId", 'externalId', ${args.externalId}::text,
          'redemptionId', redemption."id", 'rewardId', f."rewardId", 'reward', f."name",
          'code', ${code}::text, 'pointsSpent', f."cost", 'balance', upd."balance", 'expiresAt', ${expiresAt.toISOString()}::text, 'occurredAt', ${at.toISOString()}::text)
      FROM redemption, upd, found f),
    answer AS (
      INSERT INTO "ApiIdempotency" ("apiKeyId", "key", "requestHash", "statusCode", "responseBody")
      SELECT ${args.apiKeyId}::int, ${args.key}::text, ${hashRequestSql(args.request, customerId)}, 201,
        '{"redemptionId":' || redemption."id" || ',"code":' || ${JSON.stringify(code)}::text || ',"pointsSpent":' || f."cost"
        || ',"balance":' || upd."balance" || ',"expiresAt":' || ${JSON.stringify(expiresAt.toISOString())}::text || ',"voucherCode":null}'
      FROM redemption, upd, found f RETURNING "responseBody")
    SELECT (SELECT "id" FROM member) AS "customerId", (SELECT "responseBody" FROM answer) AS "answer"`;
  let row: { customerId: number | null; answer: string | null } | undefined;
  try {
    [row] = await retryOnDeadlock(() => hotRows<{ customerId: number | null; answer: string | null }>(prisma, sql));
  } catch (error) {
    // the key (or the ledger key, or the code) was taken meanwhile: nothing was written; the
    // transactional path answers (the stored answer, or a conflict)
    if (!isUniqueViolation(error)) throw error;
    return leaveToTransaction();
  }
  if (!row || row.customerId === null) return { kind: "member-not-found" };
  if (!row.answer) return { kind: "fallback", customerId: row.customerId };
  fastRedemptions.written += 1;
  return { kind: "done", status: 201, text: row.answer };
}
