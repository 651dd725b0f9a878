"use server";

import { revalidatePath } from "next/cache";
import { saveReward } from "@/lib/services/save-reward";
import { getProgram } from "@/lib/services/program";
import { importVouchers } from "@/lib/services/import-vouchers";
import { importVouchersSchema, saveRewardSchema } from "@/lib/validations/console";
import { marketerActionClient } from "./safe-action";

export const saveRewardAction = marketerActionClient
  .metadata({ name: "saveReward" })
  .inputSchema(saveRewardSchema)
  .action(async ({ ctx: { user }, parsedInput }) => {
    const program = await getProgram();
    const saved = await saveReward({ programId: program.id, actorUserId: user.id, input: parsedInput });
    revalidatePath("/", "layout");
    return saved;
  });

export const importVouchersAction = marketerActionClient
  .metadata({ name: "importVouchers" })
  .inputSchema(importVouchersSchema)
  .action(async ({ ctx: { user }, parsedInput }) => {
    const program = await getProgram();
    const result = await importVouchers({ programId: program.id, actorUserId: user.id, input: parsedInput });
    revalidatePath(`/admin/rewards/${parsedInput.rewardId}`);
    return result;
  });
