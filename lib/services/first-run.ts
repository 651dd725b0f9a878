import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { prisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import { hashPassword } from "@/lib/auth/password";
import { authSecret } from "@/lib/auth/secret";
import type { SetupInput } from "@/lib/validations/setup";
import { writeAudit } from "./audit";
import { DEFAULT_PROGRAM_SLUG } from "./program";

// First run on an empty database: the shop (program) and its first admin, from `npm run setup`
// or from the one-time /setup page. The page opens only while no active admin exists and only
// with the setup token `npm start` prints (derived from the session secret, so whoever reaches a
// fresh server first can't claim it without access to its logs or data directory).

// any constant: serialises concurrent setups (two tabs, the CLI and the page) across processes
const SETUP_LOCK = 72_011_001;

export async function needsSetup(): Promise<boolean> {
  return (await prisma.user.count({ where: { role: "ADMIN", isActive: true } })) === 0;
}

export function setupToken(): string {
  return createHmac("sha256", authSecret()).update("hearth-first-run-setup").digest("base64url").slice(0, 32);
}

export function isSetupToken(candidate: string | undefined | null): boolean {
  if (!candidate) return false;
  const expected = Buffer.from(setupToken());
  const given = Buffer.from(candidate);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Creates the program (or names the one that exists) and the first admin, once: a second setup,
 * also a concurrent one, finds an admin and answers SETUP_DONE with nothing changed.
 */
export async function setUpInstallation(input: SetupInput) {
  const passwordHash = await hashPassword(input.adminPassword);
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SETUP_LOCK}::bigint)`;
    if ((await tx.user.count({ where: { role: "ADMIN", isActive: true } })) > 0) throw new AppError("SETUP_DONE");
    if (await tx.user.findUnique({ where: { email: input.adminEmail }, select: { id: true } })) throw new AppError("EMAIL_TAKEN");
    const existing = await tx.program.findUnique({ where: { slug: DEFAULT_PROGRAM_SLUG }, select: { id: true, currency: true, _count: { select: { orders: true } } } });
    // a program that already recorded orders keeps its currency: its revenue is in that one
    if (existing && existing.currency !== input.currency && existing._count.orders > 0) {
      throw new AppError("VALIDATION", `the program already records ${existing.currency}; its currency can't change`);
    }
    const program = existing
      ? await tx.program.update({ where: { id: existing.id }, data: { name: input.shopName, currency: input.currency, timeZone: input.timeZone }, select: { id: true } })
      : await tx.program.create({ data: { slug: DEFAULT_PROGRAM_SLUG, name: input.shopName, currency: input.currency, timeZone: input.timeZone }, select: { id: true } });
    const admin = await tx.user.create({ data: { email: input.adminEmail, name: input.adminName, role: "ADMIN", passwordHash }, select: { id: true } });
    await writeAudit(tx, { actorUserId: admin.id, action: "installation.set_up", targetType: "program", targetId: program.id, data: { shopName: input.shopName, currency: input.currency, timeZone: input.timeZone } });
    return { programId: program.id, adminId: admin.id };
  });
}
