"use server";

import { revalidatePath } from "next/cache";
import { getProgram } from "@/lib/services/program";
import { createWebhookEndpoint, resendDelivery, setWebhookEndpointActive } from "@/lib/services/webhooks";
import { createWebhookEndpointSchema, resendDeliverySchema, setWebhookEndpointActiveSchema } from "@/lib/validations/console";
import { webhookActionClient } from "./safe-action";

export const createWebhookEndpointAction = webhookActionClient
  .metadata({ name: "createWebhookEndpoint" })
  .inputSchema(createWebhookEndpointSchema)
  .action(async ({ ctx: { user }, parsedInput }) => {
    const program = await getProgram();
    const created = await createWebhookEndpoint({ programId: program.id, actorUserId: user.id, ...parsedInput });
    revalidatePath("/admin/webhooks");
    // the only time the signing secret leaves the server
    return { id: created.id, secret: created.secret };
  });

export const setWebhookEndpointActiveAction = webhookActionClient
  .metadata({ name: "setWebhookEndpointActive" })
  .inputSchema(setWebhookEndpointActiveSchema)
  .action(async ({ ctx: { user }, parsedInput }) => {
    const program = await getProgram();
    await setWebhookEndpointActive({ programId: program.id, actorUserId: user.id, ...parsedInput });
    revalidatePath("/admin/webhooks");
    return { ok: true };
  });

export const resendDeliveryAction = webhookActionClient
  .metadata({ name: "resendDelivery" })
  .inputSchema(resendDeliverySchema)
  .action(async ({ ctx: { user }, parsedInput }) => {
    const program = await getProgram();
    await resendDelivery({ programId: program.id, actorUserId: user.id, deliveryId: parsedInput.deliveryId });
    revalidatePath("/admin/webhooks");
    return { ok: true };
  });
