import "server-only";
import { Pool } from "pg";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { env, isEmbeddedDatabase } from "@/lib/env";
import { AppError } from "@/lib/domain/app-error";

// Per-API-key request limits. On PostgreSQL the counters live in the "RateLimit" table so
// every app replica shares them; the embedded database is one process, so memory is exact.
// A key over its limit is then blocked in memory for the rest of the window, sparing the DB.

const WINDOW_SECONDS = 60;
// Shared per process (globalThis): every route bundle must count against the same limiter.
const store = globalThis as unknown as { hearthRateLimiters?: Map<number, RateLimiterAbstract>; hearthRateLimitPool?: Pool };
const limiters = (store.hearthRateLimiters ??= new Map<number, RateLimiterAbstract>());

/**
 * A limiter counting in the shared "RateLimit" table on PostgreSQL (one pool per process), or in
 * memory on the embedded database. Also used by the login and join limits (lib/auth/attempt-limits.ts).
 */
export function storedRateLimiter(
  options: { points: number; duration: number; keyPrefix: string },
  extra: { inMemoryBlockOnConsumed?: number; inMemoryBlockDuration?: number } = {},
): RateLimiterAbstract {
  if (isEmbeddedDatabase) return new RateLimiterMemory(options);
  // counters are not worth an fsync: the table is UNLOGGED and commits don't wait for WAL
  store.hearthRateLimitPool ??= new Pool({ connectionString: env.DATABASE_URL, max: 8, options: "-c synchronous_commit=off" });
  return new RateLimiterPostgres({
    ...options,
    ...extra,
    storeClient: store.hearthRateLimitPool,
    tableName: "RateLimit",
    tableCreated: true,
    clearExpiredByTimeout: false,
    // If the store is unreachable, limit per process rather than fail every request.
    insuranceLimiter: new RateLimiterMemory(options),
  });
}

function limiterFor(pointsPerMinute: number): RateLimiterAbstract {
  let limiter = limiters.get(pointsPerMinute);
  if (limiter) return limiter;
  limiter = storedRateLimiter(
    { points: pointsPerMinute, duration: WINDOW_SECONDS, keyPrefix: `api${pointsPerMinute}` },
    { inMemoryBlockOnConsumed: pointsPerMinute, inMemoryBlockDuration: WINDOW_SECONDS },
  );
  limiters.set(pointsPerMinute, limiter);
  return limiter;
}

export type RateLimitState = { limit: number; remaining: number; resetSeconds: number };

export class RateLimitedError extends AppError {
  readonly state: RateLimitState;
  constructor(state: RateLimitState) {
    super("RATE_LIMITED", `rate limit of ${state.limit} requests per minute exceeded; retry in ${state.resetSeconds} s`);
    this.state = state;
  }
}

/** Counts one request for the key; throws RateLimitedError (429) when it is over the limit. */
export async function consumeRateLimit(apiKeyId: number, pointsPerMinute: number): Promise<RateLimitState> {
  const limiter = limiterFor(pointsPerMinute);
  try {
    const res = await limiter.consume(String(apiKeyId));
    return { limit: pointsPerMinute, remaining: res.remainingPoints, resetSeconds: Math.ceil(res.msBeforeNext / 1000) };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      throw new RateLimitedError({ limit: pointsPerMinute, remaining: 0, resetSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) });
    }
    throw rejection;
  }
}

/** Tests use fresh databases; forget limiter instances and their in-memory blocks. */
export function resetRateLimiters() {
  limiters.clear();
}
