import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { runDeliverWebhooks } from "@/lib/jobs/tasks";
import { enrollCustomer } from "@/lib/services/enroll-customer";
import { createWebhookEndpoint } from "@/lib/services/webhooks";
import { createCustomer, createProgram, createStaffUser } from "@/test/fixtures";

// Webhooks keep up: a burst of events fans out in a few set-based statements and is delivered
// with bounded concurrency within a tick or two, and a history of events written before any
// endpoint existed (the demo load) is no backlog in front of the first real event.

afterAll(async () => {
  await prisma.$disconnect();
});

let server: Server;
let url: string;
let received = 0;
let inFlight = 0;
let maxInFlight = 0;
const messageIds = new Map<string, number>();

beforeAll(async () => {
  server = createServer((request, response) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    request.resume();
    request.on("end", () => {
      received += 1;
      const id = String(request.headers["webhook-id"]);
      messageIds.set(id, (messageIds.get(id) ?? 0) + 1);
      // a little latency, like a real receiver
      setTimeout(() => {
        inFlight -= 1;
        response.writeHead(204).end();
      }, 2);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** What the outbox holds after `count` member changes: one statement, like a burst of API traffic. */
async function queueEvents(programId: number, count: number, prefix: string) {
  await prisma.$executeRaw`
    INSERT INTO "WebhookEvent" ("programId", "type", "dedupeKey", "payload")
    SELECT ${programId}, 'points.earned', ${prefix} || '-' || n, jsonb_build_object('customerId', n, 'points', 10, 'occurredAt', now())
    FROM generate_series(1, ${count}) AS n`;
}

describe("webhook throughput", () => {
  test("5,000 queued events fan out and are delivered within two ticks, each message once, with bounded concurrency", async () => {
    // earlier tests' due deliveries (other programs) are not part of the measurement
    await runDeliverWebhooks();
    const setup = await createProgram();
    const actor = await createStaffUser("ADMIN");
    const endpoint = await createWebhookEndpoint({ programId: setup.program.id, actorUserId: actor.id, url, description: "load", eventTypes: [] });
    await queueEvents(setup.program.id, 5000, "burst");
    received = 0;
    maxInFlight = 0;
    messageIds.clear();

    const started = performance.now();
    let ticks = 0;
    let delivered = 0;
    while (ticks < 2) {
      ticks += 1;
      await runDeliverWebhooks();
      delivered = await prisma.webhookDelivery.count({ where: { endpointId: endpoint.id, status: "SUCCEEDED" } });
      if (delivered === 5000) break;
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`[webhooks] 5000 events: fanned out and delivered in ${ticks} tick(s), ${seconds.toFixed(2)} s (${Math.round(5000 / seconds)}/s), at most ${maxInFlight} requests in flight`);
    expect(delivered).toBe(5000);
    expect(await prisma.webhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(5000);
    expect(await prisma.webhookAttempt.count({ where: { delivery: { endpointId: endpoint.id } } })).toBe(5000);
    expect([...messageIds.values()].every((count) => count === 1)).toBe(true);
    expect(messageIds.size).toBe(5000);
    expect(maxInFlight).toBeLessThanOrEqual(64);
    expect(seconds).toBeLessThan(30);
  });

  test("after a demo-sized history written before any endpoint existed, the first real event is delivered on the next tick", async () => {
    await runDeliverWebhooks();
    const setup = await createProgram({ welcomeBonus: 5 });
    // the demo load: tens of thousands of events, no endpoint yet
    await queueEvents(setup.program.id, 30_000, "demo");
    const actor = await createStaffUser("ADMIN");
    const endpoint = await createWebhookEndpoint({ programId: setup.program.id, actorUserId: actor.id, url, description: "first", eventTypes: ["member.enrolled"] });
    const customer = await createCustomer(setup.program.id);
    await enrollCustomer({ program: setup.program, customerId: customer.id });
    await runDeliverWebhooks();
    const deliveries = await prisma.webhookDelivery.findMany({ where: { endpointId: endpoint.id }, include: { event: { select: { type: true, payload: true } } } });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ status: "SUCCEEDED", event: { type: "member.enrolled", payload: { customerId: customer.id } } });
  });
});
