import { afterAll, describe, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { checkLedger } from "@/lib/db/check-ledger";
import { emptyAudience, type Audience } from "@/lib/domain/offers";
import { checkOfferCode, countAudience, getMemberOffers, saveOffer, setOfferStatus } from "@/lib/services/offers";
import { recordOrder } from "@/lib/services/record-order";
import type { SaveOfferInput } from "@/lib/validations/console";
import { GET as getOffers } from "@/app/api/v1/members/[externalId]/offers/route";
import { GET as checkCode } from "@/app/api/v1/members/[externalId]/offers/check/route";
import { createApiKey } from "@/test/api-helpers";
import { createCustomer, createMember, createProgram, createStaffUser, uniqueId } from "@/test/fixtures";

// Offers on real PostgreSQL: the audience (tier + member attributes) decides the console's
// count, the member's offers and whether an order earns the extra points; early access by
// tier; pause/resume/end write rule versions; codes are checked per member; budgets hold
// under concurrent orders.

afterAll(async () => {
  await prisma.$disconnect();
});

type Setup = Awaited<ReturnType<typeof createProgram>>;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const marketer = () => createStaffUser();

async function member(setup: Setup, { enrolledAt = new Date("2025-01-01T00:00:00Z"), tierId, preferences, birthday }: { enrolledAt?: Date; tierId?: number; preferences?: object; birthday?: Date } = {}) {
  const customer = await createMember(setup.program, enrolledAt);
  if (tierId || preferences || birthday) await prisma.customer.update({ where: { id: customer.id }, data: { ...(tierId ? { tierId } : {}), ...(preferences ? { preferences } : {}), ...(birthday ? { birthday } : {}) } });
  return customer;
}

async function order(setup: Setup, customer: { externalId: string }, placedAt: Date, lines = [{ sku: "S1", category: "shoes", quantity: 1, unitPriceCents: 10_000 }, { sku: "H1", category: "hats", quantity: 1, unitPriceCents: 5_000 }]) {
  return recordOrder({
    program: setup.program, externalId: uniqueId("o"), member: { externalId: customer.externalId }, currency: "USD",
    totalCents: lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0), placedAt, lines,
  });
}

function pointsOffer(patch: Partial<SaveOfferInput> = {}, audience: Partial<Audience> = {}): SaveOfferInput {
  return {
    kind: "POINTS", title: "Double points on shoes", description: "", multiplier: 2, categories: ["shoes"], totalCapPoints: null,
    code: null, percentOff: null, valueCents: null, minOrderCents: 0, hashtag: null,
    audience: { ...emptyAudience, ...audience },
    startsAt: new Date(Date.now() - DAY), endsAt: new Date(Date.now() + 7 * DAY),
    ...patch,
  };
}

function codeOffer(code: string, patch: Partial<SaveOfferInput> = {}, audience: Partial<Audience> = {}): SaveOfferInput {
  return pointsOffer({ kind: "CODE", title: "Members' 15% off", multiplier: null, categories: [], code, percentOff: 15, hashtag: "#Hearth Week", ...patch }, audience);
}

const bonusOf = (orderId: number) => prisma.ledgerTransaction.findMany({ where: { orderId, kind: "BONUS" }, select: { points: true, ruleId: true, ruleVersion: true } });

describe("points offers", () => {
  test("double points on a category: only members in the audience earn the extra, as its own line with the rule version", async () => {
    const setup = await createProgram();
    const actor = await marketer();
    const now = new Date();
    const regular = await member(setup);
    const newcomer = await member(setup);
    await order(setup, regular, new Date(now.getTime() - 10 * DAY)); // an earlier order: in the audience "at least 1 order"
    const saved = await saveOffer({ programId: setup.program.id, actorUserId: actor.id, input: pointsOffer({}, { minOrders: 1 }) });
    const offer = await prisma.offer.findUniqueOrThrow({ where: { id: saved.id } });

    const paid = await order(setup, regular, now);
    expect(paid.pointsEarned).toBe(150 + 100); // base on $150, +100 for the $100 of shoes
    expect(await bonusOf(paid.orderId)).toEqual([{ points: 100, ruleId: offer.earnRuleId, ruleVersion: 1 }]);
    // the newcomer's first order: not in the audience before it (the order never counts towards its own audience)
    const first = await order(setup, newcomer, now);
    expect(first.pointsEarned).toBe(150);
    // and the second one is
    const second = await order(setup, newcomer, new Date(now.getTime() + 1000));
    expect(second.pointsEarned).toBe(250);

    expect(await countAudience(prisma, setup.program.id, { ...emptyAudience, minOrders: 1 })).toBe(2);
    const offers = await getMemberOffers({ programId: setup.program.id, customerId: regular.id });
    expect(offers.map((entry) => [entry.id, entry.phase, entry.multiplier, entry.categories])).toEqual([[saved.id, "live", 2, ["shoes"]]]);
    await checkLedger(prisma, [regular.id, newcomer.id]);
  });

  test("early access: a tier with early access earns and sees the offer before everyone else", async () => {
    const setup = await createProgram();
    await prisma.tier.update({ where: { id: setup.tiers.gold.id }, data: { earlyAccessHours: 24 } });
    const actor = await marketer();
    const startsAt = new Date(Date.now() + 12 * HOUR);
    const saved = await saveOffer({ programId: setup.program.id, actorUserId: actor.id, input: pointsOffer({ startsAt, endsAt: new Date(startsAt.getTime() + 2 * DAY), categories: [] }) });
    const code = await saveOffer({ programId: setup.program.id, actorUserId: actor.id, input: codeOffer(uniqueId("EARLY").replace(/[^A-Za-z0-9-]/g, "").slice(0, 30), { startsAt, endsAt: new Date(startsAt.getTime() + 2 * DAY) }) });
    const gold = await member(setup, { tierId: setup.tiers.gold.id });
    const bronze = await member(setup, { tierId: setup.tiers.bronze.id });

    const goldOrder = await order(setup, gold, new Date());
    const bronzeOrder = await order(setup, bronze, new Date());
    expect(goldOrder.pointsEarned).toBe(225 + 225); // x1.5 tier, doubled by the offer on every line
    expect(bronzeOrder.pointsEarned).toBe(150);

    const goldOffers = await getMemberOffers({ programId: setup.program.id, customerId: gold.id });
    expect(goldOffers.map((entry) => [entry.id, entry.phase, entry.earlyAccess])).toEqual(expect.arrayContaining([[saved.id, "early", true], [code.id, "early", true]]));
    expect(goldOffers.find((entry) => entry.id === code.id)?.code).toMatch(/^EARLY/);
    const bronzeOffers = await getMemberOffers({ programId: setup.program.id, customerId: bronze.id });
    expect(bronzeOffers.every((entry) => entry.phase === "scheduled" && entry.code === null)).toBe(true);

    const codeValue = (await prisma.offer.findUniqueOrThrow({ where: { id: code.id } })).code!;
    expect(await checkOfferCode({ programId: setup.program.id, customerId: gold.id, code: codeValue.toLowerCase() })).toMatchObject({ valid: true, percentOff: 15 });
    expect(await checkOfferCode({ programId: setup.program.id, customerId: bronze.id, code: codeValue })).toEqual({ valid: false, reason: "not_started" });
    // once it starts, everyone in the audience can use it
    expect(await checkOfferCode({ programId: setup.program.id, customerId: bronze.id, code: codeValue, at: new Date(startsAt.getTime() + HOUR) })).toMatchObject({ valid: true });
  });

  test("pause, resume and end: orders follow at once, each change is a rule version, an ended offer can't be edited", async () => {
    const setup = await createProgram();
    const actor = await marketer();
    const customer = await member(setup);
    const saved = await saveOffer({ programId: setup.program.id, actorUserId: actor.id, input: pointsOffer() });
    const change = (action: "pause" | "resume" | "end") => setOfferStatus({ programId: setup.program.id, actorUserId: actor.id, input: { id: saved.id, action } });

    await change("pause");
    expect((await order(setup, customer, new Date())).pointsEarned).toBe(150);
    expect(await getMemberOffers({ programId: setup.program.id, customerId: customer.id })).toEqual([]);
    expect(await change("pause")).toEqual({ id: saved.id, changed: false });
    await change("resume");
    expect((await order(setup, customer, new Date())).pointsEarned).toBe(250);
    await change("end");
    expect((await order(setup, customer, new Date(Date.now() + 1000))).pointsEarned).toBe(150);
    expect(await getMemberOffers({ programId: setup.program.id, customerId: customer.id })).toEqual([]);

    const offer = await prisma.offer.findUniqueOrThrow({ where: { id: saved.id } });
    expect(offer.endedAt).not.toBeNull();
    const versions = await prisma.earnRuleVersion.findMany({ where: { ruleId: offer.earnRuleId! }, orderBy: { version: "asc" } });
    expect(versions.map((version) => version.version)).toEqual([1, 2, 3, 4]);
    await expect(change("resume")).rejects.toMatchObject({ code: "OFFER_ENDED" });
    await expect(saveOffer({ programId: setup.program.id, actorUserId: actor.id, input: pointsOffer({ id: saved.id, title: "Changed" }) })).rejects.toMatchObject({ code: "OFFER_ENDED" });
    const audit = await prisma.auditLog.findMany({ where: { targetType: "offer", targetId: String(saved.id) }, orderBy: { id: "asc" }, select: { action: true } });
    expect(audit.map((entry) => entry.action)).toEqual(["offer.created", "offer.pause", "offer.resume", "offer.end"]);
    await checkLedger(prisma, [customer.id]);
  });

  test("a budget holds under concurrent orders", async () => {
    const setup = await createProgram();
    const actor = await marketer();
    const saved = await saveOffer({ programId: setup.program.id, actorUserId: actor.id, input: pointsOffer({ totalCapPoints: 250 }, { minOrders: null }) });
    const customers = await Promise.all(Array.from({ length: 6 }, () => member(setup)));
    await Promise.all(customers.map((customer) => order(setup, customer, new Date())));
    const offer = await prisma.offer.findUniqueOrThrow({ where: { id: saved.id } });
    const [{ issued }] = await prisma.$queryRaw<{ issued: number }[]>`SELECT COALESCE(SUM("points"), 0)::int AS "issued" FROM "LedgerTransaction" WHERE "ruleId" = ${offer.earnRuleId}`;
    expect(issued).toBe(250);
    await checkLedger(prisma, customers.map((customer) => customer.id));
  });
});

describe("audiences", () => {
  test("the console's count is exactly the members who see the offer", async () => {
    const setup = await createProgram();
    const actor = await marketer();
    const now = new Date();
    const thisMonth = new Date(Date.UTC(1990, now.getUTCMonth(), 15));
    const otherMonth = new Date(Date.UTC(1990, (now.getUTCMonth() + 6) % 12, 15));
    const shoeLoverGold = await member(setup, { tierId: setup.tiers.gold.id, preferences: { categories: ["shoes", "bags"] }, birthday: thisMonth });
    const shoeLoverBronze = await member(setup, { tierId: setup.tiers.bronze.id, preferences: { categories: ["shoes"] }, birthday: otherMonth });
    const newGold = await member(setup, { tierId: setup.tiers.gold.id, enrolledAt: new Date(now.getTime() - 3 * DAY) });
    const lapsed = await member(setup, { tierId: setup.tiers.silver.id });
    await order(setup, lapsed, new Date(now.getTime() - 200 * DAY));
    const active = await member(setup, { tierId: setup.tiers.silver.id });
    await order(setup, active, new Date(now.getTime() - 5 * DAY));
    const outsider = await createCustomer(setup.program.id); // never joined: never targeted
    const everyone = [shoeLoverGold, shoeLoverBronze, newGold, lapsed, active];

    const cases: [Partial<Audience>, number[]][] = [
      [{}, everyone.map((c) => c.id)],
      [{ tierIds: [setup.tiers.gold.id] }, [shoeLoverGold.id, newGold.id]],
      [{ preferredCategories: ["shoes"] }, [shoeLoverGold.id, shoeLoverBronze.id]],
      [{ preferredCategories: ["bags"], tierIds: [setup.tiers.bronze.id] }, []],
      [{ joinedWithinDays: 30 }, [newGold.id]],
      [{ inactiveDays: 90, minOrders: 1 }, [lapsed.id]],
      [{ birthdayMonth: true }, [shoeLoverGold.id]],
    ];
    for (const [index, [audience, expected]] of cases.entries()) {
      const full = { ...emptyAudience, ...audience };
      const saved = await saveOffer({ programId: setup.program.id, actorUserId: actor.id, input: codeOffer(`AUD${index}X${setup.program.id}`, {}, full) });
      expect(await countAudience(prisma, setup.program.id, full)).toBe(expected.length);
      const seeing = [];
      for (const customer of [...everyone, outsider]) {
        if (customer.id === outsider.id) continue;
        const offers = await getMemberOffers({ programId: setup.program.id, customerId: customer.id });
        if (offers.some((entry) => entry.id === saved.id)) seeing.push(customer.id);
      }
      expect(seeing.sort()).toEqual([...expected].sort());
    }
  });
});

describe("code offers", () => {
  test("codes are unique per program, case-insensitively; bad input changes nothing", async () => {
    const setup = await createProgram();
    const other = await createProgram();
    const actor = await marketer();
    await saveOffer({ programId: setup.program.id, actorUserId: actor.id, input: codeOffer("WELCOME15") });
    await expect(saveOffer({ programId: setup.program.id, actorUserId: actor.id, input: codeOffer("welcome15") })).rejects.toMatchObject({ code: "CODE_TAKEN" });
    // another program may use the same code
    await saveOffer({ programId: other.program.id, actorUserId: actor.id, input: codeOffer("WELCOME15") });
    // a tier of another program is refused, nothing saved
    await expect(saveOffer({ programId: setup.program.id, actorUserId: actor.id, input: codeOffer("OTHER1", {}, { tierIds: [other.tiers.gold.id] }) })).rejects.toMatchObject({ code: "VALIDATION" });
    expect(await prisma.offer.count({ where: { programId: setup.program.id } })).toBe(1);
    const saved = await prisma.offer.findFirstOrThrow({ where: { programId: setup.program.id } });
    expect(saved.hashtag).toBe("HearthWeek");
    // editing another program's offer is not found
    await expect(saveOffer({ programId: other.program.id, actorUserId: actor.id, input: codeOffer("X123", { id: saved.id }) })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(setOfferStatus({ programId: other.program.id, actorUserId: actor.id, input: { id: saved.id, action: "end" } })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  test("over the API: the member's offers and the checkout check with reasons", async () => {
    const setup = await createProgram();
    const actor = await marketer();
    const { key } = await createApiKey(setup.program.id);
    await saveOffer({ programId: setup.program.id, actorUserId: actor.id, input: codeOffer("GOLD20", { percentOff: null, valueCents: 2_000, minOrderCents: 10_000 }, { tierIds: [setup.tiers.gold.id] }) });
    const gold = await member(setup, { tierId: setup.tiers.gold.id });
    const bronze = await member(setup, { tierId: setup.tiers.bronze.id });
    const get = (handler: typeof checkCode, customer: { externalId: string }, path: string) =>
      handler(new Request(`http://localhost/api/v1/members/${customer.externalId}/${path}`, { headers: { authorization: `Bearer ${key}` } }), { params: Promise.resolve({ externalId: customer.externalId }) });

    const listed = await (await get(getOffers, gold, "offers")).json();
    expect(listed.offers).toEqual([expect.objectContaining({ kind: "CODE", code: "GOLD20", value: 20, minOrder: 100, hashtag: "HearthWeek", phase: "live" })]);
    expect((await (await get(getOffers, bronze, "offers")).json()).offers).toEqual([]);

    expect(await (await get(checkCode, gold, "offers/check?code=gold20&orderTotalCents=12000")).json()).toMatchObject({ valid: true, code: "GOLD20", value: 20 });
    expect(await (await get(checkCode, gold, "offers/check?code=GOLD20&orderTotalCents=5000")).json()).toEqual({ valid: false, reason: "below_minimum" });
    expect(await (await get(checkCode, bronze, "offers/check?code=GOLD20")).json()).toEqual({ valid: false, reason: "not_eligible" });
    expect(await (await get(checkCode, gold, "offers/check?code=NOPE")).json()).toEqual({ valid: false, reason: "unknown_code" });
    expect((await get(checkCode, gold, "offers/check")).status).toBe(400);
    expect((await get(checkCode, gold, "offers/check?code=GOLD20&orderTotalCents=abc")).status).toBe(400);
    expect((await get(checkCode, { externalId: "nobody" }, "offers/check?code=GOLD20")).status).toBe(404);
    expect((await handlerWithoutKey(checkCode, gold)).status).toBe(401);
  });
});

function handlerWithoutKey(handler: typeof checkCode, customer: { externalId: string }) {
  return handler(new Request(`http://localhost/api/v1/members/${customer.externalId}/offers/check?code=X`), { params: Promise.resolve({ externalId: customer.externalId }) });
}
