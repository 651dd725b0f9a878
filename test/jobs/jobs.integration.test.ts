import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { checkLedger } from "@/lib/db/check-ledger";
import { getMemberPoints } from "@/lib/db/member-points";
import { AppError } from "@/lib/domain/app-error";
import { addDays, addMonths } from "@/lib/domain/dates";
import { runBirthdayAwards, runDeliverWebhooks, runExpirePoints, runExpiringSoon, runPointsAvailable, runPurgeIdempotency } from "@/lib/jobs/tasks";
import { createApiKey } from "@/test/api-helpers";
import { enrollCustomer } from "@/lib/services/enroll-customer";
import { recordOrder } from "@/lib/services/record-order";
import { redeemReward } from "@/lib/services/redeem-reward";
import { saveActionRule } from "@/lib/services/save-earn-rule";
import { createWebhookEndpoint, resendDelivery, retryDelaySeconds } from "@/lib/services/webhooks";
import { createCustomer, createProgram, createReward, createStaffUser, uniqueId } from "@/test/fixtures";

// Background jobs on real PostgreSQL: each is safe to run twice or concurrently, and the
// expiry job can race redemptions without losing or doubling a point.

afterAll(async () => {
  await prisma.$disconnect();
});

const staffUser = () => createStaffUser("ADMIN");

async function memberWithOrders(setup: Awaited<ReturnType<typeof createProgram>>, orders: { at: Date; amount: number }[]) {
  const customer = await createCustomer(setup.program.id);
  await enrollCustomer({ program: setup.program, customerId: customer.id, at: orders[0]?.at });
  for (const order of orders) {
    await recordOrder({
      program: setup.program, externalId: uniqueId("o"), member: { externalId: customer.externalId }, currency: "USD",
      totalCents: order.amount * 100, placedAt: order.at, lines: [{ sku: "X", quantity: 1, unitPriceCents: order.amount * 100 }],
    });
  }
  return customer;
}

describe("expiry job", () => {
  test("expires due lots exactly once, even when run concurrently", async () => {
    const setup = await createProgram({ expiryMonths: 12 });
    const now = new Date();
    const member = await memberWithOrders(setup, [{ at: addMonths(now, -13), amount: 100 }, { at: addMonths(now, -14), amount: 50 }, { at: addMonths(now, -1), amount: 30 }]);
    await Promise.all([runExpirePoints(now), runExpirePoints(now), runExpirePoints(now)]);
    await runExpirePoints(now);
    const expired = await prisma.ledgerTransaction.findMany({ where: { customerId: member.id, kind: "EXPIRE" }, include: { entries: true } });
    expect(expired).toHaveLength(1);
    expect(await getMemberPoints(member.id)).toMatchObject({ available: 30, balance: 30 });
    expect(await checkLedger(prisma, [member.id])).toMatchObject({ unbalancedTransactions: 0, mismatchedAccounts: 0 });
  });

  test("racing 30 redemptions: every point is either redeemed, expired or still held, never both", async () => {
    const setup = await createProgram({ expiryMonths: 12 });
    const reward = await createReward(setup.program.id, { costPoints: 40 });
    const now = new Date();
    // 600 points: 300 in a lot that expires now, 300 in a fresh lot
    const member = await memberWithOrders(setup, [{ at: addMonths(now, -12), amount: 300 }, { at: addDays(now, -1), amount: 300 }]);
    const at = new Date(now.getTime() + 1000);
    const redemptions = Array.from({ length: 30 }, (_, index) =>
      redeemReward({ programId: setup.program.id, customerId: member.id, rewardId: reward.id, idempotencyKey: `r${index}`, source: "api", at }).then(
        () => "ok",
        (error) => (error instanceof AppError ? error.code : "crash"),
      ),
    );
    const [outcomes] = await Promise.all([Promise.all(redemptions), runExpirePoints(at), runExpirePoints(at)]);
    expect(outcomes.includes("crash")).toBe(false);
    const redeemed = outcomes.filter((outcome) => outcome === "ok").length * 40;
    const expired = await prisma.ledgerEntry.aggregate({ where: { transaction: { customerId: member.id, kind: "EXPIRE" }, account: { kind: "EXPIRED" } }, _sum: { amount: true } });
    const points = await getMemberPoints(member.id, at);
    expect(redeemed + (expired._sum.amount ?? 0) + points.balance).toBe(600);
    expect(redeemed).toBeGreaterThanOrEqual(280); // at least the fresh 300 (7 x 40) were spendable
    expect(await checkLedger(prisma, [member.id])).toMatchObject({ unbalancedTransactions: 0, mismatchedAccounts: 0, negativeLots: 0 });
  });
});

describe("birthday job", () => {
  test("pays members in their birthday month once a year, however often it runs", async () => {
    const setup = await createProgram();
    const actor = await staffUser();
    const now = new Date();
    await saveActionRule({ programId: setup.program.id, actorUserId: actor.id, input: { kind: "BIRTHDAY", points: 200, referrerPoints: 0, limit: 1, period: "year", isActive: true } });
    const thisMonth = await createCustomer(setup.program.id);
    const otherMonth = await createCustomer(setup.program.id);
    const notJoined = await createCustomer(setup.program.id);
    await prisma.customer.update({ where: { id: thisMonth.id }, data: { birthday: new Date(Date.UTC(1990, now.getUTCMonth(), 1)) } });
    await prisma.customer.update({ where: { id: otherMonth.id }, data: { birthday: new Date(Date.UTC(1990, (now.getUTCMonth() + 6) % 12, 1)) } });
    await prisma.customer.update({ where: { id: notJoined.id }, data: { birthday: new Date(Date.UTC(1990, now.getUTCMonth(), 1)) } });
    await enrollCustomer({ program: setup.program, customerId: thisMonth.id });
    await enrollCustomer({ program: setup.program, customerId: otherMonth.id });
    await Promise.all([runBirthdayAwards(now), runBirthdayAwards(now)]);
    await runBirthdayAwards(now);
    expect((await getMemberPoints(thisMonth.id)).balance).toBe(200);
    expect((await getMemberPoints(otherMonth.id)).balance).toBe(0);
    expect(await prisma.ledgerTransaction.count({ where: { customerId: notJoined.id } })).toBe(0);
    const row = await prisma.ledgerTransaction.findFirstOrThrow({ where: { customerId: thisMonth.id, reason: "birthday" } });
    expect(row.ruleVersion).toBe(1);
  });
});

describe("expiring-soon and available events", () => {
  test("one points.expiring event per member, however often the job runs", async () => {
    const setup = await createProgram({ expiryMonths: 12 });
    const now = new Date();
    const member = await memberWithOrders(setup, [{ at: addDays(addMonths(now, -12), 10), amount: 70 }, { at: addDays(addMonths(now, -12), 10), amount: 30 }]);
    await runExpiringSoon(now);
    await runExpiringSoon(now);
    const events = await prisma.webhookEvent.findMany({ where: { programId: setup.program.id, type: "points.expiring" } });
    expect(events).toHaveLength(1);
    expect(events[0].payload).toMatchObject({ customerId: member.id, points: 100, externalId: member.externalId });
  });

  test("lots expiring on five days make one reminder that sums them; no repeat the next day; a later expiry entering the window makes one more", async () => {
    const setup = await createProgram({ expiryMonths: 12, pendingDays: 0 });
    const now = new Date();
    const base = addMonths(now, -12);
    // lots expiring 3, 5, 7, 9 and 11 days from now (all inside the 30-day window), and one in 35 days
    const member = await memberWithOrders(setup, [3, 5, 7, 9, 11, 35].map((day, index) => ({ at: addDays(base, day), amount: 10 * (index + 1) })));
    const expiring = async (from: Date, to: Date) => (await prisma.pointLot.aggregate({
      where: { account: { customerId: member.id }, remaining: { gt: 0 }, expiresAt: { gt: from, lte: to } }, _sum: { remaining: true },
    }))._sum.remaining;
    // 150 from the orders, plus the welcome bonus (earned with the first order) when there is one
    expect(await expiring(now, addDays(now, 30))).toBeGreaterThanOrEqual(150);
    await runExpiringSoon(now);
    const first = await prisma.webhookEvent.findMany({ where: { programId: setup.program.id, type: "points.expiring" } });
    expect(first).toHaveLength(1);
    expect(first[0].payload).toMatchObject({ customerId: member.id, points: await expiring(now, addDays(now, 30)), expiresOn: addDays(now, 3).toISOString().slice(0, 10), lastExpiresOn: addDays(now, 11).toISOString().slice(0, 10) });
    // the next day the same lots are still inside the window: nothing new to say
    await runExpiringSoon(addDays(now, 1));
    expect(await prisma.webhookEvent.count({ where: { programId: setup.program.id, type: "points.expiring" } })).toBe(1);
    // six days later the lot expiring in 35 days enters the window: one more reminder, for all of it
    await runExpiringSoon(addDays(now, 6));
    await runExpiringSoon(addDays(now, 6));
    const events = await prisma.webhookEvent.findMany({ where: { programId: setup.program.id, type: "points.expiring" }, orderBy: { id: "asc" } });
    expect(events).toHaveLength(2);
    expect(events[1].payload).toMatchObject({ points: await expiring(addDays(now, 6), addDays(now, 36)), expiresOn: addDays(now, 7).toISOString().slice(0, 10), lastExpiresOn: addDays(now, 35).toISOString().slice(0, 10) });
  });

  test("points.available is announced once per lot when its pending window ends", async () => {
    const setup = await createProgram({ pendingDays: 14 });
    const now = new Date();
    await memberWithOrders(setup, [{ at: addDays(now, -15), amount: 20 }]);
    await runPointsAvailable(now);
    await runPointsAvailable(now);
    expect(await prisma.webhookEvent.count({ where: { programId: setup.program.id, type: "points.available" } })).toBe(1);
  });
});

describe("idempotency keys", () => {
  test("stored answers older than 30 days are purged; newer ones stay", async () => {
    const setup = await createProgram();
    const { id: apiKeyId } = await createApiKey(setup.program.id);
    const now = new Date();
    await prisma.apiIdempotency.createMany({
      data: [
        { apiKeyId, key: uniqueId("old"), requestHash: "x", statusCode: 201, responseBody: "{}", createdAt: addDays(now, -31) },
        { apiKeyId, key: uniqueId("edge"), requestHash: "x", statusCode: 201, responseBody: "{}", createdAt: addDays(now, -29) },
        { apiKeyId, key: uniqueId("new"), requestHash: "x", statusCode: 201, responseBody: "{}", createdAt: now },
      ],
    });
    const result = await runPurgeIdempotency(now);
    expect(result.purged).toBeGreaterThanOrEqual(1);
    const left = await prisma.apiIdempotency.findMany({ where: { apiKeyId }, select: { key: true } });
    expect(left.map((row) => row.key.split("-")[0]).sort()).toEqual(["edge", "new"]);
  });
});

describe("webhooks (Standard Webhooks)", () => {
  let server: Server;
  let url: string;
  const received: { headers: IncomingMessage["headers"]; body: string }[] = [];
  let failNext = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        received.push({ headers: request.headers, body });
        if (failNext > 0) {
          failNext -= 1;
          response.writeHead(503).end("busy");
        } else {
          response.writeHead(204).end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  test("signed deliveries, retried with backoff after a failure, logged, and re-sendable", async () => {
    const setup = await createProgram({ welcomeBonus: 10 });
    const actor = await staffUser();
    const all = await createWebhookEndpoint({ programId: setup.program.id, actorUserId: actor.id, url, description: "all", eventTypes: [] });
    await createWebhookEndpoint({ programId: setup.program.id, actorUserId: actor.id, url, description: "expiry only", eventTypes: ["points.expired"] });
    received.length = 0;
    failNext = 1;
    const customer = await createCustomer(setup.program.id);
    await enrollCustomer({ program: setup.program, customerId: customer.id });
    // member.enrolled, points.earned for the welcome bonus and tier.changed (placed in the entry tier) -> only the "all" endpoint
    await runDeliverWebhooks();
    const deliveries = await prisma.webhookDelivery.findMany({ where: { endpoint: { programId: setup.program.id } }, include: { event: true, attemptLog: true }, orderBy: { id: "asc" } });
    expect(deliveries.map((delivery) => delivery.event.type).sort()).toEqual(["member.enrolled", "points.earned", "tier.changed"]);
    expect(deliveries.every((delivery) => delivery.endpointId === all.id)).toBe(true);
    const failed = deliveries.find((delivery) => delivery.status === "PENDING");
    expect(failed).toBeDefined();
    expect(failed!.lastStatusCode).toBe(503);
    expect(failed!.attemptLog).toHaveLength(1);
    expect(failed!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + (retryDelaySeconds(1) - 5) * 1000);

    // every request carries a valid Standard Webhooks signature for the endpoint's secret
    const verifier = new Webhook(all.secret);
    for (const request of received) {
      const payload = verifier.verify(request.body, request.headers as Record<string, string>) as { type: string; data: { customerId: number } };
      expect(payload.data.customerId).toBe(customer.id);
    }
    expect(() => new Webhook(all.secret).verify(received[0].body.replace("customerId", "customerID"), received[0].headers as Record<string, string>)).toThrow();

    // the retry is due: it succeeds and is logged as a second attempt
    await prisma.webhookDelivery.update({ where: { id: failed!.id }, data: { nextAttemptAt: new Date(Date.now() - 1000) } });
    await runDeliverWebhooks();
    const retried = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: failed!.id }, include: { attemptLog: { orderBy: { id: "asc" } } } });
    expect(retried).toMatchObject({ status: "SUCCEEDED", attempts: 2, lastStatusCode: 204 });
    expect(retried.attemptLog.map((attempt) => attempt.statusCode)).toEqual([503, 204]);

    // manual re-send from the console delivers the same message id again
    const before = received.length;
    await resendDelivery({ programId: setup.program.id, actorUserId: actor.id, deliveryId: failed!.id });
    await runDeliverWebhooks();
    expect(received.length).toBe(before + 1);
    expect(received.at(-1)!.headers["webhook-id"]).toBe(`msg_${failed!.eventId}`);
    // another program's admin can't re-send it
    const other = await createProgram();
    await expect(resendDelivery({ programId: other.program.id, actorUserId: actor.id, deliveryId: failed!.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  test("an unreachable endpoint gives up after the last attempt and says why", async () => {
    const setup = await createProgram({ welcomeBonus: 10 });
    const actor = await staffUser();
    await createWebhookEndpoint({ programId: setup.program.id, actorUserId: actor.id, url: "http://127.0.0.1:9/nothing-listens", description: "", eventTypes: ["member.enrolled"] });
    const customer = await createCustomer(setup.program.id);
    await enrollCustomer({ program: setup.program, customerId: customer.id });
    await runDeliverWebhooks();
    const delivery = await prisma.webhookDelivery.findFirstOrThrow({ where: { endpoint: { programId: setup.program.id } } });
    await prisma.webhookDelivery.update({ where: { id: delivery.id }, data: { attempts: 7, nextAttemptAt: new Date(Date.now() - 1000) } });
    await runDeliverWebhooks();
    const final = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect(final.status).toBe("FAILED");
    expect(final.lastStatusCode).toBeNull();
    expect(final.lastError).toBe("connection failed"); // a category only: no detail that would help scan ports
  });
});
