"use server";

import { revalidatePath } from "next/cache";
import { setStaffActive } from "@/lib/services/manage-staff";
import { setStaffActiveSchema } from "@/lib/validations/console";
import { adminActionClient } from "./safe-action";

export const setStaffActiveAction = adminActionClient
  .metadata({ name: "setStaffActive" })
  .inputSchema(setStaffActiveSchema)
  .action(async ({ ctx: { user }, parsedInput }) => {
    const result = await setStaffActive({ actorUserId: user.id, ...parsedInput });
    revalidatePath("/admin/staff");
    revalidatePath("/admin/api-keys");
    return { revokedKeys: result.revokedKeys.map((key) => key.name) };
  });
