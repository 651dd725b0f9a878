import nodemailer from "nodemailer";
import { afterAll, describe, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { addDays } from "@/lib/domain/dates";
import { runExpiringSoon } from "@/lib/jobs/tasks";
import { enrollCustomer } from "@/lib/services/enroll-customer";
import { notifyFromEvents } from "@/lib/services/notify";
import { renderNotification } from "@/lib/services/render-notification";
import { recordOrder } from "@/lib/services/record-order";
import { redeemReward } from "@/lib/services/redeem-reward";
import { sendPendingEmails } from "@/lib/services/send-emails";
import { createCustomer, createProgram, createReward, uniqueId } from "@/test/fixtures";

// Notifications on real PostgreSQL: made from the event outbox once per event and member,
// in the member's language, on the channels the member chose; emails kept in the outbox without
// SMTP, sent (and retried) with it.

afterAll(async () => {
  await prisma.$disconnect();
});

type Setup = Awaited<ReturnType<typeof createProgram>>;

async function member(setup: Setup, { locale = "en", channels, joinedAt }: { locale?: string; channels?: string[]; joinedAt?: Date } = {}) {
  const customer = await createCustomer(setup.program.id);
  await prisma.customer.update({ where: { id: customer.id }, data: { locale, name: "Nora", ...(channels ? { preferences: { categories: [], channels } } : {}) } });
  await enrollCustomer({ program: setup.program, customerId: customer.id, at: joinedAt });
  return customer;
}

const order = (setup: Setup, customer: { externalId: string }, dollars: number, placedAt = new Date()) =>
  recordOrder({
    program: setup.program, externalId: uniqueId("o"), member: { externalId: customer.externalId }, currency: "USD",
    totalCents: dollars * 100, placedAt, lines: [{ sku: "X", quantity: 1, unitPriceCents: dollars * 100 }],
  });

describe("the notify job", () => {
  test("welcome, points earned, tier up and a redeemed reward reach the inbox and the outbox once, however often it runs", async () => {
    const setup = await createProgram({ welcomeBonus: 50 });
    const customer = await member(setup);
    await order(setup, customer, 600); // Bronze -> Silver
    const reward = await createReward(setup.program.id, { costPoints: 100 });
    await redeemReward({ programId: setup.program.id, customerId: customer.id, rewardId: reward.id, idempotencyKey: "n1", source: "portal" });

    await Promise.all([notifyFromEvents({ programId: setup.program.id }), notifyFromEvents({ programId: setup.program.id })]);
    await notifyFromEvents({ programId: setup.program.id });
    const notes = await prisma.notification.findMany({ where: { customerId: customer.id }, orderBy: { id: "asc" } });
    // the welcome bonus is part of the welcome; the order moved the member up before its points were written
    expect(notes.map((n) => n.kind)).toEqual(["welcome", "tier_up", "points_earned", "reward_redeemed"]);
    expect(notes[1].data).toMatchObject({ tier: "Silver" });
    const emails = await prisma.emailMessage.findMany({ where: { customerId: customer.id }, orderBy: { id: "asc" } });
    expect(emails).toHaveLength(4);
    expect(emails.every((email) => email.status === "OUTBOX")).toBe(true); // no SMTP configured in tests
    expect(emails[0].subject).toBe("Welcome to Test program");
    expect(emails[0].text).toContain("You have 50 points to start with");
    expect(emails[1].subject).toBe("You're now Silver");
    expect(emails[2].subject).toBe("You earned 600 points");
    expect(emails[3].text).toMatch(/Your code is HRTH-/);
    expect(emails[3].html).toContain("<html lang=\"en\">");
  });

  test("in the member's language, on the channels they chose", async () => {
    const setup = await createProgram({ welcomeBonus: 10 });
    const korean = await member(setup, { locale: "ko" });
    const inboxOnly = await member(setup, { channels: ["inbox"] });
    const emailOnly = await member(setup, { channels: ["email"] });
    const neither = await member(setup, { channels: [] });
    await notifyFromEvents({ programId: setup.program.id });
    const email = await prisma.emailMessage.findFirstOrThrow({ where: { customerId: korean.id } });
    expect(email).toMatchObject({ locale: "ko", subject: "Test program에 오신 것을 환영합니다" });
    expect(email.text).toContain("Nora님, 안녕하세요.");
    expect(await prisma.emailMessage.count({ where: { customerId: inboxOnly.id } })).toBe(0);
    expect(await prisma.notification.count({ where: { customerId: inboxOnly.id } })).toBe(1);
    expect(await prisma.notification.count({ where: { customerId: emailOnly.id } })).toBe(0);
    expect(await prisma.emailMessage.count({ where: { customerId: emailOnly.id } })).toBe(1);
    expect(await prisma.notification.count({ where: { customerId: neither.id } })).toBe(0);
    expect(await prisma.emailMessage.count({ where: { customerId: neither.id } })).toBe(0);
  });

  test("expiring soon: the reminder job's event becomes a notice with the date; history (old events) is not notified", async () => {
    const setup = await createProgram();
    await prisma.program.update({ where: { id: setup.program.id }, data: { expiryMonths: 1, expiringSoonDays: 10 } });
    const program = { ...setup, program: { ...setup.program, expiryMonths: 1, expiringSoonDays: 10 } };
    // joined 50 days ago (before both orders), so the welcome is history and not announced
    const customer = await member(program, { joinedAt: addDays(new Date(), -50) });
    await order(program, customer, 40, addDays(new Date(), -40)); // old: no "earned" message; expires within 10 days? no: 1 month after
    const recent = addDays(new Date(), -25); // expires ~5 days from now
    await order(program, customer, 30, recent);
    await runExpiringSoon(new Date());
    await notifyFromEvents({ programId: setup.program.id });
    const notes = await prisma.notification.findMany({ where: { customerId: customer.id }, orderBy: { id: "asc" } });
    expect(notes.map((n) => n.kind)).toEqual(["expiring_soon"]);
    expect(notes[0].data).toMatchObject({ points: 30 });
    const email = await prisma.emailMessage.findFirstOrThrow({ where: { customerId: customer.id, kind: "expiring_soon" } });
    expect(email.subject).toMatch(/^30 points expire on /);
  });
});

describe("one reminder for several expiry days", () => {
  test.each([
    ["en", "150 points expire by Dec 12, 2026", "The first ones expire on Dec 4, 2026"],
    ["ru", "150 баллов сгорят до", "Первые сгорят"],
    ["pt-BR", "150 pontos expiram até", "Os primeiros expiram em"],
  ])("%s: the title names the total and the last day, the text the first", async (locale, title, body) => {
    const rendered = await renderNotification({ kind: "expiring_soon", data: { points: 150, date: "2026-12-04", until: "2026-12-12" }, locale });
    expect(rendered.title).toContain(title);
    expect(rendered.body).toContain(body);
  });

  test("a single expiry day keeps the one-day wording", async () => {
    const rendered = await renderNotification({ kind: "expiring_soon", data: { points: 30, date: "2026-12-04", until: "2026-12-04" }, locale: "en" });
    expect(rendered.title).toBe("30 points expire on Dec 4, 2026");
  });
});

describe("sending", () => {
  test("PENDING emails are sent over SMTP once; failures are retried and give up after 5 attempts", async () => {
    const setup = await createProgram();
    const base = { programId: setup.program.id, kind: "welcome", locale: "en", subject: "Hi", text: "Hello", html: "<p>Hello</p>", status: "PENDING" };
    const ok = await prisma.emailMessage.create({ data: { ...base, toEmail: `${uniqueId("ok")}@example.test` } });
    const sentMail: string[] = [];
    const transport = nodemailer.createTransport({ jsonTransport: true });
    const spy = { ...transport, sendMail: async (mail: { to: string }) => { sentMail.push(mail.to); return transport.sendMail(mail); } } as unknown as typeof transport;
    await Promise.all([sendPendingEmails({ transport: spy }), sendPendingEmails({ transport: spy })]);
    expect(sentMail.filter((to) => to === ok.toEmail)).toHaveLength(1);
    expect(await prisma.emailMessage.findUniqueOrThrow({ where: { id: ok.id } })).toMatchObject({ status: "SENT", attempts: 1 });

    const bad = await prisma.emailMessage.create({ data: { ...base, toEmail: `${uniqueId("bad")}@example.test` } });
    const failing = { sendMail: async () => { throw new Error("550 mailbox unavailable"); } } as unknown as typeof transport;
    for (let i = 0; i < 5; i++) await sendPendingEmails({ transport: failing });
    expect(await prisma.emailMessage.findUniqueOrThrow({ where: { id: bad.id } })).toMatchObject({ status: "FAILED", attempts: 5, lastError: "550 mailbox unavailable" });
    await sendPendingEmails({ transport: failing });
    expect((await prisma.emailMessage.findUniqueOrThrow({ where: { id: bad.id } })).attempts).toBe(5);
  });
});
