"use server";

import { revalidatePath } from "next/cache";
import { prisma } from "@/lib/db/prisma";
import { writeAudit } from "@/lib/services/audit";
import { getProgram } from "@/lib/services/program";
import { messageSettingsSchema } from "@/lib/validations/console";
import { ruleActionClient } from "./safe-action";

export const saveMessageSettingsAction = ruleActionClient
  .metadata({ name: "saveMessageSettings" })
  .inputSchema(messageSettingsSchema)
  .action(async ({ ctx: { user }, parsedInput }) => {
    const program = await getProgram();
    await prisma.$transaction(async (tx) => {
      await tx.program.update({ where: { id: program.id }, data: { expiringSoonDays: parsedInput.expiringSoonDays } });
      await writeAudit(tx, { actorUserId: user.id, action: "program.messages_updated", targetType: "program", targetId: program.id, data: { from: program.expiringSoonDays, ...parsedInput } });
    });
    revalidatePath("/admin/messages");
    return parsedInput;
  });
