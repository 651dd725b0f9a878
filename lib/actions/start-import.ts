"use server";

import { z } from "zod";
import { revalidatePath } from "next/cache";
import { startImport } from "@/lib/services/bulk-import";
import { getProgram } from "@/lib/services/program";
import { importActionClient } from "./safe-action";

const MAX_CONSOLE_IMPORT_BYTES = 20 * 1024 * 1024;

/** Starts an import from the console; the page polls its progress. */
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
    void started.done.then(() => revalidatePath("/admin/imports"));
    return { id: started.id, totalRows: started.totalRows };
  });
