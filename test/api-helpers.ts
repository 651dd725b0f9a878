import { prisma } from "@/lib/db/prisma";
import { generateApiKey, hashApiKey } from "@/lib/api/api-key";

/** A key for tests; the rate limit is high unless a test is about rate limiting. */
export async function createApiKey(programId: number, { rateLimitPerMinute = 1_000_000 }: { rateLimitPerMinute?: number } = {}) {
  const key = generateApiKey();
  const record = await prisma.apiKey.create({ data: { programId, name: "test", prefix: key.slice(0, 12), hash: hashApiKey(key), rateLimitPerMinute } });
  return { key, id: record.id };
}

export function jsonRequest(url: string, { key, body, idempotencyKey, method = "POST", rawBody }: { key?: string; body?: unknown; idempotencyKey?: string; method?: string; rawBody?: string }) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key) headers.authorization = `Bearer ${key}`;
  if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
  return new Request(`http://localhost${url}`, {
    method,
    headers,
    body: method === "GET" ? undefined : rawBody ?? JSON.stringify(body),
  });
}

/** A fingerprint of everything the ledger holds; any change to points changes it. */
export async function ledgerChecksum() {
  const [row] = await prisma.$queryRaw<{ checksum: string }[]>`
    SELECT md5(string_agg(x, ',' ORDER BY x)) AS checksum FROM (
      SELECT 'e' || "id" || ':' || "amount" AS x FROM "LedgerEntry"
      UNION ALL SELECT 'a' || "id" || ':' || "balance" || ':' || "debt" FROM "LedgerAccount"
      UNION ALL SELECT 'l' || "id" || ':' || "remaining" FROM "PointLot"
      UNION ALL SELECT 'o' || "id" FROM "Order"
      UNION ALL SELECT 'r' || "id" || ':' || COALESCE("stock", -1) FROM "Reward"
    ) t`;
  return row.checksum;
}
