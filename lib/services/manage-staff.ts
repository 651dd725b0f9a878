import "server-only";
import { configChangedHere } from "@/lib/db/config-changes";
import { prisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import { hashPassword } from "@/lib/auth/password";
import { generateApiKey, hashApiKey } from "@/lib/api/api-key";
import { writeAudit } from "./audit";

export async function createStaffUser({ actorUserId, input }: { actorUserId: number; input: { name: string; email: string; role: "MARKETER" | "MANAGER" | "ADMIN"; password: string } }) {
  const passwordHash = await hashPassword(input.password);
  return prisma.$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email: input.email }, select: { id: true } })) throw new AppError("EMAIL_TAKEN");
    const user = await tx.user.create({ data: { name: input.name, email: input.email, role: input.role, passwordHash }, select: { id: true } });
    await writeAudit(tx, { actorUserId, action: "staff.created", targetType: "user", targetId: user.id, data: { email: input.email, role: input.role } });
    return user;
  });
}

/**
 * Activates or deactivates a staff account. There is always at least one active admin, even when
 * two admins deactivate each other at the same moment: the active admins are locked (in id
 * order) and counted inside the transaction, and an actor who has just been deactivated can no
 * longer act. Deactivating someone revokes the API keys they created; the answer names them.
 */
export async function setStaffActive({ actorUserId, userId, isActive }: { actorUserId: number; userId: number; isActive: boolean }) {
  if (userId === actorUserId) throw new AppError("FORBIDDEN", "you cannot deactivate yourself");
  return prisma.$transaction(async (tx) => {
    const admins = await tx.$queryRaw<{ id: number }[]>`SELECT "id" FROM "User" WHERE "role" = 'ADMIN' AND "isActive" ORDER BY "id" FOR UPDATE`;
    if (!admins.some((admin) => admin.id === actorUserId)) throw new AppError("FORBIDDEN", "your account is no longer an active admin");
    const target = await tx.user.findFirst({ where: { id: userId, role: { not: "MEMBER" } }, select: { id: true, role: true, isActive: true } });
    if (!target) throw new AppError("NOT_FOUND");
    if (!isActive && target.role === "ADMIN" && target.isActive && admins.length <= 1) {
      throw new AppError("CONFLICT", "the program must keep at least one active admin");
    }
    // a deactivated account's sessions end now and stay ended if it is reactivated later
    await tx.user.update({ where: { id: userId }, data: isActive ? { isActive } : { isActive, sessionVersion: { increment: 1 } } });
    const revokedKeys = isActive ? [] : await tx.$queryRaw<{ id: number; name: string; prefix: string }[]>`
      UPDATE "ApiKey" SET "revokedAt" = now() WHERE "createdById" = ${userId} AND "revokedAt" IS NULL RETURNING "id", "name", "prefix"`;
    await writeAudit(tx, { actorUserId, action: isActive ? "staff.activated" : "staff.deactivated", targetType: "user", targetId: userId, data: { revokedKeys } });
    return { revokedKeys };
  }).then((result) => {
    // other processes hear it from the database; this one drops its cached keys at once
    if (result.revokedKeys.length > 0) configChangedHere(null);
    return result;
  });
}

/** Creates an API key; the secret is returned once and only its hash is stored. */
export async function createApiKey({ programId, actorUserId, name }: { programId: number; actorUserId: number; name: string }) {
  const key = generateApiKey();
  return prisma.$transaction(async (tx) => {
    const record = await tx.apiKey.create({
      data: { programId, name, prefix: key.slice(0, 12), hash: hashApiKey(key), createdById: actorUserId },
      select: { id: true },
    });
    await writeAudit(tx, { actorUserId, action: "api_key.created", targetType: "api_key", targetId: record.id, data: { name } });
    return { id: record.id, key };
  });
}

export async function revokeApiKey({ programId, actorUserId, apiKeyId }: { programId: number; actorUserId: number; apiKeyId: number }) {
  return prisma.$transaction(async (tx) => {
    const updated = await tx.apiKey.updateMany({ where: { id: apiKeyId, programId, revokedAt: null }, data: { revokedAt: new Date() } });
    if (updated.count === 0) throw new AppError("NOT_FOUND");
    await writeAudit(tx, { actorUserId, action: "api_key.revoked", targetType: "api_key", targetId: apiKeyId });
  });
  configChangedHere(programId);
}
