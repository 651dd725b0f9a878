import { NextResponse } from "next/server";
import { authenticateApiKey } from "@/lib/api/api-key";
import { handleApi, readJson } from "@/lib/api/handle-api";
import { getWebhookEndpoint } from "@/lib/db/webhook-endpoint-reads";
import { AppError } from "@/lib/domain/app-error";
import { deleteWebhookEndpoint, updateWebhookEndpoint } from "@/lib/services/webhooks";
import { updateWebhookEndpointSchema, webhookEndpointIdSchema } from "@/lib/validations/api";
import { otherMethods } from "@/lib/api/methods";

type Context = { params: Promise<{ id: string }> };

async function endpointIdFromPath(context: Context): Promise<number> {
  const parsed = webhookEndpointIdSchema.safeParse((await context.params).id);
  if (!parsed.success) throw new AppError("NOT_FOUND", "webhook endpoint not found");
  return parsed.data;
}

export const GET = handleApi(async (request: Request, context: Context) => {
  const caller = await authenticateApiKey(request);
  return NextResponse.json(await getWebhookEndpoint(caller.programId, await endpointIdFromPath(context)));
});

/** Changes the address (checked like a new one), description, event types or switches it on/off. */
export const PATCH = handleApi(async (request: Request, context: Context) => {
  const caller = await authenticateApiKey(request);
  const endpointId = await endpointIdFromPath(context);
  const input = await readJson(request, updateWebhookEndpointSchema);
  await updateWebhookEndpoint({ programId: caller.programId, actorUserId: null, apiKeyId: caller.apiKeyId, endpointId, input });
  return NextResponse.json(await getWebhookEndpoint(caller.programId, endpointId));
});

/** Removes the endpoint and its delivery log. */
export const DELETE = handleApi(async (request: Request, context: Context) => {
  const caller = await authenticateApiKey(request);
  const endpointId = await endpointIdFromPath(context);
  await deleteWebhookEndpoint({ programId: caller.programId, actorUserId: null, apiKeyId: caller.apiKeyId, endpointId });
  return NextResponse.json({ id: endpointId, deleted: true });
});

export const { POST, PUT } = otherMethods("GET", "PATCH", "DELETE");
