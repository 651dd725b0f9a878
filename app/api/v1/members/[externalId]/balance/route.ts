import { NextResponse } from "next/server";
import { authenticateApiKey } from "@/lib/api/api-key";
import { memberIdFromPath, type ExternalIdContext } from "@/lib/api/path-params";
import { handleApi } from "@/lib/api/handle-api";
import { getExpirySchedule, getMemberPoints } from "@/lib/db/member-points";
import { findMemberByExternalId } from "@/lib/services/find-member";
import { otherMethods } from "@/lib/api/methods";

/** The member's points by state, with what becomes available and what expires when. */
export const GET = handleApi(async (request: Request, context: ExternalIdContext) => {
  const caller = await authenticateApiKey(request);
  const parsed = await memberIdFromPath(context);
  const member = await findMemberByExternalId(caller.programId, parsed);
  const [points, schedule] = await Promise.all([getMemberPoints(member.id), getExpirySchedule(member.id)]);
  return NextResponse.json({
    externalId: member.externalId,
    available: points.available,
    pending: points.pending,
    expiringSoon: points.expiringSoon,
    debt: points.debt,
    balance: points.balance,
    becomingAvailable: schedule.pending.map((row) => ({ date: row.date.toISOString(), points: row.points })),
    expiring: schedule.expiring.map((row) => ({ date: row.date.toISOString(), points: row.points })),
  });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
