import { NextResponse } from "next/server";
import { authenticateApiKey } from "@/lib/api/api-key";
import { handleApi } from "@/lib/api/handle-api";
import { getRewardsCatalog } from "@/lib/db/member-reads";
import { otherMethods } from "@/lib/api/methods";

/** The rewards members can redeem now. */
export const GET = handleApi(async (request: Request) => {
  const caller = await authenticateApiKey(request);
  const rewards = await getRewardsCatalog(caller.programId);
  return NextResponse.json({
    rewards: rewards.map((reward) => ({
      id: reward.id,
      name: reward.name,
      description: reward.description,
      kind: reward.kind,
      costPoints: reward.costPoints,
      value: reward.valueCents === null ? null : reward.valueCents / 100,
      percentOff: reward.percentOff,
      stock: reward.stock,
      availableUntil: reward.endsAt?.toISOString() ?? null,
      tierIds: reward.tierIds,
      categories: reward.categories,
      perMemberLimit: reward.perMemberLimit,
    })),
  });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
