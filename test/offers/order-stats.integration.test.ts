import fc from "fast-check";
import { afterAll, expect, test } from "vitest";
import { Prisma } from "@/lib/db/generated/client";
import { prisma } from "@/lib/db/prisma";
import { emptyAudience, type Audience } from "@/lib/domain/offers";
import { audienceSql, countAudience, countAudiences, matchAudiences } from "@/lib/services/offers";
import { createCustomer, createMember, createProgram, uniqueId } from "@/test/fixtures";

// CustomerOrderStats (migration 20261203000000_customer_order_stats) keeps each customer's paid
// orders (not cancelled, total > 0) and the last one's placedAt, by a trigger on "Order". The
// audience conditions read it; these tests prove the summary is exact through every kind of write
// and concurrency, and that audiences answer exactly as reading the orders does (issue 12).

const DAY = 86_400_000;

afterAll(async () => {
  await prisma.$disconnect();
});

type Program = Awaited<ReturnType<typeof createProgram>>["program"];

async function addOrder(program: Program, customerId: number, placedAt: Date, { totalCents = 5_000, cancelled = false } = {}) {
  return prisma.order.create({
    data: { programId: program.id, externalId: uniqueId("o"), customerId, currency: "EUR", totalCents, placedAt, isMemberOrder: true, cancelledAt: cancelled ? placedAt : null },
    select: { id: true },
  });
}

/** Customers whose summary differs from a recount of their orders (none, when the trigger is right). */
async function mismatches(programId: number) {
  return prisma.$queryRaw<{ customerId: number }[]>`
    WITH truth AS (
      SELECT c."id" AS "customerId", COUNT(o."id")::int AS "paidOrders", MAX(o."placedAt") AS "lastPaidAt"
      FROM "Customer" c LEFT JOIN "Order" o ON o."customerId" = c."id" AND o."cancelledAt" IS NULL AND o."totalCents" > 0
      WHERE c."programId" = ${programId} GROUP BY c."id")
    SELECT t."customerId" FROM truth t LEFT JOIN "CustomerOrderStats" s ON s."customerId" = t."customerId"
    WHERE COALESCE(s."paidOrders", 0) <> t."paidOrders" OR s."lastPaidAt" IS DISTINCT FROM t."lastPaidAt"
       OR (s."customerId" IS NOT NULL AND s."programId" <> ${programId})`;
}

test("the summary follows every write: paid, free and cancelled orders, cancellation, a moved date, a moved order, a deleted order", async () => {
  const { program } = await createProgram();
  const [a, b] = [await createMember(program), await createMember(program)];
  const t0 = new Date("2026-03-01T10:00:00Z");
  const first = await addOrder(program, a.id, t0);
  const later = await addOrder(program, a.id, new Date(t0.getTime() + 10 * DAY));
  await addOrder(program, a.id, new Date(t0.getTime() + 20 * DAY), { totalCents: 0 }); // free: not paid
  await addOrder(program, a.id, new Date(t0.getTime() + 30 * DAY), { cancelled: true }); // cancelled: not paid
  expect(await prisma.customerOrderStats.findUnique({ where: { customerId: a.id } })).toMatchObject({ paidOrders: 2, lastPaidAt: new Date(t0.getTime() + 10 * DAY) });
  expect(await mismatches(program.id)).toEqual([]);

  await prisma.order.update({ where: { id: later.id }, data: { cancelledAt: new Date() } }); // the last one cancelled
  expect(await prisma.customerOrderStats.findUnique({ where: { customerId: a.id } })).toMatchObject({ paidOrders: 1, lastPaidAt: t0 });
  await prisma.order.update({ where: { id: first.id }, data: { placedAt: new Date(t0.getTime() - 5 * DAY) } });
  await prisma.order.update({ where: { id: later.id }, data: { cancelledAt: null } }); // un-cancelled (a correction)
  await prisma.order.update({ where: { id: first.id }, data: { customerId: b.id } }); // moved to another customer
  await prisma.order.update({ where: { id: later.id }, data: { returnedCents: 100 } }); // a return: no change
  expect(await mismatches(program.id)).toEqual([]);
  expect(await prisma.customerOrderStats.findUnique({ where: { customerId: b.id } })).toMatchObject({ paidOrders: 1, lastPaidAt: new Date(t0.getTime() - 5 * DAY) });
  await prisma.order.delete({ where: { id: later.id } });
  expect(await prisma.customerOrderStats.findUnique({ where: { customerId: a.id } })).toMatchObject({ paidOrders: 0, lastPaidAt: null });
  expect(await mismatches(program.id)).toEqual([]);
});

test("concurrent orders and cancellations for one customer leave the summary exact", async () => {
  const { program } = await createProgram();
  const customer = await createMember(program);
  const base = Date.parse("2026-05-01T00:00:00Z");
  const existing = [];
  for (let index = 0; index < 8; index += 1) existing.push(await addOrder(program, customer.id, new Date(base + index * DAY)));
  // 16 new orders in their own transactions, and the 8 existing ones cancelled, all at once
  await Promise.all([
    ...Array.from({ length: 16 }, (_, index) => addOrder(program, customer.id, new Date(base + (index - 8) * DAY))),
    ...existing.map((row) => prisma.$transaction(async (tx) => {
      await tx.$executeRaw`UPDATE "Order" SET "cancelledAt" = now() WHERE "id" = ${row.id}`;
    })),
  ]);
  expect(await mismatches(program.id)).toEqual([]);
  expect(await prisma.customerOrderStats.findUnique({ where: { customerId: customer.id } })).toMatchObject({ paidOrders: 16, lastPaidAt: new Date(base + 7 * DAY) });
});

/** The audience's order conditions as they read before the summary: the member's orders themselves. */
function ordersOnlySql(audience: Audience, at: Date) {
  const parts: Prisma.Sql[] = [Prisma.sql`c."enrolledAt" IS NOT NULL`];
  const paid = Prisma.sql`o."customerId" = c."id" AND o."cancelledAt" IS NULL AND o."totalCents" > 0`;
  if (audience.inactiveDays !== null) {
    parts.push(Prisma.sql`NOT EXISTS (SELECT 1 FROM "Order" o WHERE ${paid} AND o."placedAt" >= ${new Date(at.getTime() - audience.inactiveDays * DAY)}::timestamp AND o."placedAt" < ${at}::timestamp)`);
  }
  if (audience.minOrders !== null) parts.push(Prisma.sql`(SELECT COUNT(*) FROM "Order" o WHERE ${paid} AND o."placedAt" < ${at}::timestamp) >= ${audience.minOrders}`);
  return Prisma.join(parts, " AND ");
}

test("audiences with order conditions answer exactly as reading the orders does, at any moment (backdated, future and cancelled orders)", async () => {
  const { program } = await createProgram();
  const now = Date.parse("2026-11-30T12:00:00Z");
  const members = [];
  for (let index = 0; index < 24; index += 1) members.push(await createMember(program));
  await createCustomer(program.id); // never joined: never in an audience
  // each member: 0-6 orders from 400 days back to 30 days ahead, some free or cancelled
  const orders = fc.sample(fc.array(fc.record({ day: fc.integer({ min: -400, max: 30 }), kind: fc.constantFrom("paid", "paid", "paid", "free", "cancelled") }), { maxLength: 6 }), { numRuns: members.length, seed: 1203 });
  for (const [index, list] of orders.entries()) {
    for (const { day, kind } of list) {
      await addOrder(program, members[index].id, new Date(now + day * DAY + index * 60_000), { totalCents: kind === "free" ? 0 : 4_000, cancelled: kind === "cancelled" });
    }
  }
  const ids = members.map((row) => row.id);
  const placed = await prisma.order.findMany({ where: { programId: program.id }, select: { placedAt: true }, take: 3 });
  const moments = [now, now - 100 * DAY, now + 10 * DAY, now - 399 * DAY, ...placed.map((row) => row.placedAt.getTime())].map((ms) => new Date(ms));
  const audiences = fc.sample(
    fc.record({ inactiveDays: fc.option(fc.constantFrom(1, 30, 90, 365), { nil: null }), minOrders: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }) }),
    { numRuns: 30, seed: 1204 },
  ).map((conditions): Audience => ({ ...emptyAudience, ...conditions }));
  let checked = 0;
  for (const at of moments) {
    const counts = await countAudiences(prisma, program.id, audiences, at);
    for (const [index, audience] of audiences.entries()) {
      const [truth] = await prisma.$queryRaw<{ count: number; ids: number[] | null }[]>`
        SELECT COUNT(*)::int AS "count", array_agg(c."id" ORDER BY c."id") AS "ids" FROM "Customer" c WHERE c."programId" = ${program.id} AND ${ordersOnlySql(audience, at)}`;
      expect(counts[index], JSON.stringify({ audience, at })).toBe(truth.count);
      expect(await countAudience(prisma, program.id, audience, at)).toBe(truth.count);
      checked += 1;
    }
    // one member at a time, as an order's audience check does
    for (const id of ids.slice(0, 8)) {
      const matched = await matchAudiences(prisma, id, audiences.map((audience, key) => ({ key, audience })), at);
      for (const [key, audience] of audiences.entries()) {
        const [row] = await prisma.$queryRaw<{ inside: boolean }[]>`SELECT (${ordersOnlySql(audience, at)}) AS "inside" FROM "Customer" c WHERE c."id" = ${id}`;
        expect(matched.has(key), JSON.stringify({ id, audience, at })).toBe(row.inside);
      }
    }
  }
  expect(checked).toBe(moments.length * audiences.length);
  expect(audienceSql(audiences[0], new Date(now))).toBeTruthy();
});
