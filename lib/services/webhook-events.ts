import "server-only";
import type { Tx } from "@/lib/db/prisma";

export const webhookEventTypes = ["member.enrolled", "points.earned", "points.reversed", "points.expiring", "points.expired", "tier.changed", "reward.redeemed"] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/**
 * Writes an event to the outbox in the caller's transaction: it exists exactly when the change
 * it describes committed. The delivery job fans it out to the endpoints and sends it. The same
 * dedupe key twice is a no-op.
 */
export async function emitWebhookEvent(
  tx: Tx,
  args: { programId: number; type: WebhookEventType; dedupeKey: string; payload: Record<string, unknown>; at?: Date },
) {
  const at = args.at ?? new Date();
  await tx.$executeRaw`
    INSERT INTO "WebhookEvent" ("programId", "type", "dedupeKey", "payload", "createdAt")
    VALUES (${args.programId}, ${args.type}, ${args.dedupeKey}, ${JSON.stringify(args.payload)}::jsonb, ${at})
    ON CONFLICT ("programId", "dedupeKey") DO NOTHING`;
}
