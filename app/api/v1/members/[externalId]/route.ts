import { NextResponse } from "next/server";
import { authenticateApiKey } from "@/lib/api/api-key";
import { handleApi } from "@/lib/api/handle-api";
import { getMemberPoints } from "@/lib/db/member-points";
import { AppError } from "@/lib/domain/app-error";
import { findMemberByExternalId } from "@/lib/services/find-member";
import { externalIdParamSchema } from "@/lib/validations/api";

type Context = { params: Promise<{ externalId: string }> };

export const GET = handleApi(async (request: Request, context: Context) => {
  const caller = await authenticateApiKey(request);
  const parsed = externalIdParamSchema.safeParse((await context.params).externalId);
  if (!parsed.success) throw new AppError("MEMBER_NOT_FOUND");
  const member = await findMemberByExternalId(caller.programId, parsed.data);
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
