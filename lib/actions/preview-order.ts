"use server";

import { previewOrderEarning } from "@/lib/services/preview-order";
import { getProgram } from "@/lib/services/program";
import { previewOrderSchema } from "@/lib/validations/console";
import { ruleActionClient } from "./safe-action";

/** What a sample order would earn under the rules as saved now (no ledger writes). */
export const previewOrderAction = ruleActionClient
  .metadata({ name: "previewOrder" })
  .inputSchema(previewOrderSchema)
  .action(async ({ parsedInput }) => {
    const program = await getProgram();
    return previewOrderEarning({ programId: program.id, input: parsedInput });
  });
