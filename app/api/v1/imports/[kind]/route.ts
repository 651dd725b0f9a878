import { authenticateApiKey } from "@/lib/api/api-key";
import { apiError, handleApi } from "@/lib/api/handle-api";
import { requireIdempotencyKey, withIdempotency } from "@/lib/api/idempotency";
import { readLimitedText } from "@/lib/api/read-limited-text";
import { AppError } from "@/lib/domain/app-error";
import { wakeJob } from "@/lib/jobs/wake-job";
import { MAX_IMPORT_BYTES, createImportJob, prepareImport } from "@/lib/services/bulk-import";
import { otherMethods } from "@/lib/api/methods";

type Context = { params: Promise<{ kind: string }> };

/**
 * POST /api/v1/imports/orders or /balances with a text/csv body: validates the file, queues the
 * import and answers 202 with the job id at once (poll GET /imports/jobs/{id}). A body over
 * 50 MB is refused with 413 as soon as it passes the limit, before anything is stored.
 */
export const POST = handleApi(async (request: Request, context: Context) => {
  const caller = await authenticateApiKey(request);
  const key = requireIdempotencyKey(request);
  const { kind: kindParam } = await context.params;
  const kind = kindParam === "orders" ? "ORDERS" : kindParam === "balances" ? "BALANCES" : null;
  if (!kind) throw new AppError("NOT_FOUND", "import kind must be orders or balances");
  if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("text/csv")) throw new AppError("BAD_REQUEST", "Content-Type must be text/csv");
  const csv = await readLimitedText(request, MAX_IMPORT_BYTES);
  if (csv === null) return apiError(413, "PAYLOAD_TOO_LARGE", "file too large (50 MB at most per request): split it into several imports");
  const prepared = prepareImport({ kind, filename: request.headers.get("x-filename") ?? `api-${kindParam}.csv`, csv });
  let queued = false;
  const response = await withIdempotency({ apiKeyId: caller.apiKeyId, key, request: { path: `imports/${kindParam}`, csv } }, async (tx) => {
    const importId = await createImportJob(tx, { programId: caller.programId, prepared, actorUserId: null });
    queued = true;
    return { status: 202, body: { importId, status: "QUEUED", totalRows: prepared.totalRows, invalidRows: prepared.parsed.errors.length } };
  });
  if (queued) wakeJob("import");
  return response;
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
