import "server-only";
import type { Tx } from "@/lib/db/prisma";
import { countingFrom, type ChallengeMetric } from "@/lib/domain/challenges";
import { splitClawback } from "@/lib/domain/ledger-math";
import { isReferralOrderKept } from "@/lib/domain/referrals";
import { metricSql } from "./challenges";
import {
  debitPoints, ensureSystemAccounts, finishLedgerTransaction, hashRequest, lockLots, lockMemberAccount, lockOrOpenMemberAccount, openLedgerTransaction,
} from "./ledger-core";
import { emitWebhookEvent } from "./webhook-events";

// Bonuses an order triggered, reversed when a return or cancellation takes the order's
// qualification away (docs/earning.md): the referral (friend and referrer) once nothing of the
// friend's first order is kept, and every challenge completion the order counted towards once
// the member, judged again as of the completion, falls short of its goal. Each bonus is reversed
// by a RETURN transaction keyed `bonus:<its transaction id>`, so however many returns and
// cancellations arrive (retried, with other return ids, concurrently) it is reversed once.
// Reversals follow the purchase clawback rule: unspent points (pending or available) are taken,
// the bonus's own lot first; what was already spent becomes debt that later earnings repay.

type OrderState = {
  id: number;
  programId: number;
  externalId: string;
  customerId: number;
  placedAt: Date;
  isCancelled: boolean;
  isMemberOrder: boolean;
  unitsKept: number;
  referredById: number | null;
};

/** challenge_reversed; referral_friend_reversed (the friend: names their order); referral_reversed (the referrer: the friend's order number is not theirs to see) */
export type BonusReversalReason = "challenge_reversed" | "referral_friend_reversed" | "referral_reversed";
export type BonusReversal = { customerId: number; reason: BonusReversalReason; pointsReversed: number; debt: number };

/**
 * Call after a return or cancellation has been applied to the order, in the same transaction,
 * with the order's member account locked (then its row): the referrer's account is locked next
 * (friend before referrer, the order every path takes), then the completions.
 */
export async function reverseOrderBonusesInTx(tx: Tx, { orderId, at }: { orderId: number; at: Date }): Promise<BonusReversal[]> {
  const [order] = await tx.$queryRaw<OrderState[]>`
    SELECT o."id", o."programId", o."externalId", o."customerId", o."placedAt", o."cancelledAt" IS NOT NULL AS "isCancelled", o."isMemberOrder",
      -- an order without lines (none reach here through the API) counts as kept, as in metricSql
      COALESCE((SELECT SUM(l."quantity" - l."returnedQuantity") FROM "OrderLine" l WHERE l."orderId" = o."id"), 1)::int AS "unitsKept",
      c."referredById"
    FROM "Order" o JOIN "Customer" c ON c."id" = o."customerId"
    WHERE o."id" = ${orderId}`;
  // a guest's order earned no bonus and counts towards no challenge
  if (!order?.isMemberOrder) return [];
  if (order.referredById) await lockOrOpenMemberAccount(tx, order.programId, order.referredById);
  const reversals: BonusReversal[] = [];
  if (!isReferralOrderKept({ isCancelled: order.isCancelled, unitsKept: order.unitsKept })) {
    reversals.push(...(await reverseReferral(tx, order, at)));
  }
  reversals.push(...(await reverseChallenges(tx, order, at)));
  return reversals;
}

async function reverseReferral(tx: Tx, order: OrderState, at: Date): Promise<BonusReversal[]> {
  const friendKey = `referral:friend:${order.customerId}`;
  const referrerKey = `referral:referrer:${order.customerId}`;
  // bonuses linked to the order; bonuses paid before they were linked are matched by their keys
  // when this order was the friend's first paid one
  const bonuses = await tx.$queryRaw<{ id: number; customerId: number; points: number; reason: string }[]>`
    SELECT t."id", t."customerId", t."points", t."reason" FROM "LedgerTransaction" t
    WHERE t."programId" = ${order.programId} AND t."source" = 'referral' AND t."kind" = 'BONUS' AND t."customerId" IS NOT NULL
      AND (t."orderId" = ${order.id}
        OR (t."orderId" IS NULL AND t."idempotencyKey" IN (${friendKey}, ${referrerKey})
          AND NOT EXISTS (SELECT 1 FROM "Order" e WHERE e."customerId" = ${order.customerId} AND e."totalCents" > 0 AND e."id" < ${order.id})))
    ORDER BY (t."customerId" = ${order.customerId}) DESC, t."id"`;
  const reversals: BonusReversal[] = [];
  for (const bonus of bonuses) {
    const isFriend = bonus.reason === "referral_friend";
    const reason = isFriend ? "referral_friend_reversed" : "referral_reversed";
    const reversed = await reverseBonusInTx(tx, { order, customerId: bonus.customerId, bonusTransactionId: bonus.id, points: bonus.points, reason, note: isFriend ? order.externalId : null, at });
    if (reversed) reversals.push({ customerId: bonus.customerId, reason, pointsReversed: reversed.taken, debt: reversed.debt });
  }
  // a referral still waiting for review will never be paid now
  const voided = await tx.$queryRaw<{ id: number; friendId: number }[]>`
    UPDATE "ReferralReview" SET "status" = 'VOIDED', "decidedAt" = ${at}
    WHERE "orderId" = ${order.id} AND "status" = 'HELD' RETURNING "id", "friendId"`;
  for (const review of voided) {
    await tx.auditLog.create({ data: { action: "referral.voided", targetType: "referral_review", targetId: String(review.id), data: { friendId: review.friendId, order: order.externalId } } });
  }
  return reversals;
}

type CompletionRow = {
  id: number;
  customerId: number;
  completedAt: Date;
  target: number;
  transactionId: number | null;
  bonusPoints: number | null;
  name: string;
  metric: ChallengeMetric;
  startsAt: Date | null;
  windowDays: number | null;
  enrolledAt: Date;
};

async function reverseChallenges(tx: Tx, order: OrderState, at: Date): Promise<BonusReversal[]> {
  // completions this order may have counted towards: the member's own order and spend goals,
  // and the referrer's "friends who ordered" goals
  const rows = await tx.$queryRaw<CompletionRow[]>`
    SELECT x."id", x."customerId", x."completedAt", COALESCE(x."target", ch."target") AS "target", x."transactionId", t."points" AS "bonusPoints",
           ch."name", ch."metric", ch."startsAt", ch."windowDays", c."enrolledAt"
      FROM "ChallengeCompletion" x
      JOIN "Challenge" ch ON ch."id" = x."challengeId"
      JOIN "Customer" c ON c."id" = x."customerId"
      LEFT JOIN "LedgerTransaction" t ON t."id" = x."transactionId"
     WHERE x."reversedAt" IS NULL AND ch."programId" = ${order.programId} AND x."completedAt" >= ${order.placedAt} AND c."enrolledAt" IS NOT NULL
       AND ((ch."metric" IN ('ORDERS', 'SPEND') AND x."customerId" = ${order.customerId})
         OR (ch."metric" = 'REFERRALS' AND x."customerId" = ${order.referredById ?? -1}))
     ORDER BY x."customerId" = ${order.customerId} DESC, x."id"
     FOR UPDATE OF x`;
  const reversals: BonusReversal[] = [];
  for (const row of rows) {
    const from = countingFrom({ startsAt: row.startsAt, windowDays: row.windowDays, enrolledAt: row.enrolledAt, at: row.completedAt });
    if (order.placedAt < from) continue; // the order was outside the goal's window: it didn't count
    // the member's value as of the completion, with today's returns and cancellations applied
    const [{ value }] = await tx.$queryRaw<{ value: number }[]>`
      SELECT ${metricSql({ metric: row.metric, startsAt: row.startsAt, windowDays: row.windowDays }, row.completedAt)} AS "value" FROM "Customer" c WHERE c."id" = ${row.customerId}`;
    if (value >= row.target) continue;
    let reversal: Awaited<ReturnType<typeof reverseBonusInTx>> = null;
    if (row.transactionId !== null && (row.bonusPoints ?? 0) > 0) {
      reversal = await reverseBonusInTx(tx, { order, customerId: row.customerId, bonusTransactionId: row.transactionId, points: row.bonusPoints!, reason: "challenge_reversed", note: row.name, at });
    }
    await tx.$executeRaw`
      UPDATE "ChallengeCompletion" SET "reversedAt" = ${at}, "reversalTransactionId" = ${reversal?.transactionId ?? null} WHERE "id" = ${row.id}`;
    reversals.push({ customerId: row.customerId, reason: "challenge_reversed", pointsReversed: reversal?.taken ?? 0, debt: reversal?.debt ?? 0 });
  }
  return reversals;
}

/**
 * Reverses one bonus transaction once (keyed by its id): takes what the member still holds,
 * the bonus's own lot first, and records the rest as debt. The member's account must already be
 * locked by this transaction. Null when it was reversed before (or the member has no account).
 */
async function reverseBonusInTx(
  tx: Tx,
  args: { order: OrderState; customerId: number; bonusTransactionId: number; points: number; reason: BonusReversalReason; note: string | null; at: Date },
): Promise<{ transactionId: number; taken: number; debt: number } | null> {
  const account = await lockMemberAccount(tx, args.customerId);
  if (!account) return null;
  const opened = await openLedgerTransaction(tx, {
    programId: args.order.programId,
    kind: "RETURN",
    source: "reversal",
    idempotencyKey: `bonus:${args.bonusTransactionId}`,
    requestHash: hashRequest({ bonusTransactionId: args.bonusTransactionId }),
    customerId: args.customerId,
    reason: args.reason,
    note: args.note,
    orderId: args.order.id,
    at: args.at,
  });
  if (opened.replay) return null;
  const lots = await lockLots(tx, { accountId: account.id, filter: "any", at: args.at, preferTransactionId: args.bonusTransactionId });
  const { taken, debt } = splitClawback({ points: args.points, held: lots.reduce((sum, lot) => sum + lot.remaining, 0) });
  let balance = account.balance;
  if (taken > 0) {
    const system = await ensureSystemAccounts(tx, args.order.programId);
    balance = await debitPoints(tx, { accountId: account.id, transactionId: opened.id, amount: taken, lots, to: system.CLAWBACK });
  }
  if (debt > 0) await tx.$executeRaw`UPDATE "LedgerAccount" SET "debt" = "debt" + ${debt} WHERE "id" = ${account.id}`;
  await finishLedgerTransaction(tx, opened.id, balance);
  await emitWebhookEvent(tx, {
    programId: args.order.programId,
    type: "points.reversed",
    dedupeKey: `points.reversed:${opened.id}`,
    payload: { customerId: args.customerId, orderExternalId: args.order.externalId, pointsReversed: taken, debt, balance, reason: args.reason },
    at: args.at,
  });
  return { transactionId: opened.id, taken, debt };
}
