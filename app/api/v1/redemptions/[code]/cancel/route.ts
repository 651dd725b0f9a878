import { handleApi } from "@/lib/api/handle-api";
import { requireIdempotencyKey, withIdempotency } from "@/lib/api/idempotency";
import { otherMethods } from "@/lib/api/methods";
import { readRedemptionCodeRequest, type RedemptionCodeContext } from "@/lib/api/redemption-code";
import { cancelRedemptionInTx } from "@/lib/services/redemption-status";

/** Cancels an unused reward code; its points are refunded exactly once (the key replays the answer). */
export const POST = handleApi(async (request: Request, context: RedemptionCodeContext) => {
  const { caller, code } = await readRedemptionCodeRequest(request, context);
  const key = requireIdempotencyKey(request);
  return withIdempotency({ apiKeyId: caller.apiKeyId, key, request: { path: `redemptions/${code}/cancel` } }, async (tx) => ({
    status: 200,
    body: await cancelRedemptionInTx(tx, { programId: caller.programId, where: { code }, by: "shop" }),
  }));
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
