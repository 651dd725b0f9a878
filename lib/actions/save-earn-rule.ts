"use server";

import { revalidatePath } from "next/cache";
import { getProgram } from "@/lib/services/program";
import { saveActionRule, saveEarnRule, savePromotion } from "@/lib/services/save-earn-rule";
import { saveActionRuleSchema, saveEarnRuleSchema, savePromotionSchema } from "@/lib/validations/console";
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

export const saveActionRuleAction = ruleActionClient
  .metadata({ name: "saveActionRule" })
  .inputSchema(saveActionRuleSchema)
  .action(async ({ ctx: { user }, parsedInput }) => {
    const program = await getProgram();
    const rule = await saveActionRule({ programId: program.id, actorUserId: user.id, input: parsedInput });
    revalidatePath("/admin/rules");
    return { version: rule.version };
  });

export const savePromotionAction = ruleActionClient
  .metadata({ name: "savePromotion" })
  .inputSchema(savePromotionSchema)
  .action(async ({ ctx: { user }, parsedInput }) => {
    const program = await getProgram();
    const rule = await savePromotion({ programId: program.id, actorUserId: user.id, input: parsedInput });
    revalidatePath("/admin/rules");
    return { id: rule.id, version: rule.version };
  });
