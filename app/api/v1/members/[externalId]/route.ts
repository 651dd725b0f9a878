import { NextResponse } from "next/server";
import { authenticateApiKey } from "@/lib/api/api-key";
import { memberIdFromPath, type ExternalIdContext } from "@/lib/api/path-params";
import { type ApiRequest, handleApi, jsonAnswer, readJson } from "@/lib/api/handle-api";
import { getApiMember } from "@/lib/db/api-member-reads";
import { updateMember } from "@/lib/services/update-member";
import { updateMemberSchema } from "@/lib/validations/api";
import { otherMethods } from "@/lib/api/methods";

/** A member with points and tier. */
export const GET = handleApi(async (request: ApiRequest, context: ExternalIdContext) => {
  const caller = await authenticateApiKey(request);
  return jsonAnswer(await getApiMember(caller.programId, await memberIdFromPath(context)));
});

/** Changes a customer's email, name, locale or birthday; answers the member as GET does. */
export const PATCH = handleApi(async (request: Request, context: ExternalIdContext) => {
  const caller = await authenticateApiKey(request);
  const externalId = await memberIdFromPath(context);
  const input = await readJson(request, updateMemberSchema);
  return NextResponse.json(await updateMember({ programId: caller.programId, apiKeyId: caller.apiKeyId, externalId, input }));
});

export const { POST, PUT, DELETE } = otherMethods("GET", "PATCH");
