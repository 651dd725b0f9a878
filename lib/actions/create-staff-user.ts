"use server";

import { revalidatePath } from "next/cache";
import { createStaffUser } from "@/lib/services/manage-staff";
import { createStaffUserSchema } from "@/lib/validations/console";
import { adminActionClient } from "./safe-action";

export const createStaffUserAction = adminActionClient
  .metadata({ name: "createStaffUser" })
  .inputSchema(createStaffUserSchema)
  .action(async ({ ctx: { user }, parsedInput }) => {
    const created = await createStaffUser({ actorUserId: user.id, input: parsedInput });
    revalidatePath("/admin/staff");
    return { id: created.id };
  });
