import { afterAll, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { emptyAudience, type Audience } from "@/lib/domain/offers";
import { runCountAudiences } from "@/lib/jobs/tasks";
import { getConsoleOffer, listConsoleOffers, refreshOfferCounts, saveOffer, setOfferStatus } from "@/lib/services/offers";
import type { SaveOfferInput } from "@/lib/validations/console";
import { createCustomer, createMember, createProgram, createStaffUser } from "@/test/fixtures";

// The offers list shows each running offer's audience size as last counted, with the time it is
// true of (issue 12: counting 700,000 members on every view took about a second). Saving an offer
// counts it; the count-audiences job and "Count again" count every running offer in one pass;
// an offer's own page counts live. A stored count is always of the audience the offer has now.

const DAY = 86_400_000;

afterAll(async () => {
  await prisma.$disconnect();
});

function offer(audience: Partial<Audience> = {}, patch: Partial<SaveOfferInput> = {}): SaveOfferInput {
  return {
    kind: "POINTS", title: "Double points", description: "", multiplier: 2, categories: [], totalCapPoints: null,
    code: null, percentOff: null, valueCents: null, minOrderCents: 0, hashtag: null,
    audience: { ...emptyAudience, ...audience },
    startsAt: new Date(Date.now() - DAY), endsAt: new Date(Date.now() + 7 * DAY),
    ...patch,
  };
}

const listed = async (programId: number, id: number) => {
  const found = (await listConsoleOffers(programId)).find((entry) => entry.id === id)!;
  return { count: found.targetCount, at: found.targetCountedAt };
};

test("a saved offer is counted at once; the list keeps that count until the next count; the offer's page counts live", async () => {
  const { program, tiers } = await createProgram();
  const actor = await createStaffUser();
  await createMember(program);
  await createMember(program);
  await createCustomer(program.id); // never joined: never targeted
  const before = new Date();
  const saved = await saveOffer({ programId: program.id, actorUserId: actor.id, input: offer() });
  const first = await listed(program.id, saved.id);
  expect(first.count).toBe(2);
  expect(first.at!.getTime()).toBeGreaterThanOrEqual(before.getTime());

  await createMember(program);
  expect(await listed(program.id, saved.id)).toEqual(first);
  expect((await getConsoleOffer(program.id, saved.id))!.targetCount).toBe(3);

  expect(await refreshOfferCounts(program.id)).toEqual({ counted: 1 });
  const second = await listed(program.id, saved.id);
  expect(second.count).toBe(3);
  expect(second.at!.getTime()).toBeGreaterThan(first.at!.getTime());

  // an edit stores the new audience's size, never the old one's
  const gold = await createMember(program);
  await prisma.customer.update({ where: { id: gold.id }, data: { tierId: tiers.gold.id } });
  await saveOffer({ programId: program.id, actorUserId: actor.id, input: { ...offer({ tierIds: [tiers.gold.id] }), id: saved.id } });
  expect((await listed(program.id, saved.id)).count).toBe(1);
});

test("a count never overwrites a newer one, nor one of an audience edited since", async () => {
  const { program, tiers } = await createProgram();
  const actor = await createStaffUser();
  await createMember(program);
  const saved = await saveOffer({ programId: program.id, actorUserId: actor.id, input: offer() });
  const stored = await listed(program.id, saved.id);
  // a slow run that started before the save's count finishes after it
  expect(await refreshOfferCounts(program.id, { at: new Date(stored.at!.getTime() - 60_000) })).toEqual({ counted: 0 });
  expect(await listed(program.id, saved.id)).toEqual(stored);

  // the audience is edited while a run counts the old one: the edit's transaction holds the row,
  // the run's write waits for it, then finds the audience changed and leaves the row alone
  const edited = { ...emptyAudience, tierIds: [tiers.gold.id] };
  let run: Promise<{ counted: number }> | undefined;
  await prisma.$transaction(async (tx) => {
    await tx.offer.update({ where: { id: saved.id }, data: { audience: edited, targetCount: null, targetCountedAt: null } });
    run = refreshOfferCounts(program.id);
    for (let waited = 0; ; waited += 20) {
      const [{ waiting }] = await prisma.$queryRaw<{ waiting: number }[]>`
        SELECT COUNT(*)::int AS "waiting" FROM pg_stat_activity WHERE "datname" = current_database() AND "wait_event_type" = 'Lock' AND "query" LIKE '%UPDATE "Offer" o SET "targetCount"%'`;
      if (waiting > 0) break;
      if (waited > 10_000) throw new Error("the run's write never waited for the edit");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }, { timeout: 20_000 });
  expect(await run).toEqual({ counted: 0 });
  expect(await listed(program.id, saved.id)).toEqual({ count: null, at: null });
  expect(await refreshOfferCounts(program.id)).toEqual({ counted: 1 });
  expect((await listed(program.id, saved.id)).count).toBe(0);
});

test("ended offers are not counted; the job counts every program's running offers", async () => {
  const a = await createProgram();
  const b = await createProgram();
  const actor = await createStaffUser();
  await createMember(a.program, new Date(Date.now() - 10 * DAY));
  await createMember(b.program, new Date(Date.now() - 10 * DAY));
  await createMember(b.program, new Date(Date.now() - 100 * DAY));
  const running = await saveOffer({ programId: a.program.id, actorUserId: actor.id, input: offer() });
  const recent = await saveOffer({ programId: b.program.id, actorUserId: actor.id, input: offer({ joinedWithinDays: 30 }) });
  const ended = await saveOffer({ programId: b.program.id, actorUserId: actor.id, input: offer() });
  await setOfferStatus({ programId: b.program.id, actorUserId: actor.id, input: { id: ended.id, action: "end" } });
  await prisma.offer.updateMany({ where: { id: { in: [running.id, recent.id] } }, data: { targetCount: null, targetCountedAt: null } });

  const result = await runCountAudiences();
  expect(result.counted).toBeGreaterThanOrEqual(2);
  expect((await listed(a.program.id, running.id)).count).toBe(1);
  expect((await listed(b.program.id, recent.id)).count).toBe(1);
  expect(await listed(b.program.id, ended.id)).toEqual({ count: null, at: null });
  expect((await getConsoleOffer(b.program.id, ended.id))!.targetCount).toBeNull();
});
