import "server-only";
import { prisma } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { renderEmail, type NotificationData, type NotificationKind } from "./render-notification";

// Members hear about what happened to their points through two channels they choose in their
// profile: the portal inbox and email. The notify job reads the event outbox (the same rows
// webhooks are made from), so a notification exists exactly when its change committed.

type EventRow = { id: number; txid: string; type: string; payload: Record<string, unknown>; occurredAt: string | null };
type MemberRow = { id: number; email: string; name: string; locale: string; preferences: { channels?: unknown } | null; enrolledAt: Date | null };

/** Events older than this (by business time) are history, e.g. imported orders: no message. */
const MAX_AGE_MS = 3 * 86_400_000;
const BATCH = 500;

function toNotification(event: EventRow): { kind: NotificationKind; data: NotificationData } | null {
  const p = event.payload;
  const num = (key: string) => (typeof p[key] === "number" ? (p[key] as number) : 0);
  const str = (key: string) => (typeof p[key] === "string" ? (p[key] as string) : null);
  switch (event.type) {
    case "member.enrolled":
      return { kind: "welcome", data: { balance: num("welcomePoints") } };
    case "points.earned":
      // the welcome bonus is announced by the welcome message itself
      if (p.reason === "welcome_bonus") return null;
      return { kind: "points_earned", data: { points: num("points"), balance: num("balance"), date: str("availableAt"), order: str("orderExternalId") } };
    case "points.expiring":
      return { kind: "expiring_soon", data: { points: num("points"), date: str("expiresOn"), until: str("lastExpiresOn") } };
    case "tier.changed":
      // the first placement (a new member in the entry tier) is part of the welcome
      if (!str("tier") || !str("fromTier")) return null;
      return { kind: p.direction === "down" ? "tier_down" : "tier_up", data: { tier: str("tier") } };
    case "reward.redeemed":
      return { kind: "reward_redeemed", data: { reward: str("reward"), code: str("code"), date: str("expiresAt"), points: num("pointsSpent") } };
    default:
      return null;
  }
}

/** The member's channels: what they chose in their profile; both until they choose. */
export function channelsOf(preferences: { channels?: unknown } | null): { inbox: boolean; email: boolean } {
  const chosen = Array.isArray(preferences?.channels) ? (preferences.channels as unknown[]) : ["inbox", "email"];
  return { inbox: chosen.includes("inbox"), email: chosen.includes("email") };
}

/**
 * Turns new outbox events into inbox notifications and emails, per program, in batches. The
 * program's cursor row is locked while a batch is processed, so two runs (two replicas) never
 * handle an event twice; unique keys make a replay harmless anyway.
 *
 * The cursor is (writing transaction id, event id), and only events written by transactions
 * older than every transaction still in flight are read (`txid < pg_snapshot_xmin`): ids come
 * from a sequence, so a transaction holding id 10 may commit after the one holding id 11, and a
 * plain "last id" cursor would step over 10 for good. A transaction below the snapshot's xmin
 * has ended, so no event can appear behind the cursor later. The price: a long write
 * transaction anywhere in the cluster delays notifications until it ends.
 */
export async function notifyFromEvents({ programId, at = new Date() }: { programId: number; at?: Date }) {
  let notifications = 0;
  let emails = 0;
  for (;;) {
    const done = await prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`INSERT INTO "NotificationCursor" ("programId") VALUES (${programId}) ON CONFLICT DO NOTHING`;
        const [cursor] = await tx.$queryRaw<{ lastTxid: string; lastEventId: number }[]>`
          SELECT "lastTxid"::text AS "lastTxid", "lastEventId" FROM "NotificationCursor" WHERE "programId" = ${programId} FOR UPDATE`;
        const events = await tx.$queryRaw<EventRow[]>`
          SELECT "id", "txid"::text AS "txid", "type", "payload", "payload"->>'occurredAt' AS "occurredAt" FROM "WebhookEvent"
          WHERE "programId" = ${programId} AND ("txid", "id") > (${cursor.lastTxid}::xid8, ${cursor.lastEventId}::int)
            AND "txid" < pg_snapshot_xmin(pg_current_snapshot())
          ORDER BY "txid", "id" LIMIT ${BATCH}`;
        if (events.length === 0) return true;
        const program = await tx.program.findUniqueOrThrow({ where: { id: programId }, select: { name: true } });
        const wanted = events
          .filter((event) => !event.occurredAt || at.getTime() - new Date(event.occurredAt).getTime() <= MAX_AGE_MS)
          .flatMap((event) => {
            const note = toNotification(event);
            const customerId = event.payload.customerId;
            return note && typeof customerId === "number" ? [{ event, customerId, ...note }] : [];
          });
        const ids = [...new Set(wanted.map((w) => w.customerId))];
        const members = ids.length
          ? await tx.$queryRaw<MemberRow[]>`
              SELECT c."id", c."email", c."name", c."locale", c."preferences", c."enrolledAt" FROM "Customer" c
              WHERE c."id" = ANY(${ids}::int[]) AND c."programId" = ${programId}`
          : [];
        const byId = new Map(members.map((member) => [member.id, member]));
        const inbox: { programId: number; customerId: number; kind: string; eventId: number; data: object; createdAt: Date }[] = [];
        const mail: {
          programId: number; customerId: number; eventId: number; kind: string; toEmail: string; locale: string; subject: string; text: string; html: string; status: string;
        }[] = [];
        for (const item of wanted) {
          const member = byId.get(item.customerId);
          if (!member?.enrolledAt) continue;
          const channels = channelsOf(member.preferences);
          const data = { ...item.data, program: program.name };
          if (channels.inbox) inbox.push({ programId, customerId: member.id, kind: item.kind, eventId: item.event.id, data, createdAt: at });
          if (channels.email) {
            const rendered = await renderEmail({ kind: item.kind, data, locale: member.locale, name: member.name, program: program.name, baseUrl: env.HEARTH_PUBLIC_URL });
            mail.push({
              programId, customerId: member.id, eventId: item.event.id, kind: item.kind, toEmail: member.email, locale: member.locale, ...rendered,
              status: env.SMTP_URL ? "PENDING" : "OUTBOX",
            });
          }
        }
        if (inbox.length) notifications += (await tx.notification.createMany({ data: inbox, skipDuplicates: true })).count;
        if (mail.length) emails += (await tx.emailMessage.createMany({ data: mail, skipDuplicates: true })).count;
        const last = events[events.length - 1];
        await tx.$executeRaw`UPDATE "NotificationCursor" SET "lastTxid" = ${last.txid}::xid8, "lastEventId" = ${last.id} WHERE "programId" = ${programId}`;
        return events.length < BATCH;
      },
      { maxWait: 30_000, timeout: 120_000 },
    );
    if (done) break;
  }
  return { notifications, emails };
}
