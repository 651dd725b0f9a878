"use server";

import { z } from "zod";
import { wakeJob } from "@/lib/jobs/wake-job";
import { startImport } from "@/lib/services/bulk-import";
import { getProgram } from "@/lib/services/program";
import { importActionClient } from "./safe-action";

const MAX_CONSOLE_IMPORT_BYTES = 20 * 1024 * 1024;

/** Queues an import from the console; the job runner imports it and the page polls its progress. */
export const startImportAction = importActionClient
  .metadata({ name: "startImport" })
  .inputSchema(
    z.object({
      kind: z.enum(["ORDERS", "BALANCES"]),
      filename: z.string().trim().min(1).max(200),
      csv: z.string().min(1).max(MAX_CONSOLE_IMPORT_BYTES),
    }).strict(),
  )
  .action(async ({ ctx: { user }, parsedInput }) => {
    const program = await getProgram();
    const started = await startImport({ programId: program.id, kind: parsedInput.kind, filename: parsedInput.filename, csv: parsedInput.csv, actorUserId: user.id });
    wakeJob("import");
    return { id: started.id, totalRows: started.totalRows };
  });
