import "server-only";
import { prisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import { writeAudit } from "./audit";

/**
 * Deactivates a member (fraud) or reactivates them. Deactivated: their login is refused and
 * every session ends at once, their orders are recorded but earn nothing, they can't redeem or
 * earn for actions. Their ledger, orders and balance are kept as they are, so reactivating
 * gives everything back.
 */
export async function setMemberActive({ actorUserId, programId, customerId, isActive, note, at = new Date() }: {
  actorUserId: number; programId: number; customerId: number; isActive: boolean; note?: string | null; at?: Date;
}) {
  return prisma.$transaction(async (tx) => {
    const customer = await tx.customer.findFirst({ where: { id: customerId, programId, enrolledAt: { not: null } }, select: { id: true, userId: true, deactivatedAt: true } });
    if (!customer) throw new AppError("MEMBER_NOT_FOUND");
    if (isActive === (customer.deactivatedAt === null)) return { changed: false };
    await tx.customer.update({ where: { id: customer.id }, data: isActive ? { deactivatedAt: null, deactivationNote: null } : { deactivatedAt: at, deactivationNote: note?.trim() || null } });
    if (customer.userId) {
      await tx.user.update({ where: { id: customer.userId }, data: isActive ? { isActive: true } : { isActive: false, sessionVersion: { increment: 1 } } });
    }
    await writeAudit(tx, { actorUserId, action: isActive ? "member.reactivated" : "member.deactivated", targetType: "customer", targetId: customer.id, data: { note: note ?? null } });
    return { changed: true };
  });
}
