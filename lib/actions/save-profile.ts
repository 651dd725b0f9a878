"use server";

import { revalidatePath } from "next/cache";
import { getProgramById } from "@/lib/services/program";
import { saveMemberProfile } from "@/lib/services/member-profile";
import { saveProfileSchema } from "@/lib/validations/member";
import { memberActionClient } from "./safe-action";

/** The signed-in member's own profile; the customer id comes from the session only. */
export const saveProfileAction = memberActionClient
  .metadata({ name: "saveProfile" })
  .inputSchema(saveProfileSchema)
  .action(async ({ ctx: { member }, parsedInput }) => {
    const program = await getProgramById(member.programId);
    const result = await saveMemberProfile({ program, customerId: member.id, input: parsedInput });
    revalidatePath("/", "layout");
    return result;
  });
