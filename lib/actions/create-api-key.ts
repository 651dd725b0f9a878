"use server";

import { revalidatePath } from "next/cache";
import { createApiKey } from "@/lib/services/manage-staff";
import { getProgram } from "@/lib/services/program";
import { createApiKeySchema } from "@/lib/validations/console";
import { apiKeyActionClient } from "./safe-action";

export const createApiKeyAction = apiKeyActionClient
  .metadata({ name: "createApiKey" })
  .inputSchema(createApiKeySchema)
  .action(async ({ ctx: { user }, parsedInput }) => {
    const program = await getProgram();
    const created = await createApiKey({ programId: program.id, actorUserId: user.id, name: parsedInput.name });
    revalidatePath("/admin/api-keys");
    // the only time the secret leaves the server
    return { id: created.id, key: created.key };
  });
