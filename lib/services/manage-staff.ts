import "server-only";
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

export async function setStaffActive({ actorUserId, userId, isActive }: { actorUserId: number; userId: number; isActive: boolean }) {
  if (userId === actorUserId) throw new AppError("FORBIDDEN", "you cannot deactivate yourself");
  return prisma.$transaction(async (tx) => {
    const updated = await tx.user.updateMany({ where: { id: userId, role: { not: "MEMBER" } }, data: { isActive } });
    if (updated.count === 0) throw new AppError("NOT_FOUND");
    await writeAudit(tx, { actorUserId, action: isActive ? "staff.activated" : "staff.deactivated", targetType: "user", targetId: userId });
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
}
