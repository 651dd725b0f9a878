"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { refreshProgramImpact } from "@/lib/services/analytics-impact";
import { getProgram } from "@/lib/services/program";
import { analyticsActionClient } from "./safe-action";

/** Recomputes the program-impact estimate now (it is otherwise recomputed daily). */
export const refreshImpactAction = analyticsActionClient
  .metadata({ name: "refreshImpact" })
  .inputSchema(z.object({}).strict())
  .action(async () => {
    const program = await getProgram();
    const result = await refreshProgramImpact({ programId: program.id });
    revalidatePath("/admin/analytics/impact");
    return { computedAt: result.computedAt };
  });
