"use server";

import { revalidatePath } from "next/cache";
import { prisma } from "@/lib/db/prisma";
import { writeAudit } from "@/lib/services/audit";
import { getProgram } from "@/lib/services/program";
import { saveTimeZoneSchema } from "@/lib/validations/analytics";
import { adminActionClient } from "./safe-action";

/** The program's reporting time zone; the next analytics fold rebuilds the rollups in it. */
export const saveTimeZoneAction = adminActionClient
  .metadata({ name: "saveTimeZone" })
  .inputSchema(saveTimeZoneSchema)
  .action(async ({ ctx: { user }, parsedInput }) => {
    const program = await getProgram();
    const before = await prisma.program.findUniqueOrThrow({ where: { id: program.id }, select: { timeZone: true } });
    await prisma.$transaction(async (tx) => {
      await tx.program.update({ where: { id: program.id }, data: { timeZone: parsedInput.timeZone } });
      await writeAudit(tx, { actorUserId: user.id, action: "program.time_zone_updated", targetType: "program", targetId: program.id, data: { from: before.timeZone, to: parsedInput.timeZone } });
    });
    revalidatePath("/admin/analytics");
    return parsedInput;
  });
