import { afterAll, expect, test } from "vitest";
import { withIdempotency } from "@/lib/api/idempotency";
import { prisma } from "@/lib/db/prisma";
import { createApiKey } from "@/test/api-helpers";
import { createMember, createProgram, uniqueId } from "@/test/fixtures";

// Two API writes that lock two members' accounts in opposite orders deadlock; PostgreSQL aborts
// one. The aborted one wrote nothing, so it is run again: both callers get their answer, not a 500.

afterAll(async () => {
  await prisma.$disconnect();
});

test("a transaction aborted to break a deadlock is run again; both requests succeed once", async () => {
  const { program } = await createProgram();
  const [a, b] = [await createMember(program), await createMember(program)];
  for (const member of [a, b]) await prisma.ledgerAccount.upsert({ where: { customerId: member.id }, create: { programId: program.id, kind: "MEMBER", customerId: member.id }, update: {} });
  const { id: apiKeyId } = await createApiKey(program.id);
  let arrived = 0;
  let release!: () => void;
  const bothHoldTheirFirstLock = new Promise<void>((resolve) => (release = resolve));
  const runs = { first: 0, second: 0 };
  const lockBoth = (name: "first" | "second", order: number[]) =>
    withIdempotency({ apiKeyId, key: uniqueId("k"), request: { name } }, async (tx) => {
      runs[name] += 1;
      await tx.$queryRaw`SELECT 1 FROM "LedgerAccount" WHERE "customerId" = ${order[0]} FOR UPDATE`;
      arrived += 1;
      if (arrived === 2) release();
      await bothHoldTheirFirstLock;
      await tx.$queryRaw`SELECT 1 FROM "LedgerAccount" WHERE "customerId" = ${order[1]} FOR UPDATE`;
      await tx.$executeRaw`UPDATE "LedgerAccount" SET "debt" = "debt" + 1 WHERE "customerId" = ${order[0]}`;
      return { status: 201, body: { ok: name } };
    });
  const [first, second] = await Promise.all([lockBoth("first", [a.id, b.id]), lockBoth("second", [b.id, a.id])]);
  expect([first.status, second.status]).toEqual([201, 201]);
  expect(runs.first + runs.second).toBe(3); // one of them was aborted once and run again
  const debts = await prisma.ledgerAccount.findMany({ where: { customerId: { in: [a.id, b.id] } }, select: { debt: true } });
  expect(debts.reduce((sum, row) => sum + row.debt, 0)).toBe(2); // each write applied exactly once
});
