import { NextResponse } from "next/server";
import { authenticateApiKey } from "@/lib/api/api-key";
import { handleApi } from "@/lib/api/handle-api";
import { memberIdFromPath, type ExternalIdContext } from "@/lib/api/path-params";
import { AppError } from "@/lib/domain/app-error";
import { findMemberByExternalId } from "@/lib/services/find-member";
import { checkOfferCode } from "@/lib/services/offers";
import { checkOfferCodeQuerySchema } from "@/lib/validations/api";
import { otherMethods } from "@/lib/api/methods";

/** At checkout: may this member use this offer code now? Read-only; the shop applies the discount. */
export const GET = handleApi(async (request: Request, context: ExternalIdContext) => {
  const caller = await authenticateApiKey(request);
  const member = await findMemberByExternalId(caller.programId, await memberIdFromPath(context));
  const query = checkOfferCodeQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw new AppError("BAD_REQUEST", "code is required; orderTotalCents must be a whole number of cents");
  const result = await checkOfferCode({ programId: caller.programId, customerId: member.id, code: query.data.code, orderCents: query.data.orderTotalCents });
  if (!result.valid) return NextResponse.json({ valid: false, reason: result.reason });
  return NextResponse.json({
    valid: true,
    offerId: result.offerId,
    code: result.code,
    percentOff: result.percentOff,
    value: result.valueCents === null ? null : result.valueCents / 100,
    minOrder: result.minOrderCents / 100,
    endsAt: result.endsAt.toISOString(),
  });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
