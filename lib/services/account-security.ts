import "server-only";
import { prisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { clearAttempts } from "@/lib/auth/attempt-limits";
import { randomBytes } from "node:crypto";
import { queueAccountEmailInTx, renderAccountEmail } from "./account-emails";
import { consumeAccountTokenInTx, createAccountTokenInTx } from "./account-tokens";
import { writeAudit } from "./audit";
import { getProgram } from "./program";

// Passwords and sessions. A session carries the user's session version from the moment it was
// signed in; every request compares it with the database (lib/auth/current-user.ts), so bumping
// the version ends every session of that user at once, on every app replica.

/** Changes the signed-in user's own password; every other session of theirs ends. */
export async function changePassword({ userId, currentPassword, newPassword }: { userId: number; currentPassword: string; newPassword: string }) {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { passwordHash: true, isActive: true } });
  if (!user || !user.isActive) throw new AppError("UNAUTHENTICATED");
  if (!(await verifyPassword(user.passwordHash, currentPassword))) throw new AppError("WRONG_PASSWORD");
  const passwordHash = await hashPassword(newPassword);
  await prisma.$transaction([
    prisma.user.update({ where: { id: userId }, data: { passwordHash, sessionVersion: { increment: 1 } } }),
    // a reset link sent before the change must not undo it
    prisma.accountToken.updateMany({ where: { userId, kind: "RESET", usedAt: null }, data: { usedAt: new Date() } }),
  ]);
}

/** "Sign out everywhere": every session of this user ends, this one included. */
export async function signOutEverywhere({ userId }: { userId: number }) {
  await prisma.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
}

/**
 * "Forgot your password?": an active account gets a one-time link (valid one hour); an unknown
 * or deactivated address gets nothing, and the answer is the same either way.
 */
export async function requestPasswordReset({ email, locale, at = new Date() }: { email: string; locale: string; at?: Date }) {
  const program = await getProgram();
  await prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { email }, select: { id: true, name: true, isActive: true, customer: { select: { id: true, locale: true } } } });
    if (!user?.isActive) {
      // the same rendering work as a real link, so the answer's timing doesn't tell the address apart
      await renderAccountEmail({ kind: "password_reset", locale, name: email, program: program.name, token: randomBytes(32).toString("base64url") });
      return;
    }
    const token = await createAccountTokenInTx(tx, { kind: "RESET", email, userId: user.id, at });
    await queueAccountEmailInTx(tx, {
      programId: program.id, customerId: user.customer?.id ?? null, kind: "password_reset", toEmail: email, locale: user.customer?.locale ?? locale, name: user.name, program: program.name, token,
    });
  });
}

/**
 * Staff send a reset link to someone else: admins to staff accounts, staff who manage members
 * to a member (the caller checks which). The account's sessions end now, so whoever holds the
 * old password is signed out; the link is in the email (the console's outbox without SMTP).
 */
export async function sendPasswordResetLink({ actorUserId, userId, audience, at = new Date() }: { actorUserId: number; userId: number; audience: "staff" | "member"; at?: Date }) {
  const program = await getProgram();
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.findFirst({
      where: { id: userId, isActive: true, ...(audience === "staff" ? { role: { not: "MEMBER" } } : { role: "MEMBER", customer: { programId: program.id } }) },
      select: { id: true, email: true, name: true, customer: { select: { id: true, locale: true } } },
    });
    if (!user) throw new AppError("NOT_FOUND");
    const token = await createAccountTokenInTx(tx, { kind: "RESET", email: user.email, userId: user.id, at });
    await tx.user.update({ where: { id: user.id }, data: { sessionVersion: { increment: 1 } } });
    await queueAccountEmailInTx(tx, {
      programId: program.id, customerId: user.customer?.id ?? null, kind: "password_reset", toEmail: user.email, locale: user.customer?.locale ?? "en", name: user.name, program: program.name, token,
    });
    await writeAudit(tx, { actorUserId, action: `${audience}.password_reset_sent`, targetType: "user", targetId: user.id });
    return { email: user.email };
  });
}

/** Uses a reset link once: sets the new password and ends every session of the account. */
export async function resetPassword({ token, newPassword, at = new Date() }: { token: string; newPassword: string; at?: Date }) {
  const passwordHash = await hashPassword(newPassword);
  const email = await prisma.$transaction(async (tx) => {
    const row = await consumeAccountTokenInTx(tx, { kind: "RESET", token, at });
    const updated = await tx.user.updateMany({ where: { id: row.userId ?? -1, email: row.email, isActive: true }, data: { passwordHash, sessionVersion: { increment: 1 } } });
    if (updated.count === 0) throw new AppError("LINK_INVALID");
    return row.email;
  });
  // the owner proved it's them: earlier failed logins no longer hold the account back
  await clearAttempts("loginAccount", email);
  return { email };
}
