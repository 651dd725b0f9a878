import "server-only";
import { createHash, randomInt } from "node:crypto";
import { Prisma } from "@/lib/db/generated/client";
import { prisma, type Tx } from "@/lib/db/prisma";
import {
  REFERRAL_CODE_PATTERN, matchReferralSignals, orderSignalFields, referralBlockReason, type OrderSignalKind, type ReferralBlock, type ReferrerSignal,
  type SignalMatch,
} from "@/lib/domain/referrals";
import type { OrderSignalsInput } from "@/lib/validations/api";

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

export function hashDevice(deviceId: string | null | undefined): string | null {
  return deviceId ? createHash("sha256").update(`hearth-device:${deviceId}`).digest("hex").slice(0, 32) : null;
}

/**
 * What Hearth stores of a signal the shop sent: a hash of its hash, so the stored value is not the
 * shop's. DEVICE uses the sign-up device's hash, so an order's device compares with a sign-up browser.
 */
export function hashSignal(kind: OrderSignalKind, value: string): string {
  if (kind === "DEVICE") return hashDevice(value)!;
  return createHash("sha256").update(`hearth-signal:${kind}:${value}`).digest("hex").slice(0, 32);
}

/** The order's signals as stored rows (kind, hash); none when the shop sent none. */
export function orderSignalRows(signals: OrderSignalsInput | undefined): { kind: OrderSignalKind; hash: string }[] {
  if (!signals) return [];
  return (Object.keys(orderSignalFields) as (keyof typeof orderSignalFields)[])
    .filter((field) => signals[field])
    .map((field) => ({ kind: orderSignalFields[field], hash: hashSignal(orderSignalFields[field], signals[field]!) }));
}

/**
 * Self-referral check on the friend's first qualifying order: the signals it shares with the
 * referrer (the referrer's own orders, their sign-up device). When there are any, the referral is
 * held in the review queue (once per friend) and audit-logged, and nothing is paid now.
 */
export async function holdReferralIfSharedInTx(
  tx: Tx,
  args: { programId: number; friendId: number; referrerId: number; orderId: number; orderExternalId: string; signals: { kind: OrderSignalKind; hash: string }[]; at: Date },
): Promise<SignalMatch[]> {
  const friend = await tx.customer.findUniqueOrThrow({ where: { id: args.friendId }, select: { signupDevice: true } });
  const friendSignals = friend.signupDevice ? [...args.signals, { kind: "DEVICE" as const, hash: friend.signupDevice }] : args.signals;
  if (friendSignals.length === 0) return [];
  const referrer = await tx.customer.findUniqueOrThrow({ where: { id: args.referrerId }, select: { signupDevice: true } });
  const fromOrders = await tx.$queryRaw<{ kind: OrderSignalKind; hash: string; orderExternalId: string }[]>`
    SELECT s."kind", s."hash", o."externalId" AS "orderExternalId"
      FROM "OrderSignal" s JOIN "Order" o ON o."id" = s."orderId"
     WHERE s."customerId" = ${args.referrerId}
       AND (s."kind", s."hash") IN (${Prisma.join(friendSignals.map((signal) => Prisma.sql`(${signal.kind}::text, ${signal.hash}::text)`))})
     ORDER BY o."placedAt", o."id" LIMIT 20`;
  const referrerSignals: ReferrerSignal[] = fromOrders.map((row) => ({ kind: row.kind, hash: row.hash, source: "order", orderExternalId: row.orderExternalId }));
  if (referrer.signupDevice) referrerSignals.push({ kind: "DEVICE", hash: referrer.signupDevice, source: "signup" });
  const matches = matchReferralSignals({ friend: friendSignals, referrer: referrerSignals });
  if (matches.length === 0) return [];
  const held = await tx.$queryRaw<{ id: number }[]>`
    INSERT INTO "ReferralReview" ("programId", "friendId", "referrerId", "orderId", "status", "matches", "createdAt")
    VALUES (${args.programId}, ${args.friendId}, ${args.referrerId}, ${args.orderId}, 'HELD', ${JSON.stringify(matches)}::jsonb, ${args.at})
    ON CONFLICT ("friendId") DO NOTHING RETURNING "id"`;
  if (held.length === 1) {
    await tx.auditLog.create({
      data: { action: "referral.held", targetType: "customer", targetId: String(args.friendId), data: { reviewId: held[0].id, referrerId: args.referrerId, order: args.orderExternalId, matches } },
    });
  }
  return matches;
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

/** A referral bonus that a return or cancellation of its order has not reversed (see reverse-order-bonuses.ts). */
const notReversed = Prisma.sql`NOT EXISTS (SELECT 1 FROM "LedgerTransaction" r
  WHERE r."programId" = t."programId" AND r."source" = 'reversal' AND r."idempotencyKey" = 'bonus:' || t."id")`;

/** A member's referral figures: friends who joined, friends who ordered, points earned (net of reversed bonuses). */
export async function getReferralStats(customerId: number) {
  const [row] = await prisma.$queryRaw<{ joined: number; rewarded: number; points: number }[]>`
    SELECT
      (SELECT COUNT(*) FROM "Customer" WHERE "referredById" = ${customerId} AND "enrolledAt" IS NOT NULL)::int AS "joined",
      (SELECT COUNT(*) FROM "LedgerTransaction" t WHERE t."customerId" = ${customerId} AND t."reason" = 'referral' AND ${notReversed})::int AS "rewarded",
      (SELECT COALESCE(SUM(t."points"), 0) FROM "LedgerTransaction" t WHERE t."customerId" = ${customerId} AND t."reason" = 'referral' AND ${notReversed})::int AS "points"`;
  return row;
}

/** The program's referral figures for the console: joins, first orders, points (net of reversed bonuses), refused links by reason. */
export async function getProgramReferralStats(programId: number) {
  const [row] = await prisma.$queryRaw<{ joined: number; ordered: number; points: number }[]>`
    SELECT
      (SELECT COUNT(*) FROM "Customer" WHERE "programId" = ${programId} AND "referredById" IS NOT NULL AND "enrolledAt" IS NOT NULL)::int AS "joined",
      (SELECT COUNT(DISTINCT c."id") FROM "Customer" c JOIN "LedgerTransaction" t ON t."customerId" = c."id" AND t."reason" = 'referral_friend'
        WHERE c."programId" = ${programId} AND c."referredById" IS NOT NULL AND ${notReversed})::int AS "ordered",
      (SELECT COALESCE(SUM(t."points"), 0) FROM "LedgerTransaction" t WHERE t."programId" = ${programId} AND t."reason" IN ('referral', 'referral_friend') AND ${notReversed})::int AS "points"`;
  const refused = await prisma.$queryRaw<{ reason: string; count: number }[]>`
    SELECT a."data"->>'reason' AS "reason", COUNT(*)::int AS "count" FROM "AuditLog" a
    JOIN "Customer" c ON c."id"::text = a."targetId" AND c."programId" = ${programId}
    WHERE a."action" = 'referral.refused' GROUP BY 1 ORDER BY 1`;
  return { ...row, refused };
}
