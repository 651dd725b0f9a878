"use server";

import { revalidatePath } from "next/cache";
import { getProgram } from "@/lib/services/program";
import { previewTierConfig, saveTierConfig, setTierFloor } from "@/lib/services/save-tiers";
import { setTierFloorSchema, tierConfigSchema } from "@/lib/validations/console";
import { adjustPointsActionClient, ruleActionClient } from "./safe-action";

export const previewTiersAction = ruleActionClient
  .metadata({ name: "previewTiers" })
  .inputSchema(tierConfigSchema)
  .action(async ({ parsedInput }) => {
    const program = await getProgram();
    return previewTierConfig({ programId: program.id, input: parsedInput });
  });

export const saveTiersAction = ruleActionClient
  .metadata({ name: "saveTiers" })
  .inputSchema(tierConfigSchema)
  .action(async ({ ctx: { user }, parsedInput }) => {
    const program = await getProgram();
    const result = await saveTierConfig({ programId: program.id, actorUserId: user.id, input: parsedInput });
    revalidatePath("/admin/tiers");
    return result;
  });

/** A VIP floor is a manual points-and-status decision: the same roles that adjust points. */
export const setTierFloorAction = adjustPointsActionClient
  .metadata({ name: "setTierFloor" })
  .inputSchema(setTierFloorSchema)
  .action(async ({ ctx: { user }, parsedInput }) => {
    const program = await getProgram();
    const result = await setTierFloor({ programId: program.id, actorUserId: user.id, input: parsedInput });
    revalidatePath(`/admin/members/${parsedInput.customerId}`);
    return result;
  });
