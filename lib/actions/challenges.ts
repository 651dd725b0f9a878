"use server";

import { revalidatePath } from "next/cache";
import { saveChallenge } from "@/lib/services/challenges";
import { getProgram } from "@/lib/services/program";
import { saveChallengeSchema } from "@/lib/validations/console";
import { ruleActionClient } from "./safe-action";

// Challenges pay points like earning rules: the roles that manage rules manage challenges.
export const saveChallengeAction = ruleActionClient
  .metadata({ name: "saveChallenge" })
  .inputSchema(saveChallengeSchema)
  .action(async ({ ctx: { user }, parsedInput }) => {
    const program = await getProgram();
    const result = await saveChallenge({ programId: program.id, actorUserId: user.id, input: parsedInput });
    revalidatePath("/admin/challenges");
    return result;
  });
