import "server-only";
import { prisma, type Tx } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import {
  TX_OPTIONS, addMonths, creditPoints, ensureMemberAccount, hashRequest, openLedgerTransaction,
} from "./ledger-core";
import type { ProgramSettings } from "./program";

export type EnrollResult = { customerId: number; welcomePoints: number; balance: number };

/**
 * Joins a shop customer to the program: marks them enrolled (terms accepted), opens their
 * points account and credits the welcome bonus exactly once.
 */
export async function enrollCustomerInTx(
  tx: Tx,
  { program, customerId, at = new Date() }: { program: ProgramSettings; customerId: number; at?: Date },
): Promise<EnrollResult> {
  const updated = await tx.customer.updateMany({
    where: { id: customerId, programId: program.id, enrolledAt: null },
    data: { enrolledAt: at, termsAcceptedAt: at },
  });
  if (updated.count === 0) {
    const exists = await tx.customer.findFirst({ where: { id: customerId, programId: program.id }, select: { id: true } });
    throw new AppError(exists ? "ALREADY_ENROLLED" : "MEMBER_NOT_FOUND");
  }
  const accountId = await ensureMemberAccount(tx, program.id, customerId);
  if (program.welcomeBonus === 0) return { customerId, welcomePoints: 0, balance: 0 };
  const opened = await openLedgerTransaction(tx, {
    programId: program.id,
    kind: "BONUS",
    source: "enrollment",
    idempotencyKey: `welcome:${customerId}`,
    requestHash: hashRequest({ customerId }),
    customerId,
    reason: "welcome_bonus",
    at,
  });
  if (opened.replay) return { customerId, welcomePoints: program.welcomeBonus, balance: opened.existing.balanceAfter ?? 0 };
  const { balance } = await creditPoints(tx, {
    programId: program.id,
    accountId,
    transactionId: opened.id,
    points: program.welcomeBonus,
    availableAt: at,
    expiresAt: program.expiryMonths ? addMonths(at, program.expiryMonths) : null,
    createdAt: at,
  });
  return { customerId, welcomePoints: program.welcomeBonus, balance };
}

export function enrollCustomer(args: { program: ProgramSettings; customerId: number; at?: Date }) {
  return prisma.$transaction((tx) => enrollCustomerInTx(tx, args), TX_OPTIONS);
}

