import { NextResponse } from "next/server";
import { authenticateApiKey } from "@/lib/api/api-key";
import { handleApi } from "@/lib/api/handle-api";
import { getImportJob } from "@/lib/db/staff-reads";
import { AppError } from "@/lib/domain/app-error";
import { otherMethods } from "@/lib/api/methods";

type Context = { params: Promise<{ id: string }> };

/** Progress of an import: rows processed, imported, skipped (already there), failed, with row errors. */
export const GET = handleApi(async (request: Request, context: Context) => {
  const caller = await authenticateApiKey(request);
  const { id } = await context.params;
  const jobId = /^\d{1,9}$/.test(id) ? Number(id) : 0;
  const job = jobId > 0 ? await getImportJob(caller.programId, jobId) : null;
  if (!job) throw new AppError("NOT_FOUND", "import not found");
  return NextResponse.json(job);
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
