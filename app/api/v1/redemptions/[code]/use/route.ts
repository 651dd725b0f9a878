import { NextResponse } from "next/server";
import { authenticateApiKey } from "@/lib/api/api-key";
import { handleApi } from "@/lib/api/handle-api";
import { requireIdempotencyKey } from "@/lib/api/idempotency";
import { AppError } from "@/lib/domain/app-error";
import { useRedemption } from "@/lib/services/redemption-status";

type Context = { params: Promise<{ code: string }> };

/** The shop marks a reward code used at checkout (again: the same answer). */
export const POST = handleApi(async (request: Request, context: Context) => {
  const caller = await authenticateApiKey(request);
  requireIdempotencyKey(request); // the operation is idempotent by code; the header is required on every POST
  const { code } = await context.params;
  if (!/^[A-Z0-9-]{4,40}$/.test(code)) throw new AppError("NOT_FOUND", "no redemption with this code");
  const result = await useRedemption({ programId: caller.programId, code });
  return NextResponse.json(result);
});
