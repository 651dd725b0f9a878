import "server-only";
import { prisma, type Tx } from "@/lib/db/prisma";
import { AppError, isAppError } from "@/lib/domain/app-error";
import { idempotencyKeySchema } from "@/lib/validations/api";
import { TX_OPTIONS, hashRequest } from "@/lib/services/ledger-core";
import { ApiAnswer, type ApiRequest } from "./handle-api";

export function requireIdempotencyKey(request: ApiRequest): string {
  const parsed = idempotencyKeySchema.safeParse(request.headers.get("idempotency-key") ?? "");
  if (!parsed.success) throw new AppError("BAD_REQUEST", "Idempotency-Key header (1-255 characters) is required on POST");
  return parsed.data;
}

type Stored = { requestHash: string; statusCode: number | null; responseBody: string | null };

/** An error's SQLSTATE or Prisma code with its message, for the checks below. */
function errorText(error: unknown): string {
  return `${(error as { code?: unknown })?.code ?? ""} ${error instanceof Error ? error.message : String(error)}`;
}

/** PostgreSQL aborted the transaction to break a deadlock (40P01) or a serialization conflict (40001). */
function isDeadlock(error: unknown): boolean {
  return /40P01|40001|P2034|deadlock detected|could not serialize/i.test(errorText(error));
}

/** A unique index refused a row (23505): in a single statement, nothing of it was written. */
export function isUniqueViolation(error: unknown): boolean {
  return /23505|P2002|unique constraint/i.test(errorText(error));
}

/**
 * Runs a whole transaction again when PostgreSQL aborted it to break a deadlock: nothing of it
 * was written, so running it again is safe. Paths that lock two members' accounts (a return
 * reversing a referral bonus, the challenge job's batches) can meet in opposite orders when a
 * friend's customer record is older than their referrer's; the caller gets an answer, not a 500.
 */
export async function retryOnDeadlock<T>(run: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts || !isDeadlock(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.floor(Math.random() * 30)));
    }
  }
}

/**
 * Runs a POST once per (API key, Idempotency-Key). The key row is claimed in the same
 * transaction as the work: a concurrent retry waits for it, then answers the stored response.
 * An expected error (4xx) raised by the work is stored under the key too (its writes undone), as
 * Stripe does: a retry answers the same error. A 5xx stores nothing, so it can be retried; the
 * same key with another body is a 409.
 *
 * The happy path is claim, work, answer, commit: no savepoint. When the work ends in a 4xx the
 * whole transaction (claim included) is rolled back and the error is stored by a second, short
 * one. If a retry claimed the key in between, its answer is the key's answer, and this caller
 * gets that same answer too, so both see one outcome and the work happened at most once.
 */
export async function withIdempotency(
  args: { apiKeyId: number; key: string; request: unknown },
  work: (tx: Tx) => Promise<{ status: number; body: unknown }>,
): Promise<ApiAnswer> {
  const requestHash = hashRequest(args.request);
  let result: { status: number; text: string; replayed: boolean };
  try {
    result = await retryOnDeadlock(() => prisma.$transaction(async (tx) => {
      const claimed = await tx.$queryRaw<{ id: number }[]>`
        INSERT INTO "ApiIdempotency" ("apiKeyId", "key", "requestHash") VALUES (${args.apiKeyId}, ${args.key}, ${requestHash})
        ON CONFLICT ("apiKeyId", "key") DO NOTHING RETURNING "id"`;
      if (claimed.length === 0) return storedAnswer(tx, args, requestHash);
      const outcome = await work(tx);
      const text = JSON.stringify(outcome.body);
      await tx.$executeRaw`
        UPDATE "ApiIdempotency" SET "statusCode" = ${outcome.status}, "responseBody" = ${text} WHERE "id" = ${claimed[0].id}`;
      return { status: outcome.status, text, replayed: false };
    }, TX_OPTIONS));
  } catch (error) {
    if (!isAppError(error) || error.status >= 500 || error.code === "RATE_LIMITED" || error.code.startsWith("IDEMPOTENCY_")) throw error;
    // the work's expected error: nothing it wrote was kept; the error becomes the key's answer
    const text = JSON.stringify({ error: { code: error.code, message: error.message } });
    result = await prisma.$transaction(async (tx) => {
      const stored = await tx.$queryRaw<{ id: number }[]>`
        INSERT INTO "ApiIdempotency" ("apiKeyId", "key", "requestHash", "statusCode", "responseBody")
        VALUES (${args.apiKeyId}, ${args.key}, ${requestHash}, ${error.status}, ${text})
        ON CONFLICT ("apiKeyId", "key") DO NOTHING RETURNING "id"`;
      if (stored.length === 0) return storedAnswer(tx, args, requestHash);
      return { status: error.status, text, replayed: false };
    }, TX_OPTIONS);
  }
  return idempotentAnswer(result);
}

/** The stored answer as sent: the exact text, its status, and whether it is a replay. */
export function idempotentAnswer(result: { status: number; text: string; replayed?: boolean }): ApiAnswer {
  return new ApiAnswer(result.status, result.text, result.replayed ? { "idempotent-replayed": "true" } : {});
}

/** The answer stored under a key someone else claimed (after their transaction ended). */
async function storedAnswer(tx: Tx, args: { apiKeyId: number; key: string }, requestHash: string) {
  const [stored] = await tx.$queryRaw<Stored[]>`
    SELECT "requestHash", "statusCode", "responseBody" FROM "ApiIdempotency" WHERE "apiKeyId" = ${args.apiKeyId} AND "key" = ${args.key}`;
  if (!stored || stored.statusCode === null) throw new AppError("IDEMPOTENCY_IN_PROGRESS");
  if (stored.requestHash !== requestHash) throw new AppError("IDEMPOTENCY_CONFLICT", "Idempotency-Key was already used with a different request");
  return { status: stored.statusCode, text: stored.responseBody ?? "null", replayed: true };
}
