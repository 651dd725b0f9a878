import { NextResponse } from "next/server";
import { authenticateApiKey } from "@/lib/api/api-key";
import { memberIdFromPath, type ExternalIdContext } from "@/lib/api/path-params";
import { handleApi, readJson } from "@/lib/api/handle-api";
import { requireIdempotencyKey, withIdempotency } from "@/lib/api/idempotency";
import { decodeCursor } from "@/lib/api/page-cursor";
import { readQuery } from "@/lib/api/read-query";
import { getMemberRedemptionsPage } from "@/lib/db/api-redemption-reads";
import { findMemberByExternalId } from "@/lib/services/find-member";
import { redeemRewardInTx } from "@/lib/services/redeem-reward";
import { createRedemptionSchema, pageQuerySchema } from "@/lib/validations/api";
import { otherMethods } from "@/lib/api/methods";

/** The member's reward codes, newest first, a page at a time (?limit, ?after=nextCursor). */
export const GET = handleApi(async (request: Request, context: ExternalIdContext) => {
  const caller = await authenticateApiKey(request);
  const member = await findMemberByExternalId(caller.programId, await memberIdFromPath(context));
  const query = readQuery(request, pageQuerySchema);
  return NextResponse.json(await getMemberRedemptionsPage(member.id, { limit: query.limit, after: decodeCursor("redemptions", query.after, { timed: true }) }));
});

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

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
