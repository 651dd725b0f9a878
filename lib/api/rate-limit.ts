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
    // blocked in memory until the window ends, once the shared count reaches the limit
    { inMemoryBlockOnConsumed: pointsPerMinute },
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

/**
 * Points taken from the shared counter ahead of use, per process: counting every request in
 * PostgreSQL costs a write per request, so a process takes a small block at once and hands it
 * out from memory. The block is at most 1% of the key's limit (1 below 200 a minute, so small
 * limits stay exact), so across N processes a key may be refused at most N blocks early, never
 * let through beyond its limit. A block lives only as long as the window it was counted in.
 */
type Reservation = { left: number; resetAt: number; remaining: number; oneAtATime?: boolean };
const reservationStore = globalThis as unknown as { hearthRateReservations?: Map<string, Reservation>; hearthRateReserving?: Map<string, Promise<void>> };
const reservations = (reservationStore.hearthRateReservations ??= new Map<string, Reservation>());
const reserving = (reservationStore.hearthRateReserving ??= new Map<string, Promise<void>>());

export function reservationBlock(pointsPerMinute: number): number {
  return Math.max(1, Math.min(50, Math.floor(pointsPerMinute / 100)));
}

/** Counts one request for the key; throws RateLimitedError (429) when it is over the limit. */
export async function consumeRateLimit(apiKeyId: number, pointsPerMinute: number): Promise<RateLimitState> {
  const limiter = limiterFor(pointsPerMinute);
  const block = isEmbeddedDatabase ? 1 : reservationBlock(pointsPerMinute);
  const key = String(apiKeyId);
  if (block > 1) {
    const slot = `${pointsPerMinute}:${key}`;
    for (;;) {
      const held = reservations.get(slot);
      const now = Date.now();
      // near the limit (a block was refused in this window): one point per request
      if (held?.oneAtATime && held.resetAt > now) break;
      if (held && held.left > 0 && held.resetAt > now) {
        held.left -= 1;
        return { limit: pointsPerMinute, remaining: held.remaining + held.left, resetSeconds: Math.ceil((held.resetAt - now) / 1000) };
      }
      // one block request at a time per key in this process; the others wait for it
      const pending = reserving.get(slot);
      if (pending) {
        await pending;
        continue;
      }
      const taking = (async () => {
        try {
          const res = await limiter.consume(key, block);
          reservations.set(slot, { left: block, resetAt: Date.now() + res.msBeforeNext, remaining: res.remainingPoints });
        } catch (rejection) {
          if (!(rejection instanceof RateLimiterRes)) throw rejection;
          // fewer than a block left in this window: give the block back and count one at a time
          // (only when the shared count took it: a key blocked in memory counted nothing)
          if (rejection.consumedPoints > 0) await limiter.reward(key, block).catch(() => undefined);
          reservations.set(slot, { left: 0, resetAt: Date.now() + rejection.msBeforeNext, remaining: 0, oneAtATime: true });
          throw new FallBackToOne();
        } finally {
          reserving.delete(slot);
        }
      })();
      reserving.set(slot, taking.catch(() => undefined));
      try {
        await taking;
      } catch (error) {
        if (error instanceof FallBackToOne) break;
        throw error;
      }
    }
  }
  try {
    const res = await limiter.consume(key);
    return { limit: pointsPerMinute, remaining: res.remainingPoints, resetSeconds: Math.ceil(res.msBeforeNext / 1000) };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      throw new RateLimitedError({ limit: pointsPerMinute, remaining: 0, resetSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) });
    }
    throw rejection;
  }
}

class FallBackToOne extends Error {}

/** Tests use fresh databases; forget limiter instances, their in-memory blocks and reservations. */
export function resetRateLimiters() {
  limiters.clear();
  reservations.clear();
}
