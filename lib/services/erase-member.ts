import "server-only";
import type { Tx } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import { writeAudit } from "./audit";

export const ERASED_NAME = "Erased member";

/** A placeholder address: unique per record, and .invalid can never be delivered to (RFC 2606). */
export const erasedEmail = (kind: "customer" | "user", id: number) => `erased-${kind}-${id}@erased.invalid`;

/**
 * Erases a member's personal data at the shop's request (right to erasure). The record stays,
 * pseudonymous under the shop's externalId, so the ledger, orders, returns and balances keep
 * adding up and later returns still reverse points: name, email, birthday, preferences, the
 * signup device, the referral code and staff notes go; a member login is anonymised and can no
 * longer sign in (the session check re-reads isActive); emails written to them are blanked and
 * unsent ones dropped. Erasing again answers the first erasure.
 */
export async function eraseMemberInTx(tx: Tx, { programId, apiKeyId, externalId, at = new Date() }: { programId: number; apiKeyId: number; externalId: string; at?: Date }) {
  const [row] = await tx.$queryRaw<{ id: number; userId: number | null; erasedAt: Date | null; email: string }[]>`
    SELECT "id", "userId", "erasedAt", "email" FROM "Customer" WHERE "programId" = ${programId} AND "externalId" = ${externalId} FOR UPDATE`;
  if (!row) throw new AppError("MEMBER_NOT_FOUND");
  if (row.erasedAt) return { externalId, erasedAt: row.erasedAt };

  const login = row.userId ? await tx.user.findUnique({ where: { id: row.userId }, select: { id: true, role: true } }) : null;
  const email = erasedEmail("customer", row.id);
  await tx.customer.update({
    where: { id: row.id },
    data: {
      email,
      name: ERASED_NAME,
      birthday: null,
      preferences: {},
      signupDevice: null,
      referralCode: null,
      tierFloorNote: null,
      deactivationNote: null,
      erasedAt: at,
      // a staff account that happens to be linked keeps working: only the customer side is erased
      ...(login && login.role !== "MEMBER" ? { userId: null } : {}),
    },
  });
  if (login?.role === "MEMBER") {
    // "!" is never an argon2 hash: no password matches it, and isActive=false ends open sessions
    await tx.user.update({ where: { id: login.id }, data: { email: erasedEmail("user", login.id), name: ERASED_NAME, passwordHash: "!erased", isActive: false } });
  }
  await tx.emailMessage.updateMany({ where: { customerId: row.id, status: { not: "PENDING" } }, data: { toEmail: email, subject: "", text: "", html: "" } });
  await tx.emailMessage.updateMany({ where: { customerId: row.id, status: "PENDING" }, data: { toEmail: email, subject: "", text: "", html: "", status: "FAILED", lastError: "member erased" } });
  // what else names them: account emails sent before a login existed (by address), pending
  // sign-ups and reset links (address, name), the identity signals their orders carried, the
  // staff's deactivation notes in the audit log, and attempt counters keyed by their address
  const addresses = [row.email, ...(login ? [(await tx.user.findUnique({ where: { id: login.id }, select: { email: true } }))?.email ?? row.email] : [])];
  await tx.emailMessage.updateMany({ where: { programId, toEmail: { in: addresses } }, data: { toEmail: email, subject: "", text: "", html: "" } });
  await tx.accountToken.deleteMany({ where: { OR: [{ email: { in: addresses } }, ...(login ? [{ userId: login.id }] : [])] } });
  await tx.orderSignal.deleteMany({ where: { customerId: row.id } });
  await tx.$executeRaw`UPDATE "AuditLog" SET "data" = "data" - 'note' WHERE "targetType" = 'customer' AND "targetId" = ${String(row.id)} AND jsonb_exists("data", 'note')`;
  await tx.$executeRaw`DELETE FROM "RateLimit" WHERE "key" LIKE ANY(${addresses.map((address) => `auth-%:${address.toLowerCase()}`)}::text[])`;
  await writeAudit(tx, { actorUserId: null, action: "member.erased", targetType: "customer", targetId: row.id, data: { apiKeyId, externalId } });
  return { externalId, erasedAt: at };
}
