import { NextResponse } from "next/server";
import { authenticateApiKey } from "@/lib/api/api-key";
import { handleApi } from "@/lib/api/handle-api";
import { redemptionCodeFromPath, type RedemptionCodeContext } from "@/lib/api/redemption-code";
import { getRedemptionByCode } from "@/lib/db/api-redemption-reads";
import { otherMethods } from "@/lib/api/methods";

/** Looks a reward code up without using it: status, reward, member, expiry. */
export const GET = handleApi(async (request: Request, context: RedemptionCodeContext) => {
  const caller = await authenticateApiKey(request);
  return NextResponse.json(await getRedemptionByCode(caller.programId, await redemptionCodeFromPath(context)));
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
