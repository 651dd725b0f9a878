"use server";

import { revalidatePath } from "next/cache";
import { redeemReward } from "@/lib/services/redeem-reward";
import { redeemRewardSchema } from "@/lib/validations/member";
import { memberActionClient } from "./safe-action";

export const redeemRewardAction = memberActionClient
  .metadata({ name: "redeemReward" })
  .inputSchema(redeemRewardSchema)
  .action(async ({ ctx: { member }, parsedInput }) => {
    const result = await redeemReward({
      programId: member.programId,
      customerId: member.id,
      rewardId: parsedInput.rewardId,
      idempotencyKey: parsedInput.requestId,
      source: "portal",
    });
    revalidatePath("/", "layout");
    return { code: result.code, pointsSpent: result.pointsSpent, rewardName: result.rewardName, expiresAt: result.expiresAt?.toISOString() ?? null };
  });
