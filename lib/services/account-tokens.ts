import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Tx } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";

export type AccountTokenKind = "JOIN" | "RESET";

/** How long each kind of link stays valid. */
export const TOKEN_TTL_MS: Record<AccountTokenKind, number> = { JOIN: 24 * 3600_000, RESET: 3600_000 };

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * Stores a one-time link's token (only its hash) and returns the token for the email. Older
 * unused links of the same kind for the same address stop working: only the newest one counts.
 */
export async function createAccountTokenInTx(
  tx: Tx,
  { kind, email, userId = null, data = {}, at = new Date() }: { kind: AccountTokenKind; email: string; userId?: number | null; data?: Record<string, unknown>; at?: Date },
) {
  await tx.accountToken.updateMany({ where: { kind, email, usedAt: null }, data: { usedAt: at } });
  const token = randomBytes(32).toString("base64url");
  await tx.accountToken.create({
    data: { kind, email, userId, tokenHash: hashToken(token), data: JSON.parse(JSON.stringify(data)), expiresAt: new Date(at.getTime() + TOKEN_TTL_MS[kind]) },
  });
  return token;
}

/** Reads a link's token without using it (for the page that asks to confirm); null when it can't be used. */
export async function peekAccountTokenInTx(tx: Tx, { kind, token, at = new Date() }: { kind: AccountTokenKind; token: string; at?: Date }) {
  if (!/^[\w-]{20,100}$/.test(token)) return null;
  return tx.accountToken.findFirst({
    where: { kind, tokenHash: hashToken(token), usedAt: null, expiresAt: { gt: at } },
    select: { id: true, email: true, userId: true, data: true },
  });
}

/**
 * Uses a link once: the row is marked used by a conditional update, so of two concurrent uses
 * exactly one succeeds. Throws LINK_INVALID for an unknown, used or expired link.
 */
export async function consumeAccountTokenInTx(tx: Tx, { kind, token, at = new Date() }: { kind: AccountTokenKind; token: string; at?: Date }) {
  if (!/^[\w-]{20,100}$/.test(token)) throw new AppError("LINK_INVALID");
  const rows = await tx.$queryRaw<{ id: number; email: string; userId: number | null; data: Record<string, unknown> }[]>`
    UPDATE "AccountToken" SET "usedAt" = ${at}
    WHERE "kind" = ${kind} AND "tokenHash" = ${hashToken(token)} AND "usedAt" IS NULL AND "expiresAt" > ${at}
    RETURNING "id", "email", "userId", "data"`;
  if (rows.length === 0) throw new AppError("LINK_INVALID");
  return rows[0];
}
