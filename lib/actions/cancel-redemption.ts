"use server";

import { revalidatePath } from "next/cache";
import { cancelRedemption } from "@/lib/services/redemption-status";
import { cancelRedemptionSchema } from "@/lib/validations/member";
import { memberActionClient } from "./safe-action";

/** A member cancels one of their own unused codes; the redemption is looked up with their id. */
export const cancelRedemptionAction = memberActionClient
  .metadata({ name: "cancelRedemption" })
  .inputSchema(cancelRedemptionSchema)
  .action(async ({ ctx: { member }, parsedInput }) => {
    const result = await cancelRedemption({ programId: member.programId, where: { id: parsedInput.redemptionId, customerId: member.id }, by: "member" });
    revalidatePath("/", "layout");
    return { pointsRefunded: result.pointsRefunded, balance: result.balance };
  });
