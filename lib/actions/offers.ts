"use server";

import { revalidatePath } from "next/cache";
import { previewAudience, refreshOfferCounts, saveOffer, setOfferStatus } from "@/lib/services/offers";
import { getProgram } from "@/lib/services/program";
import { previewAudienceSchema, recountOffersSchema, saveOfferSchema, setOfferStatusSchema } from "@/lib/validations/console";
import { ruleActionClient } from "./safe-action";

// Offers pay points through promotion rules: the roles that manage rules manage offers.

export const previewAudienceAction = ruleActionClient
  .metadata({ name: "previewAudience" })
  .inputSchema(previewAudienceSchema)
  .action(async ({ parsedInput }) => {
    const program = await getProgram();
    return previewAudience({ programId: program.id, audience: parsedInput.audience });
  });

export const saveOfferAction = ruleActionClient
  .metadata({ name: "saveOffer" })
  .inputSchema(saveOfferSchema)
  .action(async ({ ctx: { user }, parsedInput }) => {
    const program = await getProgram();
    const result = await saveOffer({ programId: program.id, actorUserId: user.id, input: parsedInput });
    revalidatePath("/admin/offers");
    return result;
  });

export const setOfferStatusAction = ruleActionClient
  .metadata({ name: "setOfferStatus" })
  .inputSchema(setOfferStatusSchema)
  .action(async ({ ctx: { user }, parsedInput }) => {
    const program = await getProgram();
    const result = await setOfferStatus({ programId: program.id, actorUserId: user.id, input: parsedInput });
    revalidatePath("/admin/offers");
    revalidatePath(`/admin/offers/${parsedInput.id}`);
    return result;
  });

/** "Count again" on the offers list: every running offer's audience, now. */
export const recountOffersAction = ruleActionClient
  .metadata({ name: "recountOffers" })
  .inputSchema(recountOffersSchema)
  .action(async () => {
    const program = await getProgram();
    const result = await refreshOfferCounts(program.id);
    revalidatePath("/admin/offers");
    return result;
  });
