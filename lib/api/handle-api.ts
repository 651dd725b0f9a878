import "server-only";
import { randomUUID } from "node:crypto";
import { NextResponse } from "next/server";
import { z } from "zod";
import { AppError, isAppError } from "@/lib/domain/app-error";
import { RateLimitedError } from "./rate-limit";
import { containsNul } from "@/lib/validations/nul";
import { isDatabaseUnavailable, UNAVAILABLE_RETRY_SECONDS } from "@/lib/db/unavailable";

export type ApiErrorBody = { error: { code: string; message: string; details?: unknown } };

export function apiError(status: number, code: string, message: string, details?: unknown) {
  return uncompressed(NextResponse.json<ApiErrorBody>({ error: { code, message, ...(details ? { details } : {}) } }, { status }));
}

/**
 * API answers are small, private and never cached: `no-store`, and `no-transform` so the
 * server's gzip (Next.js compresses every streamed response, however small) leaves them alone.
 * Measured on the balance read at 16 clients: about 25% more requests a second without it.
 * A proxy in front may still compress large answers (docs/deploy.md).
 */
export function uncompressed(response: Response): Response {
  try {
    if (!response.headers.has("cache-control")) response.headers.set("cache-control", "no-store, no-transform");
  } catch {
    // immutable headers (a redirect or a fetched response): left as they are
  }
  return response;
}

/** Wraps a route handler: expected errors become JSON 4xx; anything else is logged with an id. */
export function handleApi<Args extends unknown[]>(handler: (request: Request, ...args: Args) => Promise<Response>) {
  return async (request: Request, ...args: Args): Promise<Response> => {
    try {
      return uncompressed(await handler(request, ...args));
    } catch (error) {
      if (error instanceof RateLimitedError) {
        const response = apiError(429, error.code, error.message);
        response.headers.set("Retry-After", String(error.state.resetSeconds));
        response.headers.set("RateLimit-Limit", String(error.state.limit));
        response.headers.set("RateLimit-Remaining", "0");
        return response;
      }
      if (isAppError(error)) return apiError(error.status, error.code, error.message);
      if (error instanceof z.ZodError) {
        return apiError(422, "VALIDATION", "request body is invalid", z.flattenError(error));
      }
      const id = randomUUID();
      if (isDatabaseUnavailable(error)) {
        // PostgreSQL restarting or failing over. An open transaction went with its connection; a
        // commit whose answer was lost is found by a retry with the same Idempotency-Key (the
        // stored answer commits with the write), so retrying is safe either way.
        console.error(`[api] database unavailable ${id}: ${(error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ").trim().slice(0, 300)}`);
        const response = apiError(503, "UNAVAILABLE", `the database is unavailable; retry shortly (reference ${id})`);
        response.headers.set("Retry-After", String(UNAVAILABLE_RETRY_SECONDS));
        return response;
      }
      console.error(`[api] unexpected error ${id}`, error);
      return apiError(500, "INTERNAL", `unexpected error; reference ${id}`);
    }
  };
}

/** Reads and validates a JSON body; malformed JSON is a 400, a wrong shape a 422. */
export async function readJson<T extends z.ZodType>(request: Request, schema: T): Promise<z.output<T>> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.toLowerCase().includes("application/json")) throw new AppError("BAD_REQUEST", "Content-Type must be application/json");
  const text = await request.text();
  if (text.length > 1_000_000) throw new AppError("BAD_REQUEST", "body too large");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError("BAD_REQUEST", "body is not valid JSON");
  }
  if (containsNul(body)) throw new AppError("VALIDATION", "text must not contain NUL (\\u0000) characters");
  return schema.parse(body);
}
