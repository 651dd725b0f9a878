import { authenticateApiKey } from "@/lib/api/api-key";
import { handleApi } from "@/lib/api/handle-api";
import { requireIdempotencyKey, withIdempotency } from "@/lib/api/idempotency";
import { AppError } from "@/lib/domain/app-error";
import { createImportJob, prepareImport, runImport } from "@/lib/services/bulk-import";
import { otherMethods } from "@/lib/api/methods";

type Context = { params: Promise<{ kind: string }> };
const MAX_BYTES = 50 * 1024 * 1024;

/**
 * POST /api/v1/imports/orders or /balances with a text/csv body: validates the file, answers
 * 202 with the job id at once and imports in the background (poll GET /imports/jobs/{id}).
 */
export const POST = handleApi(async (request: Request, context: Context) => {
  const caller = await authenticateApiKey(request);
  const key = requireIdempotencyKey(request);
  const { kind: kindParam } = await context.params;
  const kind = kindParam === "orders" ? "ORDERS" : kindParam === "balances" ? "BALANCES" : null;
  if (!kind) throw new AppError("NOT_FOUND", "import kind must be orders or balances");
  if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("text/csv")) throw new AppError("BAD_REQUEST", "Content-Type must be text/csv");
  const csv = await request.text();
  if (csv.length > MAX_BYTES) throw new AppError("BAD_REQUEST", "file too large (50 MB at most per request)");
  const prepared = prepareImport({ kind, filename: request.headers.get("x-filename") ?? `api-${kindParam}.csv`, csv });
  let jobId = 0;
  const response = await withIdempotency({ apiKeyId: caller.apiKeyId, key, request: { path: `imports/${kindParam}`, csv } }, async (tx) => {
    jobId = await createImportJob(tx, { programId: caller.programId, prepared, actorUserId: null });
    return { status: 202, body: { importId: jobId, status: "RUNNING", totalRows: prepared.totalRows, invalidRows: prepared.parsed.errors.length } };
  });
  if (jobId > 0) void runImport({ programId: caller.programId, jobId, prepared });
  return response;
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
