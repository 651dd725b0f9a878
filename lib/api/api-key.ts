import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { prisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import { programSelect, type ProgramSettings } from "@/lib/services/program";
import { consumeRateLimit } from "./rate-limit";
import type { ApiRequest } from "./handle-api";
import { cachesTrusted, changedSince, configGeneration, onConfigChange } from "@/lib/db/config-changes";

export const API_KEY_PREFIX = "hearth_";

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(24).toString("base64url")}`;
}

export type ApiCaller = { apiKeyId: number; programId: number; program: ProgramSettings };

type KeyRow = { id: number; programId: number; revokedAt: Date | null; rateLimitPerMinute: number; program: ProgramSettings };

// Active keys by hash, per process, so a request doesn't read its key from the database. Only
// served while this process hears config changes (lib/db/config-changes.ts): a key revoked or
// re-limited on any replica, or its program's settings changed, is dropped here when that
// change commits. Unknown and revoked keys are never cached. Entries live a minute at most.
const KEY_CACHE_TTL_MS = 60_000;
const KEY_CACHE_MAX = 10_000;
const keyStore = globalThis as unknown as { hearthApiKeyCache?: Map<string, { row: KeyRow; at: number }>; hearthApiKeyCacheListening?: boolean };
const keyCache = (keyStore.hearthApiKeyCache ??= new Map());
if (!keyStore.hearthApiKeyCacheListening) {
  keyStore.hearthApiKeyCacheListening = true;
  onConfigChange((programId) => {
    if (programId === null) return keyCache.clear();
    for (const [hash, entry] of keyCache) if (entry.row.programId === programId) keyCache.delete(hash);
  });
}

async function findKey(hash: string): Promise<KeyRow | null> {
  const trusted = cachesTrusted();
  if (trusted) {
    const hit = keyCache.get(hash);
    if (hit && Date.now() - hit.at < KEY_CACHE_TTL_MS) return hit.row;
  }
  const generation = configGeneration();
  const row = await prisma.apiKey.findUnique({
    where: { hash },
    // the program's settings come along, saving every endpoint a second lookup
    select: { id: true, programId: true, revokedAt: true, rateLimitPerMinute: true, program: { select: programSelect } },
  });
  // a change announced while this read was on its way may not be in it: not cached then
  if (trusted && row && !row.revokedAt && !changedSince(row.programId, generation) && cachesTrusted()) {
    if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear();
    keyCache.set(hash, { row, at: Date.now() });
  }
  return row;
}

/**
 * Resolves `Authorization: Bearer <key>` to an active key (stored hashed only) and counts the
 * request against the key's per-minute limit (429 beyond it).
 */
export async function authenticateApiKey(request: ApiRequest): Promise<ApiCaller> {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S{8,200})$/i.exec(header);
  if (!match) throw new AppError("UNAUTHENTICATED", "missing or malformed Authorization: Bearer <api key>");
  const key = await findKey(hashApiKey(match[1]));
  if (!key || key.revokedAt) throw new AppError("UNAUTHENTICATED", "invalid or revoked API key");
  await consumeRateLimit(key.id, key.rateLimitPerMinute);
  return { apiKeyId: key.id, programId: key.programId, program: key.program };
}

/** Tests: how many keys this process holds in its cache. */
export function cachedApiKeyCount(): number {
  return keyCache.size;
}
