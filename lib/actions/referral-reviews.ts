"use server";

import { revalidatePath } from "next/cache";
import { getProgram } from "@/lib/services/program";
import { decideReferralReview } from "@/lib/services/referral-reviews";
import { decideReferralReviewSchema } from "@/lib/validations/console";
import { referralReviewActionClient } from "./safe-action";

// Approving pays points: the role is checked here and again, from the database, in the service.
export const decideReferralReviewAction = referralReviewActionClient
  .metadata({ name: "decideReferralReview" })
  .inputSchema(decideReferralReviewSchema)
  .action(async ({ ctx: { user }, parsedInput }) => {
    const program = await getProgram();
    const result = await decideReferralReview({ program, actorUserId: user.id, input: parsedInput });
    revalidatePath("/admin/referrals");
    return result;
  });
