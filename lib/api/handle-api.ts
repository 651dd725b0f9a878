import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { AppError, isAppError } from "@/lib/domain/app-error";
import { RateLimitedError } from "./rate-limit";
import { containsNul } from "@/lib/validations/nul";
import { isDatabaseUnavailable, UNAVAILABLE_RETRY_SECONDS } from "@/lib/db/unavailable";

export type ApiErrorBody = { error: { code: string; message: string; details?: unknown } };

/**
 * What an API handler reads of its request. A Fetch `Request` is one; so is the plain object
 * scripts/server.mjs builds for the hot routes straight from Node's request (`lean` below).
 */
export type ApiRequest = {
  readonly method: string;
  /** absolute, with the query string */
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  /** the body as UTF-8 text (a leading BOM dropped, as Fetch does) */
  text(): Promise<string>;
};

/**
 * A JSON answer before it is a Response: its exact text, status and own headers. Handlers on the
 * hot routes return these; `handleApi` turns them into a Response for Next.js, and the lean path
 * writes them to the socket as they are. Either way the bytes and headers are the same.
 */
export class ApiAnswer {
  /** header names in lower case, as a Response's are, so both forms send each header once */
  readonly headers: Readonly<Record<string, string>>;
  constructor(
    readonly status: number,
    readonly text: string,
    headers: Readonly<Record<string, string>> = {},
  ) {
    this.headers = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  }
}

/** A JSON answer (`NextResponse.json` without the Response). */
export function jsonAnswer(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): ApiAnswer {
  return new ApiAnswer(init.status ?? 200, JSON.stringify(body), init.headers);
}

/** The headers every API answer carries besides its own. */
function answerHeaders(answer: ApiAnswer): Record<string, string> {
  return { "content-type": "application/json", ...answer.headers, "cache-control": answer.headers["cache-control"] ?? "no-store, no-transform" };
}

function toResponse(answer: ApiAnswer): Response {
  return new Response(answer.text, { status: answer.status, headers: answerHeaders(answer) });
}

function errorAnswer(status: number, code: string, message: string, details?: unknown, headers?: Record<string, string>): ApiAnswer {
  return jsonAnswer({ error: { code, message, ...(details ? { details } : {}) } } satisfies ApiErrorBody, { status, headers });
}

export function apiError(status: number, code: string, message: string, details?: unknown) {
  return toResponse(errorAnswer(status, code, message, details));
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

/** Expected errors as their JSON 4xx (503 while the database is away); anything else is a logged 500. */
function answerForError(error: unknown): ApiAnswer {
  if (error instanceof RateLimitedError) {
    return errorAnswer(429, error.code, error.message, undefined, {
      "retry-after": String(error.state.resetSeconds),
      "ratelimit-limit": String(error.state.limit),
      "ratelimit-remaining": "0",
    });
  }
  if (isAppError(error)) return errorAnswer(error.status, error.code, error.message);
  if (error instanceof z.ZodError) return errorAnswer(422, "VALIDATION", "request body is invalid", z.flattenError(error));
  const id = randomUUID();
  if (isDatabaseUnavailable(error)) {
    // PostgreSQL restarting or failing over. An open transaction went with its connection; a
    // commit whose answer was lost is found by a retry with the same Idempotency-Key (the
    // stored answer commits with the write), so retrying is safe either way.
    console.error(`[api] database unavailable ${id}: ${(error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ").trim().slice(0, 300)}`);
    return errorAnswer(503, "UNAVAILABLE", `the database is unavailable; retry shortly (reference ${id})`, undefined, { "retry-after": String(UNAVAILABLE_RETRY_SECONDS) });
  }
  console.error(`[api] unexpected error ${id}`, error);
  return errorAnswer(500, "INTERNAL", `unexpected error; reference ${id}`);
}

/** An answer as the lean path writes it: status, every header of the answer's own, and the text. */
export type LeanAnswer = { status: number; headers: Record<string, string>; text: string };

/**
 * Wraps a route handler: expected errors become JSON 4xx; anything else is logged with an id.
 *
 * The wrapped handler also carries `lean`: the same handler, called by scripts/server.mjs on the
 * API's hot routes with a plain request object, answering a plain object instead of a Response.
 * It skips building a Fetch Request, Headers and Response (web streams) for every request, the
 * largest share of the app's CPU on a member read after the socket writes. A handler that answers
 * a Response rather than an ApiAnswer still works there (its body is read), just not faster.
 */
export function handleApi<Req extends ApiRequest, Args extends unknown[]>(handler: (request: Req, ...args: Args) => Promise<Response | ApiAnswer>) {
  const viaNext = async (request: Request & Req, ...args: Args): Promise<Response> => {
    try {
      const answer = await handler(request, ...args);
      return answer instanceof ApiAnswer ? toResponse(answer) : uncompressed(answer);
    } catch (error) {
      return toResponse(answerForError(error));
    }
  };
  // only the hot routes' handlers, which read no more of their request than ApiRequest, get here
  const lean = async (request: Req, ...args: Args): Promise<LeanAnswer> => {
    let answer: ApiAnswer;
    try {
      const result = await handler(request, ...args);
      if (!(result instanceof ApiAnswer)) {
        const response = uncompressed(result);
        const headers: Record<string, string> = {};
        for (const [name, value] of response.headers) headers[name] = value;
        return { status: response.status, headers, text: await response.text() };
      }
      answer = result;
    } catch (error) {
      answer = answerForError(error);
    }
    return { status: answer.status, headers: answerHeaders(answer), text: answer.text };
  };
  return Object.assign(viaNext, { lean });
}

/** Reads and validates a JSON body; malformed JSON is a 400, a wrong shape a 422. */
export async function readJson<T extends z.ZodType>(request: ApiRequest, schema: T): Promise<z.output<T>> {
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
