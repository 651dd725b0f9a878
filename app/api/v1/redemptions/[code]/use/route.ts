import { handleApi } from "@/lib/api/handle-api";
import { requireIdempotencyKey, withIdempotency } from "@/lib/api/idempotency";
import { otherMethods } from "@/lib/api/methods";
import { readRedemptionCodeRequest, type RedemptionCodeContext } from "@/lib/api/redemption-code";
import { markRedemptionUsedInTx } from "@/lib/services/redemption-status";

/** The shop marks a reward code used at checkout (again: the same answer; the key replays it). */
export const POST = handleApi(async (request: Request, context: RedemptionCodeContext) => {
  const { caller, code } = await readRedemptionCodeRequest(request, context);
  const key = requireIdempotencyKey(request);
  return withIdempotency({ apiKeyId: caller.apiKeyId, key, request: { path: `redemptions/${code}/use` } }, async (tx) => ({
    status: 200,
    body: await markRedemptionUsedInTx(tx, { programId: caller.programId, code }),
  }));
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
