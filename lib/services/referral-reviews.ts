import "server-only";
import { can } from "@/lib/auth/permissions";
import { prisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import { isReferralOrderKept, type SignalMatch } from "@/lib/domain/referrals";
import type { DecideReferralReviewInput } from "@/lib/validations/console";
import { writeAudit } from "./audit";
import { TX_OPTIONS, lockOrOpenMemberAccount } from "./ledger-core";
import type { ProgramSettings } from "./program";
import { payReferralBonuses } from "./record-order";

// The review queue for referrals held as possible self-referrals (referrals.ts holds them when
// the friend's first order shares a payment, address, IP or device signal with the referrer).

export type ReferralReviewStatus = "HELD" | "APPROVED" | "REJECTED" | "VOIDED";

const reviewSelect = {
  id: true,
  status: true,
  matches: true,
  createdAt: true,
  decidedAt: true,
  decidedById: true,
  note: true,
  friend: { select: { id: true, name: true, email: true, externalId: true } },
  referrer: { select: { id: true, name: true, email: true, externalId: true } },
  order: { select: { externalId: true, totalCents: true, returnedCents: true, placedAt: true, cancelledAt: true } },
} as const;

/** Held referrals, oldest first (`held`), or the latest decisions, newest first (`decided`), of the program. */
export async function listReferralReviews({ programId, view = "held", limit = 100 }: { programId: number; view?: "held" | "decided"; limit?: number }) {
  const rows = await prisma.referralReview.findMany({
    where: view === "held" ? { programId, status: "HELD" } : { programId, status: { not: "HELD" } },
    orderBy: view === "held" ? [{ createdAt: "asc" }, { id: "asc" }] : [{ decidedAt: "desc" }, { id: "desc" }],
    take: limit,
    select: reviewSelect,
  });
  const deciderIds = [...new Set(rows.map((row) => row.decidedById).filter((id): id is number => id !== null))];
  const deciders = deciderIds.length > 0 ? await prisma.user.findMany({ where: { id: { in: deciderIds } }, select: { id: true, name: true } }) : [];
  return rows.map((row) => ({
    ...row,
    status: row.status as ReferralReviewStatus,
    matches: row.matches as SignalMatch[],
    decidedBy: deciders.find((user) => user.id === row.decidedById)?.name ?? null,
  }));
}

/**
 * Approves (pays the friend's and the referrer's bonuses through the normal referral path, once,
 * pending for the order's return window) or rejects (pays nothing) a held referral; the decision
 * is final and audit-logged. The actor's role is re-read here, so a caller without the
 * permission (a member, a deactivated or demoted user) is refused whatever the action layer did.
 * Repeating the same decision answers it again; a different one on a decided referral is a
 * conflict, as is approving one whose order was cancelled or returned in full.
 */
export async function decideReferralReview({
  program,
  actorUserId,
  input,
  at = new Date(),
}: {
  program: ProgramSettings;
  actorUserId: number;
  input: DecideReferralReviewInput;
  at?: Date;
}): Promise<{ id: number; status: ReferralReviewStatus; replayed: boolean }> {
  return prisma.$transaction(async (tx) => {
    const actor = await tx.user.findUnique({ where: { id: actorUserId }, select: { role: true, isActive: true } });
    if (!actor || !actor.isActive || !can(actor.role, "reviewReferrals")) throw new AppError("FORBIDDEN");
    const review = await tx.referralReview.findFirst({ where: { id: input.id, programId: program.id }, select: { id: true, friendId: true, referrerId: true } });
    if (!review) throw new AppError("NOT_FOUND", "no held referral with this id in the program");
    // lock order: the friend's account, the referrer's, then the review (as returns and orders do)
    await lockOrOpenMemberAccount(tx, program.id, review.friendId);
    await lockOrOpenMemberAccount(tx, program.id, review.referrerId);
    const [locked] = await tx.$queryRaw<{ status: ReferralReviewStatus; orderId: number; matches: SignalMatch[] }[]>`
      SELECT "status", "orderId", "matches" FROM "ReferralReview" WHERE "id" = ${review.id} FOR UPDATE`;
    const decided: ReferralReviewStatus = input.decision === "approve" ? "APPROVED" : "REJECTED";
    if (locked.status === decided) return { id: review.id, status: decided, replayed: true };
    if (locked.status !== "HELD") throw new AppError("CONFLICT", `this referral was already ${locked.status.toLowerCase()}`);
    const order = await tx.order.findUniqueOrThrow({
      where: { id: locked.orderId },
      select: { id: true, externalId: true, placedAt: true, cancelledAt: true, lines: { select: { quantity: true, returnedQuantity: true } } },
    });
    if (decided === "APPROVED") {
      const unitsKept = order.lines.length === 0 ? 1 : order.lines.reduce((sum, line) => sum + line.quantity - line.returnedQuantity, 0);
      if (!isReferralOrderKept({ isCancelled: order.cancelledAt !== null, unitsKept })) {
        throw new AppError("CONFLICT", "the order was cancelled or returned: the referral can no longer be paid");
      }
      await payReferralBonuses(tx, { program, friendId: review.friendId, referrerId: review.referrerId, orderId: order.id, placedAt: order.placedAt, at });
    }
    const note = input.note ? input.note : null;
    await tx.referralReview.update({ where: { id: review.id }, data: { status: decided, decidedAt: at, decidedById: actorUserId, note } });
    await writeAudit(tx, {
      actorUserId,
      action: decided === "APPROVED" ? "referral.approved" : "referral.rejected",
      targetType: "referral_review",
      targetId: review.id,
      data: { friendId: review.friendId, referrerId: review.referrerId, order: order.externalId, matches: locked.matches, note },
    });
    return { id: review.id, status: decided, replayed: false };
  }, TX_OPTIONS);
}
