import { NextResponse } from "next/server";
import { handleApi } from "@/lib/api/handle-api";
import { readRedemptionCodeRequest, type RedemptionCodeContext } from "@/lib/api/redemption-code";
import { markRedemptionUsed } from "@/lib/services/redemption-status";
import { otherMethods } from "@/lib/api/methods";

/** The shop marks a reward code used at checkout (again: the same answer). */
export const POST = handleApi(async (request: Request, context: RedemptionCodeContext) => {
  const { caller, code } = await readRedemptionCodeRequest(request, context);
  return NextResponse.json(await markRedemptionUsed({ programId: caller.programId, code }));
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
