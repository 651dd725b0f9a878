import "server-only";
import { prisma, type Tx } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import { TX_OPTIONS, ensureSystemAccounts, hashRequest, insertEntries, lockMemberAccount, openLedgerTransaction } from "./ledger-core";
import { emitWebhookEvent } from "./webhook-events";

// A redemption's code is ACTIVE until the shop marks it USED at checkout or it is CANCELLED
// (by the member or the shop) while still unused, which gives the points back exactly once.
// "Expired" is derived: ACTIVE with expiresAt in the past.

export type RedemptionState = "ACTIVE" | "USED" | "CANCELLED" | "EXPIRED";

export function redemptionState(row: { status: string; expiresAt: Date | null }, at = new Date()): RedemptionState {
  if (row.status === "ACTIVE" && row.expiresAt && row.expiresAt <= at) return "EXPIRED";
  return row.status as RedemptionState;
}

type Found = { id: number; customerId: number; transactionId: number; rewardId: number; status: string; expiresAt: Date | null; usedAt: Date | null; cancelledAt: Date | null; pointsSpent: number; code: string };

async function lockRedemption(tx: Tx, programId: number, where: { code: string } | { id: number; customerId: number }): Promise<Found> {
  const condition = "code" in where ? { code: where.code } : { id: where.id, customerId: where.customerId };
  const found = await tx.redemption.findFirst({ where: { ...condition, customer: { programId } }, select: { id: true, customerId: true } });
  if (!found) throw new AppError("NOT_FOUND", "no redemption with this code");
  // lock order: member account first, then the redemption row
  await lockMemberAccount(tx, found.customerId);
  const [row] = await tx.$queryRaw<Found[]>`
    SELECT "id", "customerId", "transactionId", "rewardId", "status", "expiresAt", "usedAt", "cancelledAt", "pointsSpent", "code"
    FROM "Redemption" WHERE "id" = ${found.id} FOR UPDATE`;
  return row;
}

/** The shop marks a code used at checkout; marking it again answers the same. */
export async function markRedemptionUsed(args: { programId: number; code: string; at?: Date }) {
  return prisma.$transaction((tx) => markRedemptionUsedInTx(tx, args), TX_OPTIONS);
}

export async function markRedemptionUsedInTx(tx: Tx, { programId, code, at = new Date() }: { programId: number; code: string; at?: Date }) {
  {
    const row = await lockRedemption(tx, programId, { code });
    if (row.status === "USED") return { code: row.code, status: "USED" as const, usedAt: row.usedAt! };
    if (row.status === "CANCELLED") throw new AppError("CONFLICT", "this code was cancelled and its points refunded");
    if (redemptionState(row, at) === "EXPIRED") throw new AppError("CONFLICT", "this code has expired");
    await tx.redemption.update({ where: { id: row.id }, data: { status: "USED", usedAt: at } });
    return { code: row.code, status: "USED" as const, usedAt: at };
  }
}

/**
 * Cancels an unused code: the points go back to the very lots that paid for it (with their
 * original expiry), one unit of stock returns, and the ledger records it once per redemption.
 */
type CancelArgs = { programId: number; where: { code: string } | { id: number; customerId: number }; at?: Date; by: "member" | "shop" };

export async function cancelRedemption(args: CancelArgs) {
  return prisma.$transaction((tx) => cancelRedemptionInTx(tx, args), TX_OPTIONS);
}

export async function cancelRedemptionInTx(tx: Tx, { programId, where, at = new Date(), by }: CancelArgs) {
  {
    const row = await lockRedemption(tx, programId, where);
    if (row.status === "CANCELLED") {
      const balance = (await tx.ledgerAccount.findUniqueOrThrow({ where: { customerId: row.customerId }, select: { balance: true } })).balance;
      return { code: row.code, status: "CANCELLED" as const, pointsRefunded: row.pointsSpent, balance };
    }
    if (row.status === "USED") throw new AppError("CONFLICT", "this code was already used");
    // an expired code's points stay spent: refunding them into lots that have expired too would
    // show them coming back and expiring again the same moment
    if (redemptionState(row, at) === "EXPIRED") throw new AppError("CODE_EXPIRED");
    const account = await tx.ledgerAccount.findUniqueOrThrow({ where: { customerId: row.customerId }, select: { id: true } });
    const opened = await openLedgerTransaction(tx, {
      programId,
      kind: "ADJUST",
      source: "redemption-cancel",
      idempotencyKey: `cancel:${row.id}`,
      requestHash: hashRequest({ redemptionId: row.id }),
      customerId: row.customerId,
      reason: "reward_cancelled",
      note: row.code,
      rewardId: row.rewardId,
      at,
    });
    if (opened.replay) throw new AppError("CONFLICT", "this redemption was already cancelled");
    // give the points back to the lots the redemption consumed, in lot id order
    await tx.$queryRaw`
      SELECT l."id" FROM "PointLot" l JOIN "LotConsumption" c ON c."lotId" = l."id"
      WHERE c."transactionId" = ${row.transactionId} ORDER BY l."id" FOR UPDATE OF l`;
    await tx.$executeRaw`
      UPDATE "PointLot" l SET "remaining" = l."remaining" + c."amount"
      FROM "LotConsumption" c WHERE c."lotId" = l."id" AND c."transactionId" = ${row.transactionId}`;
    const [{ balance }] = await tx.$queryRaw<{ balance: number }[]>`
      UPDATE "LedgerAccount" SET "balance" = "balance" + ${row.pointsSpent} WHERE "id" = ${account.id} RETURNING "balance"`;
    const system = await ensureSystemAccounts(tx, programId);
    await insertEntries(tx, opened.id, [
      { accountId: system.REDEEMED, amount: -row.pointsSpent },
      { accountId: account.id, amount: row.pointsSpent },
    ]);
    await tx.$executeRaw`UPDATE "LedgerTransaction" SET "balanceAfter" = ${balance} WHERE "id" = ${opened.id}`;
    await tx.$executeRaw`UPDATE "Reward" SET "stock" = "stock" + 1 WHERE "id" = ${row.rewardId} AND "stock" IS NOT NULL`;
    await tx.redemption.update({ where: { id: row.id }, data: { status: "CANCELLED", cancelledAt: at } });
    await emitWebhookEvent(tx, {
      programId,
      type: "reward.cancelled",
      dedupeKey: `reward.cancelled:${row.id}`,
      payload: { customerId: row.customerId, redemptionId: row.id, code: row.code, pointsRefunded: row.pointsSpent, balance, by },
      at,
    });
    return { code: row.code, status: "CANCELLED" as const, pointsRefunded: row.pointsSpent, balance };
  }
}
