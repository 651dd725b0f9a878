import type { ApiRequest } from "../lib/api/handle-api";

/** What an API hot route's handler reads of its request, built from Node's request (lean-request.mjs). */
export function leanRequest(
  req: { method?: string; url?: string; headers: Record<string, string | string[] | undefined> },
  body: Buffer | Uint8Array | null,
): ApiRequest;
