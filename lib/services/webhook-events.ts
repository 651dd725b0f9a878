import "server-only";
import type { Tx } from "@/lib/db/prisma";

import type { webhookEventTypeValues } from "@/lib/validations/console";

export type WebhookEventType = (typeof webhookEventTypeValues)[number];

/**
 * Writes an event to the outbox in the caller's transaction: it exists exactly when the change
 * it describes committed. The delivery job fans it out to the endpoints and sends it. The same
 * dedupe key twice is a no-op.
 */
export async function emitWebhookEvent(
  tx: Tx,
  args: { programId: number; type: WebhookEventType; dedupeKey: string; payload: Record<string, unknown>; at?: Date },
) {
  // createdAt is when it was recorded (endpoints get what happens after they subscribe);
  // occurredAt is the business time (an imported order's date, say).
  const payload = { ...args.payload, occurredAt: (args.at ?? new Date()).toISOString() };
  // every event about a member names them by the shop's own id (externalId) beside ours
  await tx.$executeRaw`
    INSERT INTO "WebhookEvent" ("programId", "type", "dedupeKey", "payload")
    SELECT ${args.programId}, ${args.type}, ${args.dedupeKey},
      COALESCE((SELECT jsonb_build_object('externalId', c."externalId") FROM "Customer" c WHERE c."id" = (${JSON.stringify(payload)}::jsonb->>'customerId')::int), '{}'::jsonb)
        || ${JSON.stringify(payload)}::jsonb
    ON CONFLICT ("programId", "dedupeKey") DO NOTHING`;
}
