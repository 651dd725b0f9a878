import pg from "pg";
import { afterAll, describe, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { enrollCustomer } from "@/lib/services/enroll-customer";
import { notifyFromEvents } from "@/lib/services/notify";
import { emitWebhookEvent } from "@/lib/services/webhook-events";
import { createCustomer, createProgram, uniqueId } from "@/test/fixtures";

// Event ids come from a sequence, so a transaction that took id 10 can commit after the one
// that took id 11. The notify job must not read past 10 while it is still in flight.

afterAll(async () => {
  await prisma.$disconnect();
});

async function enrolledMember(setup: Awaited<ReturnType<typeof createProgram>>) {
  const customer = await createCustomer(setup.program.id);
  await enrollCustomer({ program: setup.program, customerId: customer.id });
  return customer;
}

const insertEvent = `
  INSERT INTO "WebhookEvent" ("programId", "type", "dedupeKey", "payload")
  VALUES ($1, 'points.earned', $2, jsonb_build_object('customerId', $3::int, 'points', 7, 'balance', 7, 'occurredAt', now()))
  RETURNING "id"`;

describe("the notify cursor", () => {
  test.each([
    { name: "the later event's transaction starts after the held one", laterTakesXidFirst: false },
    { name: "the later event's transaction started (and took its transaction id) before the held one", laterTakesXidFirst: true },
  ])("an event whose transaction commits late is notified once, not skipped: $name", async ({ laterTakesXidFirst }) => {
    const setup = await createProgram();
    const early = await enrolledMember(setup);
    const late = await enrolledMember(setup);
    await notifyFromEvents({ programId: setup.program.id }); // the welcomes: out of the way

    const held = new pg.Client({ connectionString: process.env.DATABASE_URL });
    const later = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await held.connect();
    await later.connect();
    try {
      await later.query("BEGIN");
      if (laterTakesXidFirst) await later.query("SELECT pg_current_xact_id()");
      await held.query("BEGIN");
      const heldId = (await held.query(insertEvent, [setup.program.id, uniqueId("held"), early.id])).rows[0].id as number;
      const laterId = (await later.query(insertEvent, [setup.program.id, uniqueId("later"), late.id])).rows[0].id as number;
      await later.query("COMMIT");
      expect(heldId).toBeLessThan(laterId);

      await notifyFromEvents({ programId: setup.program.id });
      await held.query("COMMIT");
      await notifyFromEvents({ programId: setup.program.id });
      await notifyFromEvents({ programId: setup.program.id });

      const notes = await prisma.notification.findMany({ where: { eventId: { in: [heldId, laterId] } }, select: { eventId: true, customerId: true, kind: true } });
      expect(notes.sort((a, b) => a.eventId - b.eventId)).toEqual([
        { eventId: heldId, customerId: early.id, kind: "points_earned" },
        { eventId: laterId, customerId: late.id, kind: "points_earned" },
      ]);
      expect(await prisma.emailMessage.count({ where: { eventId: { in: [heldId, laterId] } } })).toBe(2);
    } finally {
      await held.end();
      await later.end();
    }
  });

  test("events committed in one transaction are notified in their order; a rolled-back event never is", async () => {
    const setup = await createProgram();
    const member = await enrolledMember(setup);
    await notifyFromEvents({ programId: setup.program.id });
    const rolledBack = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await rolledBack.connect();
    try {
      await rolledBack.query("BEGIN");
      const lostId = (await rolledBack.query(insertEvent, [setup.program.id, uniqueId("lost"), member.id])).rows[0].id as number;
      await prisma.$transaction(async (tx) => {
        for (let index = 0; index < 3; index += 1) {
          await emitWebhookEvent(tx, { programId: setup.program.id, type: "points.earned", dedupeKey: uniqueId("kept"), payload: { customerId: member.id, points: index + 1, balance: index + 1 } });
        }
      });
      await notifyFromEvents({ programId: setup.program.id });
      await rolledBack.query("ROLLBACK");
      await notifyFromEvents({ programId: setup.program.id });
      const notes = await prisma.notification.findMany({ where: { customerId: member.id, kind: "points_earned" }, orderBy: { id: "asc" } });
      expect(notes.map((note) => (note.data as { points: number }).points)).toEqual([1, 2, 3]);
      expect(notes.some((note) => note.eventId === lostId)).toBe(false);
    } finally {
      await rolledBack.end();
    }
  });
});
