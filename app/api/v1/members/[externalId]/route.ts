import { NextResponse } from "next/server";
import { authenticateApiKey } from "@/lib/api/api-key";
import { memberIdFromPath, type ExternalIdContext } from "@/lib/api/path-params";
import { handleApi } from "@/lib/api/handle-api";
import { getMemberPoints } from "@/lib/db/member-points";
import { findMemberByExternalId } from "@/lib/services/find-member";
import { otherMethods } from "@/lib/api/methods";

export const GET = handleApi(async (request: Request, context: ExternalIdContext) => {
  const caller = await authenticateApiKey(request);
  const parsed = await memberIdFromPath(context);
  const member = await findMemberByExternalId(caller.programId, parsed);
  const points = await getMemberPoints(member.id);
  return NextResponse.json({
    externalId: member.externalId,
    email: member.email,
    name: member.name,
    locale: member.locale,
    isMember: member.enrolledAt !== null,
    enrolledAt: member.enrolledAt,
    tier: member.tier?.name ?? null,
    points: { available: points.available, pending: points.pending, expiringSoon: points.expiringSoon, debt: points.debt },
  });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
