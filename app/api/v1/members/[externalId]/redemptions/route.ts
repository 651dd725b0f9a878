import { authenticateApiKey } from "@/lib/api/api-key";
import { memberIdFromPath, type ExternalIdContext } from "@/lib/api/path-params";
import { handleApi, readJson } from "@/lib/api/handle-api";
import { requireIdempotencyKey, withIdempotency } from "@/lib/api/idempotency";
import { findMemberByExternalId } from "@/lib/services/find-member";
import { redeemRewardInTx } from "@/lib/services/redeem-reward";
import { createRedemptionSchema } from "@/lib/validations/api";
import { otherMethods } from "@/lib/api/methods";

export const POST = handleApi(async (request: Request, context: ExternalIdContext) => {
  const caller = await authenticateApiKey(request);
  const key = requireIdempotencyKey(request);
  const externalId = await memberIdFromPath(context);
  const input = await readJson(request, createRedemptionSchema);
  const member = await findMemberByExternalId(caller.programId, externalId);
  return withIdempotency({ apiKeyId: caller.apiKeyId, key, request: { path: "redemptions", member: member.id, input } }, async (tx) => {
    const result = await redeemRewardInTx(tx, {
      programId: caller.programId,
      customerId: member.id,
      rewardId: input.rewardId,
      idempotencyKey: `api:${caller.apiKeyId}:${key}`,
      source: "api",
    });
    return {
      status: 201,
      body: { redemptionId: result.redemptionId, code: result.code, pointsSpent: result.pointsSpent, balance: result.balance, expiresAt: result.expiresAt, voucherCode: result.voucherCode },
    };
  });
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
