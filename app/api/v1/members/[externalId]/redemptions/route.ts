import { authenticateApiKey } from "@/lib/api/api-key";
import { handleApi, readJson } from "@/lib/api/handle-api";
import { requireIdempotencyKey, withIdempotency } from "@/lib/api/idempotency";
import { AppError } from "@/lib/domain/app-error";
import { findMemberByExternalId } from "@/lib/services/find-member";
import { redeemRewardInTx } from "@/lib/services/redeem-reward";
import { createRedemptionSchema, externalIdParamSchema } from "@/lib/validations/api";

type Context = { params: Promise<{ externalId: string }> };

export const POST = handleApi(async (request: Request, context: Context) => {
  const caller = await authenticateApiKey(request);
  const key = requireIdempotencyKey(request);
  const externalId = externalIdParamSchema.safeParse((await context.params).externalId);
  if (!externalId.success) throw new AppError("MEMBER_NOT_FOUND");
  const input = await readJson(request, createRedemptionSchema);
  const member = await findMemberByExternalId(caller.programId, externalId.data);
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
      body: { redemptionId: result.redemptionId, code: result.code, pointsSpent: result.pointsSpent, balance: result.balance, expiresAt: result.expiresAt },
    };
  });
});
