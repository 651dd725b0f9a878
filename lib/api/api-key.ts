import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { prisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import { programSelect, type ProgramSettings } from "@/lib/services/program";
import { consumeRateLimit } from "./rate-limit";

export const API_KEY_PREFIX = "hearth_";

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(24).toString("base64url")}`;
}

export type ApiCaller = { apiKeyId: number; programId: number; program: ProgramSettings };

/**
 * Resolves `Authorization: Bearer <key>` to an active key (stored hashed only) and counts the
 * request against the key's per-minute limit (429 beyond it).
 */
export async function authenticateApiKey(request: Request): Promise<ApiCaller> {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S{8,200})$/i.exec(header);
  if (!match) throw new AppError("UNAUTHENTICATED", "missing or malformed Authorization: Bearer <api key>");
  const key = await prisma.apiKey.findUnique({
    where: { hash: hashApiKey(match[1]) },
    // the program's settings come along, saving every endpoint a second lookup
    select: { id: true, programId: true, revokedAt: true, rateLimitPerMinute: true, program: { select: programSelect } },
  });
  if (!key || key.revokedAt) throw new AppError("UNAUTHENTICATED", "invalid or revoked API key");
  await consumeRateLimit(key.id, key.rateLimitPerMinute);
  return { apiKeyId: key.id, programId: key.programId, program: key.program };
}
