import "server-only";
import { prisma } from "@/lib/db/prisma";
import { refreshProgramImpact } from "@/lib/services/analytics-impact";
import { foldAnalytics } from "@/lib/services/analytics-rollups";
import { awardActionInTx } from "@/lib/services/award-action";
import { expireDuePoints } from "@/lib/services/expire-points";
import { runQueuedImports } from "@/lib/services/import-jobs";
import { TX_OPTIONS } from "@/lib/services/ledger-core";
import { getProgramById } from "@/lib/services/program";
import { evaluateChallenges } from "@/lib/services/challenges";
import { refreshOfferCounts } from "@/lib/services/offers";
import { notifyFromEvents } from "@/lib/services/notify";
import { sendPendingEmails } from "@/lib/services/send-emails";
import { reviewTiers } from "@/lib/services/tiers";
import { emitWebhookEvent } from "@/lib/services/webhook-events";
import { deliverDueWebhooks, fanOutWebhookEvents } from "@/lib/services/webhooks";

// Background jobs. Every task is safe to run twice (or concurrently on two replicas): ledger
// postings are keyed, events are deduplicated, deliveries are claimed with SKIP LOCKED.

export type JobName = "count-audiences" | "expire-points" | "birthday-awards" | "expiring-soon" | "points-available" | "deliver-webhooks" | "review-tiers" | "notify" | "check-challenges" | "fold-analytics" | "analytics-impact" | "purge-idempotency" | "import";

async function programIds(): Promise<number[]> {
  return (await prisma.program.findMany({ select: { id: true } })).map((program) => program.id);
}

/** Posts EXPIRE transactions for lots past their expiry (one per member, exactly once). */
export async function runExpirePoints(at = new Date()) {
  let members = 0;
  let points = 0;
  for (const programId of await programIds()) {
    const result = await expireDuePoints({ programId, at });
    members += result.members;
    points += result.points;
  }
  return { members, points };
}

/** Pays the birthday rule to enrolled members in their birthday month, once per year. */
export async function runBirthdayAwards(at = new Date()) {
  let awarded = 0;
  for (const programId of await programIds()) {
    const program = await getProgramById(programId);
    const year = at.getUTCFullYear();
    const due = await prisma.$queryRaw<{ id: number; gift: number }[]>`
      SELECT c."id", COALESCE((SELECT t."birthdayGiftPoints" FROM "Tier" t WHERE t."id" = c."tierId"), 0)::int AS "gift" FROM "Customer" c
      WHERE c."programId" = ${programId} AND c."enrolledAt" IS NOT NULL AND c."deactivatedAt" IS NULL AND c."birthday" IS NOT NULL
        AND EXTRACT(MONTH FROM c."birthday") = ${at.getUTCMonth() + 1}
        AND NOT EXISTS (SELECT 1 FROM "LedgerTransaction" t WHERE t."programId" = ${programId} AND t."source" = 'birthday' AND t."idempotencyKey" = 'birthday:' || c."id" || ':' || ${String(year)})`;
    for (const { id, gift } of due) {
      // the member's tier may add a birthday gift on top of the rule's points
      const result = await prisma.$transaction(
        (tx) => awardActionInTx(tx, { program, kind: "BIRTHDAY", customerId: id, key: `birthday:${id}:${year}`, source: "birthday", at, reason: "birthday", extraPoints: gift }),
        TX_OPTIONS,
      );
      if (result.status === "awarded") awarded += 1;
    }
  }
  return { awarded };
}

/**
 * Emits one `points.expiring` per member and day at most, summing every point that expires
 * within the program's reminder window (from the first expiry day to the last). A member is
 * reminded again only when points with a later expiry day enter the window, so lots expiring
 * on five days make one reminder, not five, and the same points are not announced every day.
 */
export async function runExpiringSoon(at = new Date()) {
  let emitted = 0;
  const today = at.toISOString().slice(0, 10);
  for (const programId of await programIds()) {
    const program = await getProgramById(programId);
    const until = new Date(at.getTime() + program.expiringSoonDays * 86_400_000);
    const rows = await prisma.$queryRaw<{ customerId: number; externalId: string; first: string; last: string; points: number }[]>`
      WITH due AS (
        SELECT a."customerId", c."externalId", MIN(l."expiresAt")::date::text AS "first", MAX(l."expiresAt")::date::text AS "last", SUM(l."remaining")::int AS "points"
        FROM "PointLot" l JOIN "LedgerAccount" a ON a."id" = l."accountId" JOIN "Customer" c ON c."id" = a."customerId"
        WHERE a."programId" = ${programId} AND l."remaining" > 0 AND l."expiresAt" > ${at} AND l."expiresAt" <= ${until} AND l."availableAt" <= ${at}
        GROUP BY 1, 2
      ),
      announced AS (
        SELECT (e."payload"->>'customerId')::int AS "customerId", MAX(COALESCE(e."payload"->>'lastExpiresOn', e."payload"->>'expiresOn')) AS "through"
        FROM "WebhookEvent" e
        WHERE e."programId" = ${programId} AND e."type" = 'points.expiring' AND e."createdAt" > ${new Date(at.getTime() - 400 * 86_400_000)}
          AND (e."payload"->>'customerId')::int IN (SELECT "customerId" FROM due)
        GROUP BY 1
      )
      SELECT due.* FROM due LEFT JOIN announced ON announced."customerId" = due."customerId"
      WHERE announced."through" IS NULL OR due."last" > announced."through"`;
    for (let offset = 0; offset < rows.length; offset += 500) {
      const batch = rows.slice(offset, offset + 500);
      await prisma.$transaction(async (tx) => {
        for (const row of batch) {
          await emitWebhookEvent(tx, {
            programId,
            type: "points.expiring",
            dedupeKey: `points.expiring:${row.customerId}:${today}`,
            payload: { customerId: row.customerId, externalId: row.externalId, points: row.points, expiresOn: row.first, lastExpiresOn: row.last },
            at,
          });
        }
      }, TX_OPTIONS);
      emitted += batch.length;
    }
  }
  return { emitted };
}

/**
 * Pending points need no posting to become available (availability is the lot's availableAt),
 * so this job only announces it: one `points.earned`-style `points.available` notice per lot.
 */
export async function runPointsAvailable(at = new Date()) {
  const since = new Date(at.getTime() - 2 * 86_400_000);
  const rows = await prisma.$queryRaw<{ programId: number; lotId: number; customerId: number; points: number; availableAt: Date }[]>`
    SELECT a."programId", l."id" AS "lotId", a."customerId", l."remaining" AS "points", l."availableAt"
    FROM "PointLot" l JOIN "LedgerAccount" a ON a."id" = l."accountId"
    WHERE l."remaining" > 0 AND l."availableAt" > ${since} AND l."availableAt" <= ${at} AND l."availableAt" > l."createdAt"`;
  if (rows.length > 0) {
    await prisma.$transaction(async (tx) => {
      for (const row of rows) {
        await emitWebhookEvent(tx, {
          programId: row.programId,
          type: "points.available",
          dedupeKey: `points.available:${row.lotId}`,
          payload: { customerId: row.customerId, points: row.points, availableAt: row.availableAt.toISOString() },
          at,
        });
      }
    }, TX_OPTIONS);
  }
  return { lots: rows.length };
}

/** Folds queued order, redemption and tier changes into the analytics rollups (fresh within a minute). */
export async function runFoldAnalytics(now = new Date()) {
  let folded = 0;
  for (const programId of await programIds()) folded += (await foldAnalytics({ programId, now })).folded;
  return { folded };
}

/** Recomputes each program's impact estimate (daily: it reads a year and a half of facts). */
export async function runAnalyticsImpact(now = new Date()) {
  for (const programId of await programIds()) await refreshProgramImpact({ programId, now });
}

/**
 * Fans new events out and sends the deliveries that are due, again and again until both are
 * drained or the tick's time budget is spent (the next tick carries on; ticks never overlap in a
 * process, and replicas share the work through SKIP LOCKED).
 */
export async function runDeliverWebhooks({ budgetMs = 8_000 }: { budgetMs?: number } = {}) {
  const deadline = Date.now() + budgetMs;
  let fannedOut = 0;
  let sent = 0;
  let succeeded = 0;
  for (;;) {
    const events = await fanOutWebhookEvents({ deadline });
    const result = await deliverDueWebhooks({ deadline });
    fannedOut += events;
    sent += result.sent;
    succeeded += result.succeeded;
    if ((events === 0 && result.sent === 0) || Date.now() >= deadline) return { fannedOut, sent, succeeded };
  }
}

/** Re-evaluates every member's tier: windows move on, grace periods run out. */
export async function runReviewTiers(at = new Date()) {
  const total = { reviewed: 0, moved: 0, up: 0, down: 0, graceStarted: 0 };
  for (const programId of await programIds()) {
    const result = await reviewTiers({ programId, at });
    for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += result[key];
  }
  return total;
}

/** Inbox notifications and emails from new events, then sends what is due over SMTP. */
export async function runNotify(at = new Date()) {
  let notifications = 0;
  let emails = 0;
  for (const programId of await programIds()) {
    const result = await notifyFromEvents({ programId, at });
    notifications += result.notifications;
    emails += result.emails;
  }
  const delivery = await sendPendingEmails();
  return { notifications, emails, ...delivery };
}

/** Idempotency keys are kept 30 days (as Stripe does): older stored answers are deleted in batches. */
export const IDEMPOTENCY_DAYS = 30;

export async function runPurgeIdempotency(at = new Date()) {
  const before = new Date(at.getTime() - IDEMPOTENCY_DAYS * 86_400_000);
  let purged = 0;
  for (;;) {
    const deleted = await prisma.$executeRaw`
      DELETE FROM "ApiIdempotency" WHERE "id" IN (SELECT "id" FROM "ApiIdempotency" WHERE "createdAt" < ${before} LIMIT 5000)`;
    purged += deleted;
    if (deleted < 5000) return { purged };
  }
}

/** Completes challenges members have reached and pays their points (also done when a member opens the page). */
export async function runCheckChallenges(at = new Date()) {
  let completed = 0;
  let points = 0;
  for (const programId of await programIds()) {
    const result = await evaluateChallenges({ programId, at });
    completed += result.completed;
    points += result.points;
  }
  return { completed, points };
}

/** Counts how many members each running offer targets, for the offers list (one pass a program). */
export async function runCountAudiences(at = new Date()) {
  let counted = 0;
  for (const programId of await programIds()) counted += (await refreshOfferCounts(programId, { at })).counted;
  return { counted };
}

export const jobs: Record<JobName, { run: () => Promise<unknown>; cron: string; everySeconds: number }> = {
  "expire-points": { run: () => runExpirePoints(), cron: "5 * * * *", everySeconds: 3600 },
  "birthday-awards": { run: () => runBirthdayAwards(), cron: "15 3 * * *", everySeconds: 6 * 3600 },
  "expiring-soon": { run: () => runExpiringSoon(), cron: "30 3 * * *", everySeconds: 6 * 3600 },
  "points-available": { run: () => runPointsAvailable(), cron: "*/15 * * * *", everySeconds: 900 },
  // polled by every process every 2 s (a tick works up to 8 s while there is a backlog)
  "deliver-webhooks": { run: () => runDeliverWebhooks(), cron: "* * * * *", everySeconds: 2 },
  "review-tiers": { run: () => runReviewTiers(), cron: "45 2 * * *", everySeconds: 6 * 3600 },
  notify: { run: () => runNotify(), cron: "* * * * *", everySeconds: 20 },
  "check-challenges": { run: () => runCheckChallenges(), cron: "*/5 * * * *", everySeconds: 300 },
  "count-audiences": { run: () => runCountAudiences(), cron: "10,25,40,55 * * * *", everySeconds: 900 },
  // like webhook delivery, every process polls (an advisory lock lets one fold a program at a time)
  "fold-analytics": { run: () => runFoldAnalytics(), cron: "* * * * *", everySeconds: 10 },
  "analytics-impact": { run: () => runAnalyticsImpact(), cron: "20 4 * * *", everySeconds: 6 * 3600 },
  "purge-idempotency": { run: () => runPurgeIdempotency(), cron: "40 4 * * *", everySeconds: 6 * 3600 },
  // queued imports, one per program at a time; woken when one is queued, and every minute (which
  // also resumes an import whose process died, once its lease has run out)
  import: { run: () => runQueuedImports(), cron: "* * * * *", everySeconds: 5 },
};
