import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import { prisma } from "@/lib/db/prisma";
import { env } from "@/lib/env";

const MAX_ATTEMPTS = 5;
let transporter: Transporter | null = null;

function defaultTransport(): Transporter | null {
  if (!env.SMTP_URL) return null;
  transporter ??= nodemailer.createTransport(env.SMTP_URL);
  return transporter;
}

/**
 * Sends PENDING emails over SMTP. Each batch claims its rows with SKIP LOCKED, so replicas never
 * send one twice; a failure is logged on the row and retried on the next run, up to 5 times.
 * Without SMTP configured nothing is PENDING: emails are written as OUTBOX for the console.
 */
export async function sendPendingEmails({ transport = defaultTransport(), limit = 50 }: { transport?: Transporter | null; limit?: number } = {}) {
  if (!transport) return { sent: 0, failed: 0 };
  let sent = 0;
  let failed = 0;
  await prisma.$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<{ id: number; toEmail: string; subject: string; text: string; html: string; attempts: number }[]>`
        SELECT "id", "toEmail", "subject", "text", "html", "attempts" FROM "EmailMessage"
        WHERE "status" = 'PENDING' ORDER BY "id" LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
      for (const row of rows) {
        try {
          await transport.sendMail({ from: env.EMAIL_FROM, to: row.toEmail, subject: row.subject, text: row.text, html: row.html });
          await tx.emailMessage.update({ where: { id: row.id }, data: { status: "SENT", sentAt: new Date(), attempts: { increment: 1 }, lastError: null } });
          sent += 1;
        } catch (error) {
          const attempts = row.attempts + 1;
          await tx.emailMessage.update({
            where: { id: row.id },
            data: { attempts, lastError: String(error instanceof Error ? error.message : error).slice(0, 500), status: attempts >= MAX_ATTEMPTS ? "FAILED" : "PENDING" },
          });
          failed += 1;
        }
      }
    },
    { maxWait: 30_000, timeout: 300_000 },
  );
  return { sent, failed };
}
