import { NextResponse } from "next/server";
import { authenticateApiKey } from "@/lib/api/api-key";
import { handleApi } from "@/lib/api/handle-api";
import { memberIdFromPath, type ExternalIdContext } from "@/lib/api/path-params";
import { findMemberByExternalId } from "@/lib/services/find-member";
import { getMemberOffers } from "@/lib/services/offers";
import { otherMethods } from "@/lib/api/methods";

/** The offers a member is targeted by, as the portal shows them (for the shop's own widgets). */
export const GET = handleApi(async (request: Request, context: ExternalIdContext) => {
  const caller = await authenticateApiKey(request);
  const member = await findMemberByExternalId(caller.programId, await memberIdFromPath(context));
  const offers = member.enrolledAt ? await getMemberOffers({ programId: caller.programId, customerId: member.id }) : [];
  return NextResponse.json({
    offers: offers.map((offer) => ({
      id: offer.id,
      kind: offer.kind,
      title: offer.title,
      description: offer.description,
      phase: offer.phase,
      opensAt: offer.opensAt.toISOString(),
      startsAt: offer.startsAt.toISOString(),
      endsAt: offer.endsAt.toISOString(),
      multiplier: offer.multiplier,
      categories: offer.categories,
      code: offer.code,
      percentOff: offer.percentOff,
      value: offer.valueCents === null ? null : offer.valueCents / 100,
      minOrder: offer.minOrderCents / 100,
      hashtag: offer.hashtag,
    })),
  });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
