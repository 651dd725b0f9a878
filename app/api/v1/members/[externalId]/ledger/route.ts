import { NextResponse } from "next/server";
import { authenticateApiKey } from "@/lib/api/api-key";
import { handleApi } from "@/lib/api/handle-api";
import { decodeCursor } from "@/lib/api/page-cursor";
import { memberIdFromPath, type ExternalIdContext } from "@/lib/api/path-params";
import { readQuery } from "@/lib/api/read-query";
import { getMemberLedgerPage } from "@/lib/db/api-member-reads";
import { findMemberByExternalId } from "@/lib/services/find-member";
import { pageQuerySchema } from "@/lib/validations/api";
import { otherMethods } from "@/lib/api/methods";

/** The member's points history, newest first, a page at a time. */
export const GET = handleApi(async (request: Request, context: ExternalIdContext) => {
  const caller = await authenticateApiKey(request);
  const member = await findMemberByExternalId(caller.programId, await memberIdFromPath(context));
  const query = readQuery(request, pageQuerySchema);
  return NextResponse.json(await getMemberLedgerPage(member.id, { limit: query.limit, after: decodeCursor("ledger", query.after, { timed: true }) }));
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
