import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import pg from "pg";
import { prisma } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { cachesTrusted, stopConfigListener } from "@/lib/db/config-changes";
import { cachedApiKeyCount } from "@/lib/api/api-key";
import { enrollCustomer } from "@/lib/services/enroll-customer";
import { getCachedEarningConfig } from "@/lib/services/earning-config";
import { reservationBlock } from "@/lib/api/rate-limit";
import { POST as postOrder } from "@/app/api/v1/orders/route";
import { GET as getRewards } from "@/app/api/v1/rewards/route";
import { createCustomer, createProgram, uniqueId } from "@/test/fixtures";
import { createApiKey, jsonRequest } from "@/test/api-helpers";

// Another replica is played by a separate PostgreSQL session that changes the config: this
// process learns of it only through the database (the version it reads, or the announcement).
let otherReplica: pg.Client;

beforeAll(async () => {
  otherReplica = new pg.Client({ connectionString: env.DATABASE_URL });
  await otherReplica.connect();
});

afterEach(() => {
  delete process.env.HEARTH_CONFIG_CACHE;
});

afterAll(async () => {
  await otherReplica.end();
  await stopConfigListener();
  await prisma.$disconnect();
});

async function newMember(setup: Awaited<ReturnType<typeof createProgram>>) {
  const customer = await createCustomer(setup.program.id);
  await enrollCustomer({ program: setup.program, customerId: customer.id, at: new Date(Date.now() - 86_400_000) });
  return customer;
}

const order = (member: string) => ({
  externalId: uniqueId("ord"),
  member: { externalId: member },
  currency: "USD",
  total: 100,
  placedAt: new Date().toISOString(),
  lines: [{ sku: "MUG-1", quantity: 1, unitPrice: 100 }],
});

async function until(check: () => Promise<boolean>, ms: number) {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (await check()) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`not within ${ms} ms`);
}

describe("config changed elsewhere", () => {
  test("a rule, a tier and a program setting changed by another replica apply to the very next order, before any announcement", async () => {
    // no LISTEN session here: only the version read with the customer can tell this process
    await stopConfigListener();
    process.env.HEARTH_CONFIG_CACHE = "off";
    const setup = await createProgram();
    const { key } = await createApiKey(setup.program.id);
    const member = await newMember(setup);
    const first = await postOrder(jsonRequest("/api/v1/orders", { key, body: order(member.externalId), idempotencyKey: uniqueId("k") }));
    expect(first.status).toBe(201);
    expect((await first.json()).pointsEarned).toBe(100);
    const cached = await getCachedEarningConfig(setup.program.id);
    expect(cached.rule?.pointsPerUnitHundredths).toBe(100);

    // the other replica: 3 points per unit, a new lowest tier threshold, a 7-day return window
    await otherReplica.query(`UPDATE "EarnRule" SET "pointsPerUnitHundredths" = 300, "version" = "version" + 1 WHERE "id" = $1`, [setup.rule.id]);
    await otherReplica.query(`UPDATE "Tier" SET "minSpendCents" = 10000 WHERE "id" = $1`, [setup.tiers.silver.id]);
    await otherReplica.query(`UPDATE "Program" SET "pendingDays" = 7 WHERE "id" = $1`, [setup.program.id]);

    const second = await postOrder(jsonRequest("/api/v1/orders", { key, body: order(member.externalId), idempotencyKey: uniqueId("k") }));
    expect(second.status).toBe(201);
    const body = await second.json();
    expect(body.pointsEarned).toBe(300);
    expect(body.pointsPending).toBe(300);
    expect(body.tier).toBe("Silver");
    // the fresh copy replaced the cached one
    expect((await getCachedEarningConfig(setup.program.id)).rule?.pointsPerUnitHundredths).toBe(300);
  });

  test("every change to rules, tiers, keys and settings bumps the program's version; orders and unrelated columns don't", async () => {
    const setup = await createProgram();
    const version = async () => (await prisma.program.findUniqueOrThrow({ where: { id: setup.program.id }, select: { configVersion: true } })).configVersion;
    const start = await version();
    await prisma.earnRule.update({ where: { id: setup.rule.id }, data: { name: "renamed" } });
    expect(await version()).toBe(start + 1);
    await prisma.tier.update({ where: { id: setup.tiers.gold.id }, data: { minSpendCents: 200_000 } });
    expect(await version()).toBe(start + 2);
    await prisma.program.update({ where: { id: setup.program.id }, data: { timeZone: "Europe/Budapest" } });
    expect(await version()).toBe(start + 3);
    const created = await createApiKey(setup.program.id);
    expect(await version()).toBe(start + 4);
    await prisma.apiKey.update({ where: { id: created.id }, data: { rateLimitPerMinute: 10 } });
    expect(await version()).toBe(start + 5);
    await prisma.apiKey.update({ where: { id: created.id }, data: { name: "renamed" } });
    const member = await newMember(setup);
    const response = await postOrder(jsonRequest("/api/v1/orders", { key: created.key, body: order(member.externalId), idempotencyKey: uniqueId("k") }));
    expect(response.status).toBe(201);
    expect(await version()).toBe(start + 5);
  });
});

describe("API keys cached per process", () => {
  test("a key revoked by another replica is refused as soon as the change is announced", async () => {
    const setup = await createProgram();
    const { key, id } = await createApiKey(setup.program.id);
    await until(async () => cachesTrusted(), 5_000);
    // cached once a read completes with no change to the program announced meanwhile (the
    // key's own creation is announced too, maybe during the first read)
    await until(async () => (await getRewards(jsonRequest("/api/v1/rewards", { key, method: "GET" }))).status === 200 && cachedApiKeyCount() > 0, 2_000);
    await otherReplica.query(`UPDATE "ApiKey" SET "revokedAt" = now() WHERE "id" = $1`, [id]);
    const took = await until(async () => (await getRewards(jsonRequest("/api/v1/rewards", { key, method: "GET" }))).status === 401, 2_000);
    expect(took).toBeLessThan(2_000);
  });

  test("while this process can't hear changes, keys are read from the database on every request", async () => {
    await stopConfigListener();
    process.env.HEARTH_CONFIG_CACHE = "off";
    const setup = await createProgram();
    const { key, id } = await createApiKey(setup.program.id);
    expect((await getRewards(jsonRequest("/api/v1/rewards", { key, method: "GET" }))).status).toBe(200);
    await otherReplica.query(`UPDATE "ApiKey" SET "revokedAt" = now() WHERE "id" = $1`, [id]);
    expect((await getRewards(jsonRequest("/api/v1/rewards", { key, method: "GET" }))).status).toBe(401);
  });
});

describe("rate limit blocks", () => {
  test("counted in blocks of at most 1% of the limit, a key still gets exactly its limit, concurrently", async () => {
    const setup = await createProgram();
    const limit = 300;
    expect(reservationBlock(limit)).toBe(3);
    expect(reservationBlock(150)).toBe(1);
    const { key } = await createApiKey(setup.program.id, { rateLimitPerMinute: limit });
    const statuses: number[] = [];
    for (let batch = 0; batch < 31; batch += 1) {
      const answers = await Promise.all(Array.from({ length: 10 }, () => getRewards(jsonRequest("/api/v1/rewards", { key, method: "GET" }))));
      statuses.push(...answers.map((answer) => answer.status));
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(limit);
    expect(statuses.filter((status) => status === 429)).toHaveLength(10);
  });
});
