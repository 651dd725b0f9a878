import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import { prisma } from "@/lib/db/prisma";
import { env } from "@/lib/env";

const MAX_ATTEMPTS = 5;
/**
 * How long a sender's claim holds. It must outlast any single send, which the transport's
 * timeouts bound (connect 30 s + greeting 30 s + at most 60 s of silence per step), so a slow
 * send is never taken for a dead one and sent a second time.
 */
export const EMAIL_LEASE_MS = 10 * 60_000;
let transporter: Transporter | null = null;

function defaultTransport(): Transporter | null {
  if (!env.SMTP_URL) return null;
  transporter ??= nodemailer.createTransport({ url: env.SMTP_URL, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 });
  return transporter;
}

type Claimed = { id: number; toEmail: string; subject: string; text: string; html: string; attempts: number };

/**
 * Sends PENDING emails over SMTP, never inside a database transaction: a batch is claimed in
 * one statement (SKIP LOCKED, status SENDING, the attempt counted, a lease) that commits before
 * anything is sent; each email is then sent and marked. Two senders never claim the same row.
 * A sender that dies after its claim leaves a SENDING row that is claimed again once its lease
 * has run out. Only a crash after the SMTP server accepted an email and before it was marked
 * can send it twice; the Message-ID stays the same, so receiving servers can tell. A failure is
 * logged on the row and retried on the next run, up to 5 attempts.
 * Without SMTP configured nothing is PENDING: emails are written as OUTBOX for the console.
 */
export async function sendPendingEmails({ transport = defaultTransport(), limit = 50, now = () => new Date(), maxBatches = 20 }: { transport?: Transporter | null; limit?: number; now?: () => Date; maxBatches?: number } = {}) {
  if (!transport) return { sent: 0, failed: 0 };
  let sent = 0;
  let failed = 0;
  // each batch starts after the last one's ids: a failure waits for the next run, not the next batch
  let afterId = 0;
  for (let batch = 0; batch < maxBatches; batch += 1) {
    // oldest first (UPDATE … RETURNING gives no order)
    const claimed = (await claimEmails(limit, now(), afterId)).sort((a, b) => a.id - b.id);
    afterId = Math.max(afterId, ...claimed.map((row) => row.id));
    for (const row of claimed) {
      // the batch's lease started when it was claimed; each send renews it for this row (only if
      // this claim still holds it), so rows waiting behind slow sends are never taken over and
      // sent twice by another sender
      if (!(await renewLease(row, now()))) continue;
      try {
        await transport.sendMail({
          from: env.EMAIL_FROM, to: row.toEmail, subject: row.subject, text: row.text, html: row.html,
          messageId: `<email-${row.id}@${new URL(env.HEARTH_PUBLIC_URL).hostname}>`,
        });
        await markSent(row.id, now());
        sent += 1;
      } catch (error) {
        await markFailed(row, String(error instanceof Error ? error.message : error).slice(0, 500));
        failed += 1;
      }
    }
    if (claimed.length < limit) break;
  }
  return { sent, failed };
}

/** Claims due emails: PENDING ones, and SENDING ones whose sender's lease ran out. */
async function claimEmails(limit: number, at: Date, afterId: number): Promise<Claimed[]> {
  // a row whose lease ran out on its last allowed attempt is not sent again
  await prisma.$executeRaw`
    UPDATE "EmailMessage" SET "status" = 'FAILED', "leaseUntil" = NULL, "lastError" = COALESCE("lastError", 'no answer from the sender before its lease ran out')
    WHERE "status" = 'SENDING' AND "leaseUntil" < ${at} AND "attempts" >= ${MAX_ATTEMPTS}`;
  return prisma.$queryRaw<Claimed[]>`
    UPDATE "EmailMessage" SET "status" = 'SENDING', "attempts" = "attempts" + 1, "leaseUntil" = ${new Date(at.getTime() + EMAIL_LEASE_MS)}
    WHERE "id" IN (
      SELECT "id" FROM "EmailMessage"
      WHERE ("status" = 'PENDING' OR ("status" = 'SENDING' AND "leaseUntil" < ${at})) AND "attempts" < ${MAX_ATTEMPTS} AND "id" > ${afterId}
      ORDER BY "id" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING "id", "toEmail", "subject", "text", "html", "attempts"`;
}

/** Extends this claim's lease on one row just before sending it; false when the claim no longer holds it. */
async function renewLease(row: Claimed, at: Date): Promise<boolean> {
  const renewed = await prisma.$executeRaw`
    UPDATE "EmailMessage" SET "leaseUntil" = ${new Date(at.getTime() + EMAIL_LEASE_MS)}
    WHERE "id" = ${row.id} AND "status" = 'SENDING' AND "attempts" = ${row.attempts}`;
  return renewed === 1;
}

/** A success is recorded whoever holds the claim now: the email did go out. */
async function markSent(id: number, at: Date) {
  await prisma.$executeRaw`
    UPDATE "EmailMessage" SET "status" = 'SENT', "sentAt" = ${at}, "leaseUntil" = NULL, "lastError" = NULL
    WHERE "id" = ${id} AND "status" <> 'SENT'`;
}

/** A failure is recorded only by the claim it belongs to (not over a later claim's outcome). */
async function markFailed(row: Claimed, error: string) {
  await prisma.$executeRaw`
    UPDATE "EmailMessage" SET "status" = ${row.attempts >= MAX_ATTEMPTS ? "FAILED" : "PENDING"}, "leaseUntil" = NULL, "lastError" = ${error}
    WHERE "id" = ${row.id} AND "status" = 'SENDING' AND "attempts" = ${row.attempts}`;
}
