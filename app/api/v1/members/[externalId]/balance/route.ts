import { authenticateApiKey } from "@/lib/api/api-key";
import { memberIdFromPath, type ExternalIdContext } from "@/lib/api/path-params";
import { type ApiRequest, handleApi, jsonAnswer } from "@/lib/api/handle-api";
import { getMemberBalance } from "@/lib/db/member-points";
import { AppError } from "@/lib/domain/app-error";
import { otherMethods } from "@/lib/api/methods";

/** The member's points by state, with what becomes available and what expires when (one statement). */
export const GET = handleApi(async (request: ApiRequest, context: ExternalIdContext) => {
  const caller = await authenticateApiKey(request);
  const balance = await getMemberBalance(caller.programId, await memberIdFromPath(context));
  if (!balance) throw new AppError("MEMBER_NOT_FOUND");
  return jsonAnswer(balance);
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
