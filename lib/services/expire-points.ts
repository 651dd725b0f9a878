import "server-only";
import { prisma, type Tx } from "@/lib/db/prisma";
import {
  TX_OPTIONS, debitPoints, ensureSystemAccounts, finishLedgerTransaction, hashRequest, lockLots, lockMemberAccount, openLedgerTransaction,
} from "./ledger-core";
import { emitWebhookEvent } from "./webhook-events";

/**
 * Expires what is left of lots past their expiry date, one journal transaction per member.
 * Safe to run twice: an expired lot has nothing left, and the key names the lots it emptied.
 */
export async function expireCustomerPointsInTx(tx: Tx, { programId, customerId, at }: { programId: number; customerId: number; at: Date }) {
  const account = await lockMemberAccount(tx, customerId);
  if (!account) return 0;
  const lots = await lockLots(tx, { accountId: account.id, filter: "expired", at });
  const amount = lots.reduce((sum, lot) => sum + lot.remaining, 0);
  if (amount === 0) return 0;
  const lotIds = lots.map((lot) => lot.id);
  const opened = await openLedgerTransaction(tx, {
    programId,
    kind: "EXPIRE",
    source: "expiry",
    idempotencyKey: `expire:${account.id}:${hashRequest(lotIds).slice(0, 24)}`,
    requestHash: hashRequest(lotIds),
    customerId,
    reason: "expiry",
    at,
  });
  if (opened.replay) return 0;
  const system = await ensureSystemAccounts(tx, programId);
  const balance = await debitPoints(tx, { accountId: account.id, transactionId: opened.id, amount, lots, to: system.EXPIRED });
  await finishLedgerTransaction(tx, opened.id, balance);
  await emitWebhookEvent(tx, { programId, type: "points.expired", dedupeKey: `points.expired:${opened.id}`, payload: { customerId, points: amount, balance }, at });
  return amount;
}

/** Members holding points in lots whose expiry date has passed by `at`. */
export async function findCustomersWithDueLots(programId: number, at: Date): Promise<{ customerId: number }[]> {
  return prisma.$queryRaw<{ customerId: number }[]>`
    SELECT DISTINCT a."customerId" FROM "PointLot" l JOIN "LedgerAccount" a ON a."id" = l."accountId"
    WHERE a."programId" = ${programId} AND l."remaining" > 0 AND l."expiresAt" <= ${at}`;
}

export async function expireDuePoints({ programId, at = new Date() }: { programId: number; at?: Date }) {
  const due = await findCustomersWithDueLots(programId, at);
  let expired = 0;
  for (const { customerId } of due) {
    expired += await prisma.$transaction((tx) => expireCustomerPointsInTx(tx, { programId, customerId, at }), TX_OPTIONS);
  }
  return { members: due.length, points: expired };
}
