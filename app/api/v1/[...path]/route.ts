import { apiError } from "@/lib/api/handle-api";

/** Any path under /api/v1 that no route serves: 404 in the JSON error envelope, never an HTML page. */
async function notFound(request: Request) {
  return apiError(404, "NOT_FOUND", `no such endpoint: ${request.method} ${new URL(request.url).pathname} (see /api/v1/openapi.json)`);
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
