import "server-only";
import { prisma, type Tx } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import { awardActionInTx } from "./award-action";
import { loadEarningConfig } from "./earning-config";
import { placeMemberInTx } from "./tiers";
import { TX_OPTIONS, ensureMemberAccount } from "./ledger-core";
import { emitWebhookEvent } from "./webhook-events";
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
  await ensureMemberAccount(tx, program.id, customerId);
  // read in this transaction: waiting for a second pooled connection here could starve the pool
  const config = await loadEarningConfig(tx, program.id);
  await placeMemberInTx(tx, { programId: program.id, customerId, tiers: config.tiers, policy: config.tierPolicy, at });
  // The sign-up action rule pays the welcome bonus; the key keeps it to once per customer.
  const award = await awardActionInTx(tx, { program, config, kind: "SIGNUP", customerId, key: `welcome:${customerId}`, source: "enrollment", at, reason: "welcome_bonus" });
  const welcomePoints = award.status === "skipped" ? 0 : award.points;
  await emitWebhookEvent(tx, { programId: program.id, type: "member.enrolled", dedupeKey: `member.enrolled:${customerId}`, payload: { customerId, welcomePoints }, at });
  if (award.status === "skipped") return { customerId, welcomePoints: 0, balance: 0 };
  return { customerId, welcomePoints, balance: award.balance };
}

export function enrollCustomer(args: { program: ProgramSettings; customerId: number; at?: Date }) {
  return prisma.$transaction((tx) => enrollCustomerInTx(tx, args), TX_OPTIONS);
}

