import "server-only";
import { createHash, randomInt } from "node:crypto";
import { prisma, type Tx } from "@/lib/db/prisma";
import { REFERRAL_CODE_PATTERN, referralBlockReason, type ReferralBlock } from "@/lib/domain/referrals";

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

export function hashDevice(deviceId: string | null | undefined): string | null {
  return deviceId ? createHash("sha256").update(`hearth-device:${deviceId}`).digest("hex").slice(0, 32) : null;
}

/** The member's invitation code, created on first use (unique; retried on the rare clash). */
export async function ensureReferralCode(customerId: number): Promise<string> {
  const existing = await prisma.customer.findUniqueOrThrow({ where: { id: customerId }, select: { referralCode: true } });
  if (existing.referralCode) return existing.referralCode;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const code = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
    const updated = await prisma.$executeRaw`
      UPDATE "Customer" SET "referralCode" = ${code} WHERE "id" = ${customerId} AND "referralCode" IS NULL
        AND NOT EXISTS (SELECT 1 FROM "Customer" WHERE "referralCode" = ${code})`;
    if (updated === 1) return code;
    const again = await prisma.customer.findUniqueOrThrow({ where: { id: customerId }, select: { referralCode: true } });
    if (again.referralCode) return again.referralCode;
  }
  throw new Error("could not allocate a referral code");
}

/** Who a code belongs to, for the join page ("Ana invited you"); null for unknown codes. */
export async function findReferrer(programId: number, code: string | null | undefined) {
  if (!code || !REFERRAL_CODE_PATTERN.test(code)) return null;
  return prisma.customer.findFirst({
    where: { programId, referralCode: code, enrolledAt: { not: null } },
    select: { id: true, name: true, email: true, signupDevice: true, enrolledAt: true },
  });
}

/**
 * Links a new member to the referrer of `code` unless a guard refuses it (same mailbox, same
 * browser, referrer not a member). A refusal is audit-logged; the sign-up itself goes on.
 */
export async function applyReferralInTx(
  tx: Tx,
  { programId, customerId, code, friend }: { programId: number; customerId: number; code: string | null | undefined; friend: { email: string; device: string | null } },
): Promise<{ referrerId: number } | { blocked: ReferralBlock | "unknown_code" } | null> {
  if (!code) return null;
  const referrer = REFERRAL_CODE_PATTERN.test(code)
    ? await tx.customer.findFirst({ where: { programId, referralCode: code }, select: { id: true, email: true, signupDevice: true, enrolledAt: true } })
    : null;
  const blocked = !referrer
    ? ("unknown_code" as const)
    : referralBlockReason({ referrer: { email: referrer.email, signupDevice: referrer.signupDevice, isMember: referrer.enrolledAt !== null }, friend });
  if (blocked || !referrer || referrer.id === customerId) {
    await tx.auditLog.create({ data: { action: "referral.refused", targetType: "customer", targetId: String(customerId), data: { code, reason: blocked ?? "self" } } });
    return { blocked: blocked ?? "same_mailbox" };
  }
  await tx.customer.update({ where: { id: customerId }, data: { referredById: referrer.id } });
  return { referrerId: referrer.id };
}

/** A member's referral figures: friends who joined, friends who ordered, points earned. */
export async function getReferralStats(customerId: number) {
  const [row] = await prisma.$queryRaw<{ joined: number; rewarded: number; points: number }[]>`
    SELECT
      (SELECT COUNT(*) FROM "Customer" WHERE "referredById" = ${customerId} AND "enrolledAt" IS NOT NULL)::int AS "joined",
      (SELECT COUNT(*) FROM "LedgerTransaction" WHERE "customerId" = ${customerId} AND "reason" = 'referral')::int AS "rewarded",
      (SELECT COALESCE(SUM("points"), 0) FROM "LedgerTransaction" WHERE "customerId" = ${customerId} AND "reason" = 'referral')::int AS "points"`;
  return row;
}

/** The program's referral figures for the console: joins, first orders, points, refused links by reason. */
export async function getProgramReferralStats(programId: number) {
  const [row] = await prisma.$queryRaw<{ joined: number; ordered: number; points: number }[]>`
    SELECT
      (SELECT COUNT(*) FROM "Customer" WHERE "programId" = ${programId} AND "referredById" IS NOT NULL AND "enrolledAt" IS NOT NULL)::int AS "joined",
      (SELECT COUNT(DISTINCT c."id") FROM "Customer" c JOIN "LedgerTransaction" t ON t."customerId" = c."id" AND t."reason" = 'referral_friend'
        WHERE c."programId" = ${programId} AND c."referredById" IS NOT NULL)::int AS "ordered",
      (SELECT COALESCE(SUM("points"), 0) FROM "LedgerTransaction" WHERE "programId" = ${programId} AND "reason" IN ('referral', 'referral_friend'))::int AS "points"`;
  const refused = await prisma.$queryRaw<{ reason: string; count: number }[]>`
    SELECT a."data"->>'reason' AS "reason", COUNT(*)::int AS "count" FROM "AuditLog" a
    JOIN "Customer" c ON c."id"::text = a."targetId" AND c."programId" = ${programId}
    WHERE a."action" = 'referral.refused' GROUP BY 1 ORDER BY 1`;
  return { ...row, refused };
}
