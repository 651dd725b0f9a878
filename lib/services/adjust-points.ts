import "server-only";
import { prisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import type { AdjustPointsInput } from "@/lib/validations/console";
import { writeAudit } from "./audit";
import {
  TX_OPTIONS, creditPoints, debitPoints, ensureMemberAccount, ensureSystemAccounts, finishLedgerTransaction, hashRequest,
  lockLots, lockMemberAccount, lotExpiry, openLedgerTransaction,
} from "./ledger-core";
import type { ProgramSettings } from "./program";

/**
 * A staff correction: adds points (a new lot, available at once) or removes available points
 * (soonest expiry first, never below zero). The reason is shown to the member; who, when and
 * why go to the audit log. Idempotent by the form's request id.
 */
export async function adjustPoints({ program, actorUserId, input, at = new Date() }: { program: ProgramSettings; actorUserId: number; input: AdjustPointsInput; at?: Date }) {
  return prisma.$transaction(async (tx) => {
    const customer = await tx.customer.findFirst({ where: { id: input.customerId, programId: program.id }, select: { id: true, enrolledAt: true } });
    if (!customer) throw new AppError("MEMBER_NOT_FOUND");
    if (!customer.enrolledAt) throw new AppError("NOT_ENROLLED");
    const accountId = await ensureMemberAccount(tx, program.id, customer.id);
    const opened = await openLedgerTransaction(tx, {
      programId: program.id,
      kind: "ADJUST",
      source: "adjustment",
      idempotencyKey: `${customer.id}:${input.requestId}`,
      requestHash: hashRequest({ customerId: customer.id, points: input.points, reason: input.reason }),
      customerId: customer.id,
      reason: "adjustment",
      note: input.reason,
      actorUserId,
      at,
    });
    if (opened.replay) return { balance: opened.existing.balanceAfter ?? 0 };
    let balance: number;
    if (input.points > 0) {
      ({ balance } = await creditPoints(tx, {
        programId: program.id,
        accountId,
        transactionId: opened.id,
        points: input.points,
        availableAt: at,
        expiresAt: lotExpiry(program, at),
        createdAt: at,
      }));
    } else {
      const account = await lockMemberAccount(tx, customer.id);
      const lots = await lockLots(tx, { accountId, filter: "spendable", at });
      if (!account || lots.reduce((sum, lot) => sum + lot.remaining, 0) < -input.points) throw new AppError("INSUFFICIENT_POINTS");
      const system = await ensureSystemAccounts(tx, program.id);
      // a removal un-issues points
      balance = await debitPoints(tx, { accountId, transactionId: opened.id, amount: -input.points, lots, to: system.ISSUED });
      await finishLedgerTransaction(tx, opened.id, balance);
    }
    await writeAudit(tx, { actorUserId, action: "points.adjusted", targetType: "customer", targetId: customer.id, data: { points: input.points, reason: input.reason, transactionId: opened.id } });
    return { balance };
  }, TX_OPTIONS);
}
