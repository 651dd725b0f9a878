import { NextResponse } from "next/server";
import { authenticateApiKey } from "@/lib/api/api-key";
import { memberIdFromPath, type ExternalIdContext } from "@/lib/api/path-params";
import { type ApiRequest, handleApi, readJson } from "@/lib/api/handle-api";
import { idempotentAnswer, requireIdempotencyKey, withIdempotency } from "@/lib/api/idempotency";
import { decodeCursor } from "@/lib/api/page-cursor";
import { readQuery } from "@/lib/api/read-query";
import { getMemberRedemptionsPage } from "@/lib/db/api-redemption-reads";
import { findMemberByExternalId } from "@/lib/services/find-member";
import { redeemRewardFast, redeemRewardInTx } from "@/lib/services/redeem-reward";
import { hashRequest } from "@/lib/services/ledger-core";
import { AppError } from "@/lib/domain/app-error";
import { createRedemptionSchema, pageQuerySchema } from "@/lib/validations/api";
import { otherMethods } from "@/lib/api/methods";

/** The member's reward codes, newest first, a page at a time (?limit, ?after=nextCursor). */
export const GET = handleApi(async (request: Request, context: ExternalIdContext) => {
  const caller = await authenticateApiKey(request);
  const member = await findMemberByExternalId(caller.programId, await memberIdFromPath(context));
  const query = readQuery(request, pageQuerySchema);
  return NextResponse.json(await getMemberRedemptionsPage(member.id, { limit: query.limit, after: decodeCursor("redemptions", query.after, { timed: true }) }));
});

export const POST = handleApi(async (request: ApiRequest, context: ExternalIdContext) => {
  const caller = await authenticateApiKey(request);
  const key = requireIdempotencyKey(request);
  const externalId = await memberIdFromPath(context);
  const input = await readJson(request, createRedemptionSchema);
  const idempotent = (memberId: number) => ({ path: "redemptions", member: memberId, input });
  // the common redemption in one round trip; anything else (errors included) takes the transaction
  const fast = await redeemRewardFast({ programId: caller.programId, externalId, rewardId: input.rewardId, apiKeyId: caller.apiKeyId, key, request: idempotent });
  if (fast.kind === "member-not-found") throw new AppError("MEMBER_NOT_FOUND");
  if (fast.kind === "done") return idempotentAnswer(fast);
  return withIdempotency({ apiKeyId: caller.apiKeyId, key, request: idempotent(fast.customerId) }, async (tx) => {
    const result = await redeemRewardInTx(tx, {
      programId: caller.programId,
      customerId: fast.customerId,
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

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
