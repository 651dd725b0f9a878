"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { prisma } from "@/lib/db/prisma";
import { memberActionClient } from "./safe-action";

/** Marks the signed-in member's notifications read; nobody else's can be touched. */
export const markNotificationsReadAction = memberActionClient
  .metadata({ name: "markNotificationsRead" })
  .inputSchema(z.object({}).strict())
  .action(async ({ ctx: { member } }) => {
    const { count } = await prisma.notification.updateMany({ where: { customerId: member.id, readAt: null }, data: { readAt: new Date() } });
    revalidatePath("/", "layout");
    return { marked: count };
  });
