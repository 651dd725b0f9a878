import "server-only";
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { request as undiciRequest } from "undici";
import { prisma, type Tx } from "@/lib/db/prisma";
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

/** Refuses an address that may not receive webhooks (lib/services/webhook-target.ts) with a 422. */
export async function assertWebhookUrl(url: string) {
  const refused = await refuseWebhookUrl(url);
  if (refused) throw new AppError("VALIDATION", `This address can't receive webhooks: ${refused}.`);
}

type WebhookActor = { actorUserId: number | null; apiKeyId?: number };
type NewWebhookEndpoint = WebhookActor & { programId: number; url: string; description: string; eventTypes: WebhookEventType[] };

export async function createWebhookEndpoint(input: NewWebhookEndpoint) {
  await assertWebhookUrl(input.url);
  return prisma.$transaction((tx) => createWebhookEndpointInTx(tx, input));
}

/** The endpoint row with a new signing secret (the caller checked the URL, outside any transaction: DNS). */
export async function createWebhookEndpointInTx(tx: Tx, { programId, actorUserId, apiKeyId, url, description, eventTypes }: NewWebhookEndpoint) {
  const secret = generateWebhookSecret();
  const endpoint = await tx.webhookEndpoint.create({ data: { programId, url, description, eventTypes, secret }, select: { id: true } });
  await writeAudit(tx, { actorUserId, action: "webhook_endpoint.created", targetType: "webhook_endpoint", targetId: endpoint.id, data: { url, eventTypes, ...(apiKeyId ? { apiKeyId } : {}) } });
  return { id: endpoint.id, secret };
}

/** Changes an endpoint's address (checked like a new one), description, event types or on/off. */
export async function updateWebhookEndpoint({ programId, actorUserId, apiKeyId, endpointId, input }: WebhookActor & {
  programId: number;
  endpointId: number;
  input: { url?: string; description?: string; eventTypes?: WebhookEventType[]; isActive?: boolean };
}) {
  if (input.url !== undefined) await assertWebhookUrl(input.url);
  return prisma.$transaction(async (tx) => {
    const updated = await tx.webhookEndpoint.updateMany({ where: { id: endpointId, programId }, data: input });
    if (updated.count === 0) throw new AppError("NOT_FOUND", "webhook endpoint not found");
    const fields = Object.keys(input).filter((key) => input[key as keyof typeof input] !== undefined);
    await writeAudit(tx, { actorUserId, action: "webhook_endpoint.updated", targetType: "webhook_endpoint", targetId: endpointId, data: { fields, url: input.url, ...(apiKeyId ? { apiKeyId } : {}) } });
  });
}

/** Removes an endpoint with its delivery log; events already written stay in the outbox. */
export async function deleteWebhookEndpoint({ programId, actorUserId, apiKeyId, endpointId }: WebhookActor & { programId: number; endpointId: number }) {
  return prisma.$transaction(async (tx) => {
    const [endpoint] = await tx.$queryRaw<{ id: number; url: string }[]>`
      SELECT "id", "url" FROM "WebhookEndpoint" WHERE "id" = ${endpointId} AND "programId" = ${programId} FOR UPDATE`;
    if (!endpoint) throw new AppError("NOT_FOUND", "webhook endpoint not found");
    await tx.$executeRaw`DELETE FROM "WebhookAttempt" a USING "WebhookDelivery" d WHERE a."deliveryId" = d."id" AND d."endpointId" = ${endpoint.id}`;
    await tx.webhookDelivery.deleteMany({ where: { endpointId: endpoint.id } });
    await tx.webhookEndpoint.delete({ where: { id: endpoint.id } });
    await writeAudit(tx, { actorUserId, action: "webhook_endpoint.deleted", targetType: "webhook_endpoint", targetId: endpoint.id, data: { url: endpoint.url, ...(apiKeyId ? { apiKeyId } : {}) } });
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

const FAN_OUT_BATCH = 5_000;
const DELIVERY_CONCURRENCY = 64;
/** at most this many requests in flight to one endpoint, so a slow receiver can't take every slot */
const ENDPOINT_CONCURRENCY = 32;
const CLAIM_BATCH = 100;
const RECORD_BATCH = 100;

/**
 * Creates one delivery per subscribed active endpoint for events not fanned out yet: one
 * statement per batch claims the events (SKIP LOCKED, so replicas share the work and an event is
 * fanned out once), marks them and inserts their deliveries; batch after batch until none are
 * left or the deadline has passed. (Events no endpoint wants are born fanned out: a trigger.)
 */
export async function fanOutWebhookEvents({ batch = FAN_OUT_BATCH, deadline = Date.now() + 5_000 }: { batch?: number; deadline?: number } = {}): Promise<number> {
  let events = 0;
  for (;;) {
    const [row] = await prisma.$queryRaw<{ events: number }[]>`
      WITH claimed AS (
        SELECT "id" FROM "WebhookEvent" WHERE "fannedOut" = false ORDER BY "id" LIMIT ${batch} FOR UPDATE SKIP LOCKED
      ), marked AS (
        UPDATE "WebhookEvent" e SET "fannedOut" = true FROM claimed WHERE e."id" = claimed."id"
        RETURNING e."id", e."programId", e."type", e."createdAt"
      ), created AS (
        INSERT INTO "WebhookDelivery" ("eventId", "endpointId")
        SELECT m."id", w."id" FROM marked m
        JOIN "WebhookEndpoint" w ON w."programId" = m."programId" AND w."isActive" AND (cardinality(w."eventTypes") = 0 OR m."type" = ANY(w."eventTypes"))
        WHERE w."createdAt" <= m."createdAt"
        ON CONFLICT ("eventId", "endpointId") DO NOTHING
        RETURNING 1
      )
      SELECT (SELECT COUNT(*) FROM marked)::int AS "events", (SELECT COUNT(*) FROM created)::int AS "deliveries"`;
    events += row.events;
    if (row.events < batch || Date.now() >= deadline) return events;
  }
}

type ClaimedDelivery = { id: number; attempts: number; endpointId: number; url: string; secret: string; eventId: number; type: string; payload: unknown; createdAt: Date };
type DeliveryOutcome = { id: number; attempts: number; status: string; statusCode: number | null; error: string | null; durationMs: number; nextAttemptAt: Date; deliveredAt: Date | null };

/** Claims due deliveries with a lease, in one statement (SKIP LOCKED: two workers never claim one). */
async function claimDueDeliveries(limit: number, at: Date): Promise<ClaimedDelivery[]> {
  return prisma.$queryRaw<ClaimedDelivery[]>`
    UPDATE "WebhookDelivery" d SET "nextAttemptAt" = ${new Date(at.getTime() + LEASE_MS)}
    FROM (
        SELECT d."id" FROM "WebhookDelivery" d JOIN "WebhookEndpoint" w ON w."id" = d."endpointId"
        WHERE d."status" = 'PENDING' AND d."nextAttemptAt" <= ${at} AND w."isActive"
        ORDER BY d."nextAttemptAt", d."id" LIMIT ${limit} FOR UPDATE OF d SKIP LOCKED
      ) due, "WebhookEndpoint" w, "WebhookEvent" e
    WHERE d."id" = due."id" AND w."id" = d."endpointId" AND e."id" = d."eventId"
    RETURNING d."id", d."attempts", d."endpointId", w."url", w."secret", e."id" AS "eventId", e."type", e."payload", e."createdAt"`;
}

/**
 * Sends deliveries that are due until none are left or the deadline has passed. They are claimed
 * in batches with a lease (a crash mid-send lets the lease run out and the attempt is retried),
 * sent with at most 64 requests in flight (32 per endpoint), and their outcomes recorded in
 * batches. Claimed deliveries not started by the deadline are due again at once.
 */
export async function deliverDueWebhooks({ now = () => new Date(), deadline = Date.now() + 8_000, concurrency = DELIVERY_CONCURRENCY }: { now?: () => Date; deadline?: number; concurrency?: number } = {}): Promise<{ sent: number; succeeded: number }> {
  const queue: ClaimedDelivery[] = [];
  const inFlight = new Map<number, number>();
  const outcomes: DeliveryOutcome[] = [];
  let active = 0;
  let sent = 0;
  let succeeded = 0;
  let drained = false;
  let wake = () => {};
  const start = (delivery: ClaimedDelivery) => {
    active += 1;
    inFlight.set(delivery.endpointId, (inFlight.get(delivery.endpointId) ?? 0) + 1);
    void sendOnce(delivery, now)
      .then(
        (outcome) => {
          outcomes.push(outcome);
          sent += 1;
          if (outcome.status === "SUCCEEDED") succeeded += 1;
        },
        // not expected (sendOnce catches what the request throws); the lease runs out and it is retried
        (error) => console.error(`[webhooks] delivery ${delivery.id} failed`, error),
      )
      .finally(() => {
        active -= 1;
        inFlight.set(delivery.endpointId, (inFlight.get(delivery.endpointId) ?? 1) - 1);
        wake();
      });
  };
  for (;;) {
    const open = Date.now() < deadline;
    if (open && !drained && queue.length < concurrency) {
      const claimed = await claimDueDeliveries(CLAIM_BATCH, now());
      if (claimed.length < CLAIM_BATCH) drained = true;
      queue.push(...claimed);
    }
    for (let index = 0; open && index < queue.length && active < concurrency; ) {
      if ((inFlight.get(queue[index].endpointId) ?? 0) < ENDPOINT_CONCURRENCY) start(queue.splice(index, 1)[0]);
      else index += 1;
    }
    if (outcomes.length >= RECORD_BATCH) await recordOutcomes(outcomes.splice(0));
    if (active === 0 && (queue.length === 0 || !open)) break;
    if (active > 0) await new Promise<void>((resolve) => (wake = resolve));
  }
  await recordOutcomes(outcomes.splice(0));
  if (queue.length > 0) {
    await prisma.$executeRaw`UPDATE "WebhookDelivery" SET "nextAttemptAt" = ${now()} WHERE "id" = ANY(${queue.map((delivery) => delivery.id)}::int[]) AND "status" = 'PENDING'`;
  }
  return { sent, succeeded };
}

/** Each attempt is logged and its delivery updated: one statement for a whole batch. */
async function recordOutcomes(outcomes: DeliveryOutcome[]) {
  if (outcomes.length === 0) return;
  const column = <T,>(pick: (outcome: DeliveryOutcome) => T) => outcomes.map(pick);
  try {
    await prisma.$executeRaw`
      WITH v AS (
        SELECT * FROM unnest(${column((o) => o.id)}::int[], ${column((o) => o.attempts)}::int[], ${column((o) => o.status)}::text[], ${column((o) => o.statusCode)}::int[],
          ${column((o) => o.error)}::text[], ${column((o) => o.durationMs)}::int[], ${column((o) => o.nextAttemptAt.toISOString())}::timestamp(3)[],
          ${column((o) => o.deliveredAt?.toISOString() ?? null)}::timestamp(3)[]) AS v("id", "attempts", "status", "statusCode", "error", "durationMs", "nextAttemptAt", "deliveredAt")
        WHERE EXISTS (SELECT 1 FROM "WebhookDelivery" d WHERE d."id" = v."id")
      ), logged AS (
        INSERT INTO "WebhookAttempt" ("deliveryId", "statusCode", "error", "durationMs") SELECT "id", "statusCode", "error", "durationMs" FROM v
      )
      UPDATE "WebhookDelivery" d SET "attempts" = v."attempts", "status" = v."status", "lastStatusCode" = v."statusCode", "lastError" = v."error",
        "nextAttemptAt" = v."nextAttemptAt", "deliveredAt" = v."deliveredAt"
      FROM v WHERE d."id" = v."id"`;
  } catch {
    // an endpoint deleted meanwhile took its deliveries with it: record the others one by one
    for (const outcome of outcomes) await recordOutcome(outcome);
  }
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

async function sendOnce(delivery: ClaimedDelivery, now: () => Date): Promise<DeliveryOutcome> {
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
    // undici's request(): a few times cheaper per call than fetch(), and redirects are not followed
    const response = await undiciRequest(delivery.url, {
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
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    statusCode = response.statusCode;
    await response.body.dump();
  } catch (caught) {
    // only a category: the console must not reveal how another host answered (no port scanning)
    error = errorCategory(caught);
  }
  const durationMs = Math.round(performance.now() - started);
  const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
  const attempts = delivery.attempts + 1;
  return {
    id: delivery.id, attempts, status: ok ? "SUCCEEDED" : attempts >= MAX_ATTEMPTS ? "FAILED" : "PENDING", statusCode, error: ok ? null : (error ?? `HTTP ${statusCode}`), durationMs,
    nextAttemptAt: new Date(now().getTime() + retryDelaySeconds(attempts) * 1000), deliveredAt: ok ? now() : null,
  };
}

async function recordOutcome(outcome: DeliveryOutcome) {
  const { id, attempts, status, statusCode, error, durationMs, nextAttemptAt, deliveredAt } = outcome;
  try {
    await prisma.$transaction([
      prisma.webhookAttempt.create({ data: { deliveryId: id, statusCode, error, durationMs } }),
      prisma.webhookDelivery.update({ where: { id }, data: { attempts, status, lastStatusCode: statusCode, lastError: error, nextAttemptAt, deliveredAt } }),
    ]);
  } catch (caught) {
    // the endpoint was deleted while this attempt was in flight: nothing left to record
    if ((await prisma.webhookDelivery.count({ where: { id } })) === 0) return;
    throw caught;
  }
}
