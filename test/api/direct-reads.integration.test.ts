import { afterAll, expect, test, vi } from "vitest";
import { getApiMember } from "@/lib/db/api-member-reads";
import { getMemberBalance } from "@/lib/db/member-points";
import { createPrismaClient, prisma, sharedPool } from "@/lib/db/prisma";
import { fastOrders, recordOrder } from "@/lib/services/record-order";
import { ensureSystemAccounts } from "@/lib/services/ledger-core";
import { POST as postOrder } from "@/app/api/v1/orders/route";
import { createApiKey, jsonRequest } from "@/test/api-helpers";
import { POST as postRedemption } from "@/app/api/v1/members/[externalId]/redemptions/route";
import { fastRedemptions } from "@/lib/services/redeem-reward";
import { createMember, createProgram, createReward, uniqueId } from "@/test/fixtures";

// GET /members/{id} and its balance run their statement on the shared pool directly
// (lib/db/direct.ts); any other client runs the same statement through Prisma. Both must give
// the same answer to the value and the millisecond, whatever the process's time zone (the direct
// path reads `timestamp` and `date` columns as UTC, as Prisma does).

const viaPrisma = createPrismaClient(process.env.DATABASE_URL, { poolMax: 2 });
const zone = process.env.TZ;

afterAll(async () => {
  process.env.TZ = zone;
  await viaPrisma.$disconnect();
  await prisma.$disconnect();
});

test("the direct reads answer exactly as the same statements through Prisma, in any time zone", async () => {
  const { program } = await createProgram({ pendingDays: 14 });
  const member = await createMember(program, new Date("2025-03-01T23:30:00.123Z"));
  await prisma.customer.update({ where: { id: member.id }, data: { birthday: new Date("1990-03-15T00:00:00Z") } });
  const now = new Date();
  for (const [days, dollars] of [[-40, 120], [-3, 80], [-1, 45]] as const) {
    await recordOrder({
      program, externalId: uniqueId("o"), member: { externalId: member.externalId }, currency: "USD", totalCents: dollars * 100,
      placedAt: new Date(now.getTime() + days * 86_400_000), lines: [{ sku: "X", quantity: 1, unitPriceCents: dollars * 100 }],
    });
  }
  const direct = vi.spyOn(sharedPool()!, "query");
  for (const timeZone of ["UTC", "Asia/Tokyo", "America/Los_Angeles"]) {
    process.env.TZ = timeZone;
    const at = new Date();
    const read = await getApiMember(program.id, member.externalId, prisma, at);
    expect(read).toEqual(await getApiMember(program.id, member.externalId, viaPrisma, at));
    expect(read.birthday).toBe("1990-03-15");
    expect(read.enrolledAt).toEqual(new Date("2025-03-01T23:30:00.123Z"));
    expect(read.points.available + read.points.pending).toBeGreaterThan(0);
    const balance = await getMemberBalance(program.id, member.externalId, at);
    expect(balance).toEqual(await getMemberBalance(program.id, member.externalId, at, 12, viaPrisma));
    expect(balance!.becomingAvailable.length).toBeGreaterThan(0);
  }
  // the shared client's reads went to the pool directly (two a time zone)
  expect(direct).toHaveBeenCalledTimes(6);
  direct.mockRestore();
  await expect(getApiMember(program.id, "nobody-here")).rejects.toMatchObject({ code: "MEMBER_NOT_FOUND" });
  expect(await getMemberBalance(program.id, "nobody-here")).toBeNull();
});

test("the common order written on the pool directly keeps its times in UTC, in any time zone", async () => {
  const setup = await createProgram({ pendingDays: 14 });
  const { key } = await createApiKey(setup.program.id);
  await prisma.$transaction((tx) => ensureSystemAccounts(tx, setup.program.id));
  const member = await createMember(setup.program, new Date(Date.now() - 86_400_000));
  const order = (placedAt: string) => ({ externalId: uniqueId("ord"), member: { externalId: member.externalId }, currency: "USD", total: 42.5, placedAt, lines: [{ sku: "MUG-1", category: "kitchen", quantity: 2, unitPrice: 21.25 }] });
  await postOrder(jsonRequest("/api/v1/orders", { key, body: order(new Date().toISOString()), idempotencyKey: uniqueId("warm") })); // opens the member's account
  for (const timeZone of ["Asia/Tokyo", "America/Los_Angeles"]) {
    process.env.TZ = timeZone;
    const before = fastOrders.written;
    const placedAt = new Date(Date.now() - 3_600_000 - Math.floor(Math.random() * 1000));
    const payload = order(placedAt.toISOString());
    const response = await postOrder(jsonRequest("/api/v1/orders", { key, body: payload, idempotencyKey: uniqueId("k") }));
    expect(response.status).toBe(201);
    expect(fastOrders.written).toBe(before + 1);
    const [row] = await viaPrisma.$queryRaw<{ placedAt: Date; availableAt: Date }[]>`
      SELECT o."placedAt", l."availableAt" FROM "Order" o JOIN "LedgerTransaction" t ON t."orderId" = o."id" JOIN "PointLot" l ON l."transactionId" = t."id"
      WHERE o."programId" = ${setup.program.id} AND o."externalId" = ${payload.externalId}`;
    expect(row.placedAt).toEqual(placedAt);
    expect(row.availableAt).toEqual(new Date(placedAt.getTime() + 14 * 86_400_000));
  }
  process.env.TZ = zone;
});

test("the common redemption written on the pool directly keeps its times in UTC, in any time zone", async () => {
  const setup = await createProgram({ pendingDays: 0 });
  const { key } = await createApiKey(setup.program.id);
  await prisma.$transaction((tx) => ensureSystemAccounts(tx, setup.program.id));
  const member = await createMember(setup.program, new Date(Date.now() - 86_400_000));
  await postOrder(jsonRequest("/api/v1/orders", { key, body: { externalId: uniqueId("ord"), member: { externalId: member.externalId }, currency: "USD", total: 500, placedAt: new Date(Date.now() - 3_600_000).toISOString(), lines: [{ sku: "A", quantity: 1, unitPrice: 500 }] }, idempotencyKey: uniqueId("k") }));
  const reward = await createReward(setup.program.id, { costPoints: 100 });
  for (const timeZone of ["Asia/Tokyo", "America/Los_Angeles"]) {
    process.env.TZ = timeZone;
    const before = fastRedemptions.written;
    const started = Date.now();
    const response = await postRedemption(
      jsonRequest(`/api/v1/members/${member.externalId}/redemptions`, { key, body: { rewardId: reward.id }, idempotencyKey: uniqueId("r") }),
      { params: Promise.resolve({ externalId: member.externalId }) },
    );
    expect(response.status).toBe(201);
    expect(fastRedemptions.written).toBe(before + 1);
    const answer = (await response.json()) as { redemptionId: number; expiresAt: string };
    const stored = await viaPrisma.redemption.findUniqueOrThrow({ where: { id: answer.redemptionId }, select: { createdAt: true, expiresAt: true } });
    expect(stored.expiresAt!.toISOString()).toBe(answer.expiresAt);
    expect(Math.abs(stored.createdAt.getTime() - started)).toBeLessThan(10_000);
  }
  process.env.TZ = zone;
});
