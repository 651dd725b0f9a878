import "server-only";
import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { storedRateLimiter } from "@/lib/api/rate-limit";
import { AppError } from "@/lib/domain/app-error";
import { env } from "@/lib/env";

// Limits on logging in and joining, against password guessing and mass sign-ups: per client
// address and per account (email), counted in PostgreSQL ("RateLimit", shared by every app
// replica) or in memory on the embedded database (one process). Over a limit the action answers
// RATE_LIMITED, shown in the member's language, and does nothing else.

export type AttemptKind = "loginIp" | "loginAccount" | "joinIp" | "joinAccount" | "resetIp" | "resetAccount";

const LIMITS: Record<AttemptKind, { points: number; duration: number }> = {
  // per client address: many people may share one (an office, a mobile carrier)
  loginIp: { points: env.HEARTH_LOGIN_LIMIT_PER_IP, duration: 15 * 60 },
  // per account: ten tries a quarter hour, whatever the address
  loginAccount: { points: 10, duration: 15 * 60 },
  joinIp: { points: env.HEARTH_JOIN_LIMIT_PER_IP, duration: 60 * 60 },
  // confirmation emails to one address: enough for typos and lost emails, not for mail bombing
  joinAccount: { points: 5, duration: 60 * 60 },
  // reset links: per address as for joining, per client address like logins
  resetIp: { points: env.HEARTH_LOGIN_LIMIT_PER_IP, duration: 15 * 60 },
  resetAccount: { points: 5, duration: 60 * 60 },
};

const store = globalThis as unknown as { hearthAttemptLimiters?: Map<AttemptKind, RateLimiterAbstract> };
const limiters = (store.hearthAttemptLimiters ??= new Map<AttemptKind, RateLimiterAbstract>());

function limiter(kind: AttemptKind): RateLimiterAbstract {
  let found = limiters.get(kind);
  if (found) return found;
  found = storedRateLimiter({ ...LIMITS[kind], keyPrefix: `auth-${kind}` });
  limiters.set(kind, found);
  return found;
}

/** Counts one attempt under each key; throws RATE_LIMITED (nothing else happens) when one is over its limit. */
export async function countAttempt(attempts: { kind: AttemptKind; key: string }[]) {
  for (const attempt of attempts) {
    try {
      await limiter(attempt.kind).consume(attempt.key.toLowerCase());
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) throw new AppError("RATE_LIMITED", `too many attempts; retry in ${Math.max(1, Math.ceil(rejection.msBeforeNext / 1000))} s`);
      throw rejection;
    }
  }
}

/** Forgets an account's failed attempts (after a successful login). */
export async function clearAttempts(kind: AttemptKind, key: string) {
  await limiter(kind).delete(key.toLowerCase());
}

/** The client's address as the nearest proxy reports it (X-Forwarded-For's first entry), else X-Real-IP. */
export function clientAddress(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip")?.trim() || "unknown";
}
