import { NextResponse } from "next/server";
import { authenticateApiKey } from "@/lib/api/api-key";
import { handleApi, readJson } from "@/lib/api/handle-api";
import { requireIdempotencyKey, withIdempotency } from "@/lib/api/idempotency";
import { listWebhookEndpoints, webhookEndpointSelect } from "@/lib/db/webhook-endpoint-reads";
import { assertWebhookUrl, createWebhookEndpointInTx } from "@/lib/services/webhooks";
import { createWebhookEndpointSchema } from "@/lib/validations/console";
import { otherMethods } from "@/lib/api/methods";

/** The program's webhook endpoints (never their signing secrets). */
export const GET = handleApi(async (request: Request) => {
  const caller = await authenticateApiKey(request);
  return NextResponse.json({ webhookEndpoints: await listWebhookEndpoints(caller.programId) });
});

/** Adds an endpoint, with the console's rules for its address; the signing secret is in this answer only. */
export const POST = handleApi(async (request: Request) => {
  const caller = await authenticateApiKey(request);
  const key = requireIdempotencyKey(request);
  const input = await readJson(request, createWebhookEndpointSchema);
  await assertWebhookUrl(input.url); // DNS, so before the transaction
  return withIdempotency({ apiKeyId: caller.apiKeyId, key, request: { path: "webhook-endpoints", input } }, async (tx) => {
    const created = await createWebhookEndpointInTx(tx, { programId: caller.programId, actorUserId: null, apiKeyId: caller.apiKeyId, ...input });
    const endpoint = await tx.webhookEndpoint.findUniqueOrThrow({ where: { id: created.id }, select: webhookEndpointSelect });
    return { status: 201, body: { ...endpoint, secret: created.secret } };
  });
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
