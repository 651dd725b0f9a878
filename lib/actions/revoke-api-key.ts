"use server";

import { revalidatePath } from "next/cache";
import { revokeApiKey } from "@/lib/services/manage-staff";
import { getProgram } from "@/lib/services/program";
import { revokeApiKeySchema } from "@/lib/validations/console";
import { apiKeyActionClient } from "./safe-action";

export const revokeApiKeyAction = apiKeyActionClient
  .metadata({ name: "revokeApiKey" })
  .inputSchema(revokeApiKeySchema)
  .action(async ({ ctx: { user }, parsedInput }) => {
    const program = await getProgram();
    await revokeApiKey({ programId: program.id, actorUserId: user.id, apiKeyId: parsedInput.apiKeyId });
    revalidatePath("/admin/api-keys");
  });
