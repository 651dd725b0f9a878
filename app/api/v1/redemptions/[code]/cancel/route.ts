import { NextResponse } from "next/server";
import { handleApi } from "@/lib/api/handle-api";
import { readRedemptionCodeRequest, type RedemptionCodeContext } from "@/lib/api/redemption-code";
import { cancelRedemption } from "@/lib/services/redemption-status";
import { otherMethods } from "@/lib/api/methods";

/** Cancels an unused reward code; its points are refunded exactly once. */
export const POST = handleApi(async (request: Request, context: RedemptionCodeContext) => {
  const { caller, code } = await readRedemptionCodeRequest(request, context);
  return NextResponse.json(await cancelRedemption({ programId: caller.programId, where: { code }, by: "shop" }));
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
