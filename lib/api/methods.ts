import { apiError } from "./handle-api";

// Every /api/v1 route answers every method with JSON: the ones it implements, and 405 with an
// Allow header for the rest (a test checks each route module exports all of them), so a client
// never gets an HTML page or an empty body from the API.

export const API_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type ApiMethod = (typeof API_METHODS)[number];

function refusal(allowed: readonly ApiMethod[]) {
  const allow = [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  return async (request: Request) => {
    const response = apiError(405, "METHOD_NOT_ALLOWED", `${request.method} is not allowed here; use ${allowed.join(" or ")}`);
    response.headers.set("Allow", allow);
    return response;
  };
}

/** Handlers for every method a route does not implement: 405 in the JSON error envelope, with Allow. */
export function otherMethods(...allowed: ApiMethod[]): Record<ApiMethod, (request: Request) => Promise<Response>> {
  const handler = refusal(allowed);
  return { GET: handler, POST: handler, PUT: handler, PATCH: handler, DELETE: handler };
}
