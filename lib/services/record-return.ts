import "server-only";
import { prisma, type Tx } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import { returnedValueCents } from "@/lib/domain/earn-points";
import { lineReversal, splitClawback } from "@/lib/domain/ledger-math";
import {
  TX_OPTIONS, debitPoints, ensureSystemAccounts, finishLedgerTransaction, hashRequest, lockLots, lockMemberAccount, lockOrOpenMemberAccount, openLedgerTransaction,
} from "./ledger-core";
import { reverseOrderBonusesInTx } from "./reverse-order-bonuses";
import { emitWebhookEvent } from "./webhook-events";

export type RecordReturnInput = {
  programId: number;
  orderExternalId: string;
  returnExternalId: string;
  lines: { sku: string; quantity: number }[];
  at?: Date;
  reason?: "return" | "cancellation";
};

export type RecordReturnResult = { returnId: number; amountCents: number; pointsReversed: number; debt: number };

/**
 * Records a (partial) return: reverses points pro rata by line, capped at what each line
 * earned; points the member already spent become debt repaid by future earnings. Bonuses the
 * order triggered (referral, challenge completions) are reversed once the order no longer
 * qualifies for them (reverse-order-bonuses.ts). Idempotent by return id: the same return
 * posted again answers the first result.
 */
export async function recordReturnInTx(tx: Tx, input: RecordReturnInput): Promise<RecordReturnResult> {
  const at = input.at ?? new Date();
  const order = await findOrder(tx, input.programId, input.orderExternalId);
  // Lock order: member account first, then the order, then its lines.
  const account = await lockOrderAccount(tx, input.programId, order);
  const [locked] = await tx.$queryRaw<{ totalCents: number; shippingCents: number; taxCents: number; returnedCents: number }[]>`
    SELECT "totalCents", "shippingCents", "taxCents", "returnedCents" FROM "Order" WHERE "id" = ${order.id} FOR UPDATE`;
  const previous = await tx.orderReturn.findUnique({
    where: { orderId_externalId: { orderId: order.id, externalId: input.returnExternalId } },
    select: { id: true, amountCents: true, pointsReversed: true, debt: true },
  });
  if (previous) return { returnId: previous.id, amountCents: previous.amountCents, pointsReversed: previous.pointsReversed, debt: previous.debt };
  const result = await returnLinesInTx(tx, { input, order: { ...order, ...locked }, account, at });
  await reverseOrderBonusesInTx(tx, { orderId: order.id, at });
  return result;
}

type FoundOrder = { id: number; customerId: number; isMemberOrder: boolean };

async function findOrder(tx: Tx, programId: number, externalId: string): Promise<FoundOrder> {
  const order = await tx.order.findFirst({ where: { programId, externalId }, select: { id: true, customerId: true, isMemberOrder: true } });
  if (!order) throw new AppError("NOT_FOUND", "order not found");
  return order;
}

/**
 * Locks the order's member account (opened if a member has none yet, so a return always holds
 * the lock a concurrent challenge run waits for); a guest's order may have no account.
 */
function lockOrderAccount(tx: Tx, programId: number, order: FoundOrder) {
  return order.isMemberOrder ? lockOrOpenMemberAccount(tx, programId, order.customerId) : lockMemberAccount(tx, order.customerId);
}

/** Returns the given units of a locked order and claws back what their lines earned. */
async function returnLinesInTx(
  tx: Tx,
  { input, order, account, at }: {
    input: RecordReturnInput; order: FoundOrder & { totalCents: number; shippingCents: number; taxCents: number; returnedCents: number };
    account: { id: number; balance: number } | null; at: Date;
  },
): Promise<RecordReturnResult> {
  const lines = await tx.$queryRaw<{ id: number; sku: string; quantity: number; unitPriceCents: number; discountCents: number; returnedQuantity: number; pointsEarned: number; pointsReversed: number }[]>`
    SELECT "id", "sku", "quantity", "unitPriceCents", "discountCents", "returnedQuantity", "pointsEarned", "pointsReversed"
    FROM "OrderLine" WHERE "orderId" = ${order.id} ORDER BY "lineNo" FOR UPDATE`;

  let amountCents = 0;
  let points = 0;
  const updates: { id: number; quantity: number; reversed: number }[] = [];
  for (const requested of input.lines) {
    let left = requested.quantity;
    for (const line of lines.filter((candidate) => candidate.sku === requested.sku)) {
      const open = line.quantity - line.returnedQuantity;
      const take = Math.min(open, left);
      if (take <= 0) continue;
      const reversed = lineReversal({ line, returning: take });
      // what the customer paid for these units (their share of the order's discounts taken off)
      amountCents += returnedValueCents({ line, returnedBefore: line.returnedQuantity, returning: take });
      line.returnedQuantity += take;
      line.pointsReversed += reversed;
      points += reversed;
      updates.push({ id: line.id, quantity: take, reversed });
      left -= take;
    }
    if (left > 0) throw new AppError("VALIDATION", `more units of ${requested.sku} returned than were bought`);
  }
  // returned merchandise never exceeds what the order charged for merchandise (shipping is not refunded here)
  amountCents = Math.max(0, Math.min(amountCents, order.totalCents - order.shippingCents - order.taxCents - order.returnedCents));

  for (const update of updates) {
    await tx.$executeRaw`
      UPDATE "OrderLine" SET "returnedQuantity" = "returnedQuantity" + ${update.quantity}, "pointsReversed" = "pointsReversed" + ${update.reversed}
      WHERE "id" = ${update.id}`;
  }
  await tx.$executeRaw`UPDATE "Order" SET "returnedCents" = "returnedCents" + ${amountCents} WHERE "id" = ${order.id}`;

  let taken = 0;
  let debt = 0;
  if (points > 0 && account) {
    const opened = await openLedgerTransaction(tx, {
      programId: input.programId,
      kind: "RETURN",
      source: "return",
      idempotencyKey: `return:${order.id}:${input.returnExternalId}`,
      requestHash: hashRequest({ orderId: order.id, lines: input.lines }),
      customerId: order.customerId,
      reason: input.reason ?? "return",
      note: input.orderExternalId,
      orderId: order.id,
      at,
    });
    if (opened.replay) throw new AppError("CONFLICT", "return already recorded");
    const earnTx = await tx.ledgerTransaction.findFirst({ where: { orderId: order.id, kind: "EARN" }, select: { id: true } });
    const lots = await lockLots(tx, { accountId: account.id, filter: "any", at, preferTransactionId: earnTx?.id });
    const held = lots.reduce((sum, lot) => sum + lot.remaining, 0);
    ({ taken, debt } = splitClawback({ points, held }));
    let balance = account.balance;
    if (taken > 0) {
      const system = await ensureSystemAccounts(tx, input.programId);
      balance = await debitPoints(tx, { accountId: account.id, transactionId: opened.id, amount: taken, lots, to: system.CLAWBACK });
    }
    if (debt > 0) await tx.$executeRaw`UPDATE "LedgerAccount" SET "debt" = "debt" + ${debt} WHERE "id" = ${account.id}`;
    await finishLedgerTransaction(tx, opened.id, balance);
    await emitWebhookEvent(tx, {
      programId: input.programId,
      type: "points.reversed",
      dedupeKey: `points.reversed:${opened.id}`,
      payload: { customerId: order.customerId, orderExternalId: input.orderExternalId, returnExternalId: input.returnExternalId, pointsReversed: taken, debt, balance, reason: input.reason ?? "return" },
      at,
    });
  }
  const created = await tx.orderReturn.create({
    data: { orderId: order.id, externalId: input.returnExternalId, amountCents, pointsReversed: taken, debt, createdAt: at },
    select: { id: true },
  });
  return { returnId: created.id, amountCents, pointsReversed: taken, debt };
}

/**
 * Cancels an order: returns every unit not returned yet (reason "cancellation") and reverses the
 * bonuses it triggered. Points still pending simply leave the member's pending total; points
 * already spent become debt. The order's state is read under its locks, so a cancellation racing
 * a return or another cancellation returns what is left; cancelling twice answers the first result.
 */
export async function cancelOrderInTx(tx: Tx, { programId, orderExternalId, at = new Date() }: { programId: number; orderExternalId: string; at?: Date }) {
  const order = await findOrder(tx, programId, orderExternalId);
  const account = await lockOrderAccount(tx, programId, order);
  const [locked] = await tx.$queryRaw<{ totalCents: number; shippingCents: number; taxCents: number; returnedCents: number; cancelledAt: Date | null }[]>`
    SELECT "totalCents", "shippingCents", "taxCents", "returnedCents", "cancelledAt" FROM "Order" WHERE "id" = ${order.id} FOR UPDATE`;
  const previous = await tx.orderReturn.findUnique({ where: { orderId_externalId: { orderId: order.id, externalId: CANCEL_RETURN_ID } }, select: { pointsReversed: true, debt: true } });
  if (previous || locked.cancelledAt) {
    return { pointsReversed: previous?.pointsReversed ?? 0, debt: previous?.debt ?? 0, cancelledAt: locked.cancelledAt ?? at };
  }
  const open = await tx.$queryRaw<{ sku: string; quantity: number }[]>`
    SELECT "sku", SUM("quantity" - "returnedQuantity")::int AS "quantity" FROM "OrderLine" WHERE "orderId" = ${order.id}
    GROUP BY "sku" HAVING SUM("quantity" - "returnedQuantity") > 0 ORDER BY MIN("lineNo")`;
  // cancelled first, so the bonus check below sees a cancelled order
  await tx.order.update({ where: { id: order.id }, data: { cancelledAt: at } });
  let result = { pointsReversed: 0, debt: 0 };
  // everything returned already: nothing left to return, but the order is cancelled now
  if (open.length > 0) {
    const input = { programId, orderExternalId, returnExternalId: CANCEL_RETURN_ID, lines: open, at, reason: "cancellation" as const };
    result = await returnLinesInTx(tx, { input, order: { ...order, ...locked }, account, at });
  }
  await reverseOrderBonusesInTx(tx, { orderId: order.id, at });
  return { pointsReversed: result.pointsReversed, debt: result.debt, cancelledAt: at };
}

/**
 * The return row a cancellation writes. '#' is outside the characters a shop's return id may use
 * (lib/validations/api.ts), so no return the shop reports can ever be taken for a cancellation
 * (a shop return with id "cancel" used to make a later cancellation do nothing).
 */
export const CANCEL_RETURN_ID = "#cancel";

export function recordReturn(input: RecordReturnInput) {
  return prisma.$transaction((tx) => recordReturnInTx(tx, input), TX_OPTIONS);
}
