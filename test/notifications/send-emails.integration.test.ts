import nodemailer from "nodemailer";
import { afterAll, describe, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { EMAIL_LEASE_MS, sendPendingEmails } from "@/lib/services/send-emails";
import { createProgram, uniqueId } from "@/test/fixtures";

// Emails leave over SMTP outside any database transaction: a row is claimed (committed as
// SENDING with a lease), sent, then marked SENT. Two senders never send one row twice; a sender
// that died after its claim leaves a row that is sent again once the lease has run out.

afterAll(async () => {
  await prisma.$disconnect();
});

type Transport = ReturnType<typeof nodemailer.createTransport>;

/** A transport that counts what it sends (per address), optionally slowly, optionally looking at the row first. */
function countingTransport({ delayMs = 0, inspect }: { delayMs?: number; inspect?: (to: string) => Promise<void> } = {}) {
  const sent = new Map<string, number>();
  const transport = {
    sendMail: async (mail: { to: string; messageId?: string }) => {
      if (inspect) await inspect(mail.to);
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
      sent.set(mail.to, (sent.get(mail.to) ?? 0) + 1);
      return { messageId: mail.messageId ?? "x" };
    },
  } as unknown as Transport;
  return { transport, sent };
}

async function pendingEmails(count: number, prefix = uniqueId("mail")) {
  const setup = await createProgram();
  const data = Array.from({ length: count }, (_, index) => ({
    programId: setup.program.id, kind: "welcome", locale: "en", subject: "Hi", text: "Hello", html: "<p>Hello</p>", status: "PENDING", toEmail: `${prefix}-${index}@example.test`,
  }));
  await prisma.emailMessage.createMany({ data });
  return { programId: setup.program.id, addresses: data.map((row) => row.toEmail) };
}

describe("sending emails", () => {
  test("the claim is committed before the SMTP send starts (no transaction is held open while sending)", async () => {
    const { addresses } = await pendingEmails(3);
    const seen: string[] = [];
    const { transport, sent } = countingTransport({
      inspect: async (to) => {
        // read through the shared client, i.e. another connection: it sees only committed rows
        const row = await prisma.emailMessage.findFirst({ where: { toEmail: to }, select: { status: true } });
        seen.push(row?.status ?? "missing");
      },
    });
    await sendPendingEmails({ transport });
    expect(addresses.map((to) => sent.get(to))).toEqual([1, 1, 1]);
    expect(seen.slice(-3)).toEqual(["SENDING", "SENDING", "SENDING"]);
    const rows = await prisma.emailMessage.findMany({ where: { toEmail: { in: addresses } } });
    expect(rows.every((row) => row.status === "SENT" && row.attempts === 1 && row.sentAt !== null && row.leaseUntil === null)).toBe(true);
  });

  test("four senders at once, slow SMTP: every email is sent exactly once", async () => {
    const { addresses } = await pendingEmails(40);
    const { transport, sent } = countingTransport({ delayMs: 15 });
    await Promise.all([1, 2, 3, 4].map(() => sendPendingEmails({ transport, limit: 7 })));
    await sendPendingEmails({ transport });
    expect(addresses.map((to) => sent.get(to) ?? 0)).toEqual(addresses.map(() => 1));
    expect(await prisma.emailMessage.count({ where: { toEmail: { in: addresses }, status: "SENT" } })).toBe(40);
  });

  test("a batch whose first send outlasts the lease: the rows behind it, taken over by another sender, are sent once, not twice", async () => {
    const { addresses } = await pendingEmails(2);
    const [first, second] = addresses;
    const start = Date.now();
    let clock = start;
    const other = countingTransport();
    const slow = countingTransport({
      inspect: async (to) => {
        // the first send takes 60% of the lease; while the second is on its way, past the
        // batch's original lease, another sender runs
        if (to === first) clock = start + EMAIL_LEASE_MS * 0.6;
        if (to === second) {
          clock = start + EMAIL_LEASE_MS * 1.1;
          await sendPendingEmails({ transport: other.transport, now: () => new Date(clock) });
        }
      },
    });
    await sendPendingEmails({ transport: slow.transport, now: () => new Date(clock) });
    const total = (to: string) => (slow.sent.get(to) ?? 0) + (other.sent.get(to) ?? 0);
    expect(total(first)).toBe(1);
    expect(total(second)).toBe(1);
    expect(await prisma.emailMessage.count({ where: { toEmail: { in: addresses }, status: "SENT" } })).toBe(2);
  });

  test("a sender that died after its claim: the email goes out once the lease has run out, not before", async () => {
    const { addresses } = await pendingEmails(1);
    const [to] = addresses;
    const now = Date.now();
    // what a crashed sender leaves behind: claimed (attempt counted), lease still running
    await prisma.emailMessage.updateMany({ where: { toEmail: to }, data: { status: "SENDING", attempts: 1, leaseUntil: new Date(now + EMAIL_LEASE_MS) } });
    const { transport, sent } = countingTransport();
    await sendPendingEmails({ transport, now: () => new Date(now + 1000) });
    expect(sent.get(to)).toBeUndefined();
    await sendPendingEmails({ transport, now: () => new Date(now + EMAIL_LEASE_MS + 1000) });
    expect(sent.get(to)).toBe(1);
    expect(await prisma.emailMessage.findFirstOrThrow({ where: { toEmail: to } })).toMatchObject({ status: "SENT", attempts: 2, leaseUntil: null });
  });

  test.each([
    { first: "succeeds", second: "fails", final: { status: "SENT", attempts: 2 } },
    { first: "fails", second: "succeeds", final: { status: "SENT", attempts: 2, lastError: null } },
  ])("a send that outlives its lease: the first sender $first after a second sender claimed the row and $second; a success is never overwritten", async ({ first, second, final }) => {
    const { addresses } = await pendingEmails(1);
    const [to] = addresses;
    const now = Date.now();
    const ok = countingTransport().transport;
    const failing = { sendMail: async () => { throw new Error("421 try later"); } } as unknown as Transport;
    let secondRun: Promise<unknown> | null = null;
    const slow = countingTransport({
      inspect: async () => {
        // while this send hangs, the lease runs out and a second sender claims the row and finishes
        secondRun ??= sendPendingEmails({ transport: second === "fails" ? failing : ok, now: () => new Date(now + EMAIL_LEASE_MS + 1000) });
        await secondRun;
        if (first === "fails") throw new Error("451 timeout");
      },
    });
    await sendPendingEmails({ transport: slow.transport, now: () => new Date(now) });
    expect(await prisma.emailMessage.findFirstOrThrow({ where: { toEmail: to } })).toMatchObject(final);
    // nothing is left to send
    const after = countingTransport();
    await sendPendingEmails({ transport: after.transport, now: () => new Date(now + 3 * EMAIL_LEASE_MS) });
    expect(after.sent.get(to)).toBeUndefined();
  });
});
