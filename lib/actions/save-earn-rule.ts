"use server";

import { revalidatePath } from "next/cache";
import { getProgram } from "@/lib/services/program";
import { saveEarnRule } from "@/lib/services/save-earn-rule";
import { saveEarnRuleSchema } from "@/lib/validations/console";
import { ruleActionClient } from "./safe-action";

export const saveEarnRuleAction = ruleActionClient
  .metadata({ name: "saveEarnRule" })
  .inputSchema(saveEarnRuleSchema)
  .action(async ({ ctx: { user }, parsedInput }) => {
    const program = await getProgram();
    const rule = await saveEarnRule({ programId: program.id, actorUserId: user.id, input: parsedInput });
    revalidatePath("/admin/rules");
    return { version: rule.version };
  });
