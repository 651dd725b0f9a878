"use server";

import { revalidatePath } from "next/cache";
import { adjustPoints } from "@/lib/services/adjust-points";
import { getMemberPoints } from "@/lib/db/member-points";
import { getProgram } from "@/lib/services/program";
import { adjustPointsSchema } from "@/lib/validations/console";
import { adjustPointsActionClient } from "./safe-action";

export const adjustPointsAction = adjustPointsActionClient
  .metadata({ name: "adjustPoints" })
  .inputSchema(adjustPointsSchema)
  .action(async ({ ctx: { user }, parsedInput }) => {
    const program = await getProgram();
    const result = await adjustPoints({ program, actorUserId: user.id, input: parsedInput });
    revalidatePath(`/admin/members/${parsedInput.customerId}`);
    // the same figures the member detail shows (docs/member-points.md), not the ledger's running sum
    const { available, pending } = await getMemberPoints(parsedInput.customerId);
    return { ...result, available, pending };
  });
