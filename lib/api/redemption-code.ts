import "server-only";
import { AppError } from "@/lib/domain/app-error";
import { authenticateApiKey, type ApiCaller } from "./api-key";
import { requireIdempotencyKey } from "./idempotency";

export type RedemptionCodeContext = { params: Promise<{ code: string }> };

/**
 * What POST /redemptions/{code}/use and /cancel share: the caller, the Idempotency-Key every
 * POST carries (the operations are idempotent by code anyway) and a well-formed code.
 */
export async function readRedemptionCodeRequest(request: Request, context: RedemptionCodeContext): Promise<{ caller: ApiCaller; code: string }> {
  const caller = await authenticateApiKey(request);
  requireIdempotencyKey(request);
  return { caller, code: await redemptionCodeFromPath(context) };
}

/** The code of /redemptions/{code}/…; a malformed one can't name a redemption: 404. */
export async function redemptionCodeFromPath(context: RedemptionCodeContext): Promise<string> {
  const { code } = await context.params;
  if (!/^[A-Z0-9-]{4,40}$/.test(code)) throw new AppError("NOT_FOUND", "no redemption with this code");
  return code;
}
