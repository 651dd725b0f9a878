import "server-only";
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { fetch as undiciFetch } from "undici";
import { prisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import { writeAudit } from "./audit";
import type { WebhookEventType } from "./webhook-events";
import { BlockedTargetError, refuseWebhookUrl, refuseWithoutDns, webhookDispatcher } from "./webhook-target";

// Outgoing webhooks per the Standard Webhooks spec: the outbox (WebhookEvent) is fanned out
// to the endpoints subscribed at that moment, then each delivery is POSTed with webhook-id,
// webhook-timestamp and webhook-signature (HMAC-SHA256, "v1,<base64>"), retried with
// exponential backoff, every attempt logged with its response code.

export const MAX_ATTEMPTS = 8;
const REQUEST_TIMEOUT_MS = 10_000;
const LEASE_MS = 5 * 60_000;

/** Seconds to wait before attempt n+1 after n failed attempts: 30 s, 1 min, 2 min ... capped at 6 h. */
export function retryDelaySeconds(failedAttempts: number): number {
  return Math.min(30 * 2 ** Math.max(0, failedAttempts - 1), 6 * 3600);
}

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

export async function createWebhookEndpoint({ programId, actorUserId, url, description, eventTypes }: { programId: number; actorUserId: number; url: string; description: string; eventTypes: WebhookEventType[] }) {
  const refused = await refuseWebhookUrl(url);
  if (refused) throw new AppError("VALIDATION", `This address can't receive webhooks: ${refused}.`);
  const secret = generateWebhookSecret();
  return prisma.$transaction(async (tx) => {
    const endpoint = await tx.webhookEndpoint.create({ data: { programId, url, description, eventTypes, secret }, select: { id: true } });
    await writeAudit(tx, { actorUserId, action: "webhook_endpoint.created", targetType: "webhook_endpoint", targetId: endpoint.id, data: { url, eventTypes } });
    return { id: endpoint.id, secret };
  });
}

export async function setWebhookEndpointActive({ programId, actorUserId, endpointId, isActive }: { programId: number; actorUserId: number; endpointId: number; isActive: boolean }) {
  return prisma.$transaction(async (tx) => {
    const updated = await tx.webhookEndpoint.updateMany({ where: { id: endpointId, programId }, data: { isActive } });
    if (updated.count === 0) throw new AppError("NOT_FOUND", "webhook endpoint not found");
    await writeAudit(tx, { actorUserId, action: isActive ? "webhook_endpoint.enabled" : "webhook_endpoint.disabled", targetType: "webhook_endpoint", targetId: endpointId });
  });
}

/** Queues a delivery again now (manual re-send from the console), with a fresh attempt budget. */
export async function resendDelivery({ programId, actorUserId, deliveryId }: { programId: number; actorUserId: number; deliveryId: number }) {
  return prisma.$transaction(async (tx) => {
    const updated = await tx.webhookDelivery.updateMany({
      where: { id: deliveryId, endpoint: { programId } },
      data: { status: "PENDING", attempts: 0, nextAttemptAt: new Date() },
    });
    if (updated.count === 0) throw new AppError("NOT_FOUND", "delivery not found");
    await writeAudit(tx, { actorUserId, action: "webhook_delivery.resent", targetType: "webhook_delivery", targetId: deliveryId });
  });
}

/** Creates one delivery per subscribed active endpoint for events not fanned out yet. */
export async function fanOutWebhookEvents(limit = 1000): Promise<number> {
  return prisma.$transaction(async (tx) => {
    const events = await tx.$queryRaw<{ id: number; programId: number; type: string }[]>`
      SELECT "id", "programId", "type" FROM "WebhookEvent" WHERE "fannedOut" = false ORDER BY "id" LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
    if (events.length === 0) return 0;
    const ids = events.map((event) => event.id);
    await tx.$executeRaw`
      INSERT INTO "WebhookDelivery" ("eventId", "endpointId")
      SELECT e."id", w."id" FROM "WebhookEvent" e
      JOIN "WebhookEndpoint" w ON w."programId" = e."programId" AND w."isActive" AND (cardinality(w."eventTypes") = 0 OR e."type" = ANY(w."eventTypes"))
      WHERE e."id" = ANY(${ids}::int[]) AND w."createdAt" <= e."createdAt"
      ON CONFLICT ("eventId", "endpointId") DO NOTHING`;
    await tx.$executeRaw`UPDATE "WebhookEvent" SET "fannedOut" = true WHERE "id" = ANY(${ids}::int[])`;
    return events.length;
  });
}

type ClaimedDelivery = { id: number; attempts: number; url: string; secret: string; eventId: number; type: string; payload: unknown; createdAt: Date };

/**
 * Sends deliveries that are due. Each is claimed with a lease (SKIP LOCKED) so two workers
 * never send the same attempt; a crash mid-send just lets the lease run out and retry.
 */
export async function deliverDueWebhooks({ limit = 50, now = () => new Date() }: { limit?: number; now?: () => Date } = {}): Promise<{ sent: number; succeeded: number }> {
  const claimed = await prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<ClaimedDelivery[]>`
      SELECT d."id", d."attempts", w."url", w."secret", e."id" AS "eventId", e."type", e."payload", e."createdAt"
      FROM "WebhookDelivery" d JOIN "WebhookEndpoint" w ON w."id" = d."endpointId" JOIN "WebhookEvent" e ON e."id" = d."eventId"
      WHERE d."status" = 'PENDING' AND d."nextAttemptAt" <= ${now()} AND w."isActive"
      ORDER BY d."nextAttemptAt", d."id" LIMIT ${limit} FOR UPDATE OF d SKIP LOCKED`;
    if (rows.length > 0) {
      await tx.$executeRaw`UPDATE "WebhookDelivery" SET "nextAttemptAt" = ${new Date(now().getTime() + LEASE_MS)} WHERE "id" = ANY(${rows.map((row) => row.id)}::int[])`;
    }
    return rows;
  });
  let succeeded = 0;
  await Promise.all(
    claimed.map(async (delivery) => {
      const ok = await sendOnce(delivery, now);
      if (ok) succeeded += 1;
    }),
  );
  return { sent: claimed.length, succeeded };
}

let sharedDispatcher: ReturnType<typeof webhookDispatcher> | undefined;
const dispatcher = () => (sharedDispatcher ??= webhookDispatcher());

function errorCategory(caught: unknown): string {
  const chain: unknown[] = [];
  for (let current: unknown = caught; current && chain.length < 5; current = (current as { cause?: unknown }).cause) chain.push(current);
  if (chain.some((item) => item instanceof BlockedTargetError)) return "blocked: not a public address";
  if (chain.some((item) => item instanceof Error && (item.name === "TimeoutError" || item.name === "AbortError"))) return "timeout";
  return "connection failed";
}

async function sendOnce(delivery: ClaimedDelivery, now: () => Date): Promise<boolean> {
  const messageId = `msg_${delivery.eventId}`;
  const timestamp = now();
  const body = JSON.stringify({ type: delivery.type, timestamp: delivery.createdAt.toISOString(), data: delivery.payload });
  const started = performance.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const refused = refuseWithoutDns(delivery.url);
    if (refused) throw new BlockedTargetError();
    const signature = new Webhook(delivery.secret).sign(messageId, timestamp, body);
    const response = await undiciFetch(delivery.url, {
      dispatcher: dispatcher(),
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Hearth-Webhooks/1.0",
        "webhook-id": messageId,
        "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
        "webhook-signature": signature,
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    statusCode = response.status;
    await response.body?.cancel();
  } catch (caught) {
    // only a category: the console must not reveal how another host answered (no port scanning)
    error = errorCategory(caught);
  }
  const durationMs = Math.round(performance.now() - started);
  const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
  const attempts = delivery.attempts + 1;
  const status = ok ? "SUCCEEDED" : attempts >= MAX_ATTEMPTS ? "FAILED" : "PENDING";
  const next = new Date(now().getTime() + retryDelaySeconds(attempts) * 1000);
  await prisma.$transaction([
    prisma.webhookAttempt.create({ data: { deliveryId: delivery.id, statusCode, error: error ?? (ok ? null : `HTTP ${statusCode}`), durationMs } }),
    prisma.webhookDelivery.update({
      where: { id: delivery.id },
      data: { attempts, status, lastStatusCode: statusCode, lastError: ok ? null : (error ?? `HTTP ${statusCode}`), nextAttemptAt: next, deliveredAt: ok ? now() : null },
    }),
  ]);
  return ok;
}
