import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { prisma, type Tx } from "@/lib/db/prisma";
import { hotRows } from "@/lib/db/direct";
import { preparedSql } from "@/lib/db/prepared";
import { AppError } from "@/lib/domain/app-error";
import { isPromotionOpen } from "@/lib/domain/earn-points";
import { multiplierConfigSchema } from "@/lib/domain/earn-rules";
import {
  consolePhase, hasAttributeConditions, normaliseHashtag, offerPhase, opensAt, parseAudience,
  type Audience, type OfferKind, type OfferPhase,
} from "@/lib/domain/offers";
import type { SaveOfferInput, SetOfferStatusInput } from "@/lib/validations/console";
import { writeAudit } from "./audit";
import { invalidateEarningConfig, type EarningConfig, type PromotionDef } from "./earning-config";
import { writeVersion } from "./save-earn-rule";

const DAY_MS = 86_400_000;

/** Paid orders, as audiences count them: not cancelled, total above zero (as CustomerOrderStats counts them). */
const paidOrder = Prisma.sql`o."customerId" = c."id" AND o."cancelledAt" IS NULL AND o."totalCents" > 0`;

/**
 * The audience as a condition on the customer row `c` and their paid-order summary `s`
 * (CustomerOrderStats, left-joined by audienceFrom), evaluated at `at` (business time: an order's
 * placedAt, or now for the pages). Orders counted are paid and not cancelled, and placed before
 * `at`, so the order being recorded never counts towards its own audience.
 *
 * The order conditions read the summary when the member's last paid order is before `at` (then
 * every paid order is, and the summary is exactly the orders before `at`); otherwise (a backdated
 * order, or `at` in the past) they read the orders themselves. Either way the answer is what
 * reading the orders gives.
 */
export function audienceSql(audience: Audience, at: Date): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`c."enrolledAt" IS NOT NULL`];
  if (audience.tierIds.length > 0) parts.push(Prisma.sql`c."tierId" = ANY(${audience.tierIds}::int[])`);
  if (audience.preferredCategories.length > 0) {
    parts.push(Prisma.sql`jsonb_typeof(c."preferences"->'categories') = 'array' AND jsonb_exists_any(c."preferences"->'categories', ${audience.preferredCategories}::text[])`);
  }
  if (audience.joinedWithinDays !== null) parts.push(Prisma.sql`c."enrolledAt" >= ${new Date(at.getTime() - audience.joinedWithinDays * DAY_MS)}::timestamp`);
  if (audience.inactiveDays !== null) {
    const since = new Date(at.getTime() - audience.inactiveDays * DAY_MS);
    parts.push(Prisma.sql`(s."lastPaidAt" IS NULL OR s."lastPaidAt" < ${since}::timestamp OR (s."lastPaidAt" >= ${at}::timestamp
      AND NOT EXISTS (SELECT 1 FROM "Order" o WHERE ${paidOrder} AND o."placedAt" >= ${since}::timestamp AND o."placedAt" < ${at}::timestamp)))`);
  }
  if (audience.minOrders !== null) {
    parts.push(Prisma.sql`(COALESCE(s."paidOrders", 0) >= ${audience.minOrders} AND (s."lastPaidAt" < ${at}::timestamp
      OR (SELECT COUNT(*) FROM "Order" o WHERE ${paidOrder} AND o."placedAt" < ${at}::timestamp) >= ${audience.minOrders}))`);
  }
  if (audience.birthdayMonth) parts.push(Prisma.sql`EXTRACT(MONTH FROM c."birthday") = ${at.getUTCMonth() + 1}`);
  return Prisma.join(parts, " AND ");
}

/** Whether the audience has order conditions (it reads the paid-order summary). */
function readsOrders(audience: Audience) {
  return audience.inactiveDays !== null || audience.minOrders !== null;
}

/** The rows audienceSql is a condition on: the customer `c` and, when needed, their summary `s`. */
function audienceFrom(audiences: Audience[]): Prisma.Sql {
  return audiences.some(readsOrders)
    ? Prisma.sql`"Customer" c LEFT JOIN "CustomerOrderStats" s ON s."customerId" = c."id"`
    : Prisma.sql`"Customer" c`;
}

/** How many members an audience targets right now. */
export async function countAudience(db: Tx | typeof prisma, programId: number, audience: Audience, at = new Date()): Promise<number> {
  const [row] = await db.$queryRaw<{ count: number }[]>`
    SELECT COUNT(*)::int AS "count" FROM ${audienceFrom([audience])} WHERE c."programId" = ${programId} AND ${audienceSql(audience, at)}`;
  return row.count;
}

/**
 * How many members each audience targets right now, in one pass over the program's customers
 * (the offers list counts all its offers at once).
 */
export async function countAudiences(db: Tx | typeof prisma, programId: number, audiences: Audience[], at = new Date()): Promise<number[]> {
  if (audiences.length === 0) return [];
  if (audiences.length === 1) return [await countAudience(db, programId, audiences[0], at)];
  const columns = audiences.map((audience, index) => Prisma.sql`(COUNT(*) FILTER (WHERE ${audienceSql(audience, at)}))::int AS ${Prisma.raw(`"a${index}"`)}`);
  const [row] = await db.$queryRaw<Record<string, number>[]>`
    SELECT ${Prisma.join(columns)} FROM ${audienceFrom(audiences)} WHERE c."programId" = ${programId} AND c."enrolledAt" IS NOT NULL`;
  return audiences.map((_, index) => row[`a${index}`]);
}

/** Which of the audiences (by key) one member is in, in one query. */
export async function matchAudiences(db: Tx | typeof prisma, customerId: number, audiences: { key: number; audience: Audience }[], at: Date): Promise<Set<number>> {
  if (audiences.length === 0) return new Set();
  const columns = audiences.map(({ key, audience }) => Prisma.sql`(${audienceSql(audience, at)}) AS ${Prisma.raw(`"a${key}"`)}`);
  // prepared: its text changes only with the audiences configured (lib/db/prepared.ts)
  const rows = await hotRows<Record<string, boolean | null>>(db, Prisma.sql`${preparedSql}
    SELECT ${Prisma.join(columns)} FROM ${audienceFrom(audiences.map(({ audience }) => audience))} WHERE c."id" = ${customerId}`);
  const row = rows[0] ?? {};
  return new Set(audiences.filter(({ key }) => row[`a${key}`] === true).map(({ key }) => key));
}

/**
 * The promotions an order of this member may earn: those whose audience (member attributes
 * beyond the tier) the member is in. Costs a query only when such a promotion could be open.
 * The audiences were parsed once with the rules (earning config); they are not parsed again.
 */
export async function promotionsForMember(tx: Tx, config: EarningConfig, customerId: number, at: Date): Promise<PromotionDef[]> {
  const conditional = config.promotions.filter((promo) => promo.audience !== undefined && hasAttributeConditions(promo.audience));
  if (conditional.length === 0) return config.promotions;
  const maxEarly = Math.max(0, ...config.tiers.map((tier) => tier.earlyAccessHours ?? 0));
  const open = conditional.filter((promo) => isPromotionOpen({ promotion: promo, at, earlyAccessHours: maxEarly }));
  const matched = await matchAudiences(tx, customerId, open.map((promo) => ({ key: promo.id, audience: promo.audience! })), at);
  return config.promotions.filter((promo) => !conditional.includes(promo) || matched.has(promo.id));
}

// ---------------------------------------------------------------------------------------------
// Console

type OfferRow = Prisma.OfferGetPayload<object>;

export type ConsoleOffer = {
  id: number;
  kind: OfferKind;
  title: string;
  description: string;
  phase: OfferPhase;
  startsAt: Date;
  endsAt: Date;
  endedAt: Date | null;
  audience: Audience;
  /** members the audience targets: counted now on the offer's own page; on the list, as last
   * counted (targetCountedAt; null until first counted). Not counted once the offer has ended. */
  targetCount: number | null;
  targetCountedAt: Date | null;
  code: string | null;
  percentOff: number | null;
  valueCents: number | null;
  minOrderCents: number;
  hashtag: string | null;
  multiplier: number | null;
  categories: string[];
  totalCapPoints: number | null;
  pointsIssued: number;
  ruleVersion: number | null;
};

/** The promotion rule behind each points offer, with the multiplier and categories read from it. */
async function loadOfferRules(programId: number, rows: OfferRow[]) {
  const ruleIds = rows.map((row) => row.earnRuleId).filter((id): id is number => id !== null);
  const rules = ruleIds.length ? await prisma.earnRule.findMany({ where: { id: { in: ruleIds }, programId } }) : [];
  const byOffer = new Map(
    rows.map((row) => {
      const rule = rules.find((candidate) => candidate.id === row.earnRuleId) ?? null;
      const config = rule ? multiplierConfigSchema.safeParse(rule.config) : null;
      return [row.id, { rule, multiplier: config?.success ? config.data.multiplierBps / 10_000 : null, categories: config?.success ? config.data.categories : [] }];
    }),
  );
  return { ruleIds, byOffer };
}

/** What the console and members both see of an offer. */
function offerFields(row: OfferRow, points: { multiplier: number | null; categories: string[] } | undefined) {
  return {
    id: row.id,
    kind: row.kind as OfferKind,
    title: row.title,
    description: row.description,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    code: row.code,
    percentOff: row.percentOff,
    valueCents: row.valueCents,
    minOrderCents: row.minOrderCents,
    hashtag: row.hashtag,
    multiplier: points?.multiplier ?? null,
    categories: points?.categories ?? [],
  };
}

async function toConsoleOffers(programId: number, rows: OfferRow[], at: Date, { live }: { live: boolean }): Promise<ConsoleOffer[]> {
  const { ruleIds, byOffer } = await loadOfferRules(programId, rows);
  const issued = ruleIds.length
    ? await prisma.$queryRaw<{ ruleId: number; points: number }[]>`
        SELECT "ruleId", COALESCE(SUM("points"), 0)::int AS "points" FROM "LedgerTransaction"
        WHERE "programId" = ${programId} AND "ruleId" = ANY(${ruleIds}::int[]) AND "kind" = 'BONUS' GROUP BY "ruleId"`
    : [];
  const offers = rows.map((row) => ({ row, audience: parseAudience(row.audience), phase: consolePhase(row, at) }));
  // an ended offer targets nobody any more: not counted; live, the others are counted in one pass
  const counted = live ? offers.filter((offer) => offer.phase !== "ended") : [];
  const counts = await countAudiences(prisma, programId, counted.map((offer) => offer.audience), at);
  const liveCounts = new Map(counted.map((offer, index) => [offer.row.id, counts[index]]));
  return offers.map(({ row, audience, phase }) => {
    const points = byOffer.get(row.id);
    const ended = phase === "ended";
    return {
      ...offerFields(row, points),
      phase,
      endedAt: row.endedAt,
      audience,
      targetCount: ended ? null : live ? (liveCounts.get(row.id) ?? null) : row.targetCount,
      targetCountedAt: ended ? null : live ? at : row.targetCountedAt,
      totalCapPoints: points?.rule?.totalCapPoints ?? null,
      pointsIssued: issued.find((entry) => entry.ruleId === row.earnRuleId)?.points ?? 0,
      ruleVersion: points?.rule?.version ?? null,
    };
  });
}

/**
 * Every offer of the program, newest first, with its phase and how many members it targeted when
 * last counted (counting every member on every view would take about a second at 1,000,000
 * customers; refreshOfferCounts keeps the counts).
 */
export async function listConsoleOffers(programId: number, at = new Date()): Promise<ConsoleOffer[]> {
  const rows = await prisma.offer.findMany({ where: { programId }, orderBy: [{ startsAt: "desc" }, { id: "desc" }] });
  return toConsoleOffers(programId, rows, at, { live: false });
}

/** One offer, with how many members it targets right now. */
export async function getConsoleOffer(programId: number, id: number, at = new Date()): Promise<ConsoleOffer | null> {
  const row = await prisma.offer.findFirst({ where: { id, programId } });
  return row ? (await toConsoleOffers(programId, [row], at, { live: true }))[0] : null;
}

/**
 * Counts how many members each offer that has not ended targets at `at` (the program's offers,
 * or those given), in one pass over the members, and stores each count with `at`. A count is
 * kept only while the offer's audience is still the one counted (an edit saved meanwhile counts
 * itself) and only over an older count, so a slow run never overwrites a newer answer. Run by
 * the count-audiences job, after an offer is saved, and by "Count again" on the offers list.
 */
export async function refreshOfferCounts(programId: number, { at = new Date(), offerIds }: { at?: Date; offerIds?: number[] } = {}): Promise<{ counted: number }> {
  const rows = await prisma.offer.findMany({
    where: { programId, endedAt: null, endsAt: { gt: at }, ...(offerIds ? { id: { in: offerIds } } : {}) },
    select: { id: true, audience: true },
    orderBy: { id: "asc" },
  });
  if (rows.length === 0) return { counted: 0 };
  const counts = await countAudiences(prisma, programId, rows.map((row) => parseAudience(row.audience)), at);
  const updated = await prisma.$executeRaw`
    UPDATE "Offer" o SET "targetCount" = v."count", "targetCountedAt" = ${at}::timestamp
    FROM unnest(${rows.map((row) => row.id)}::int[], ${counts}::int[], ${rows.map((row) => JSON.stringify(row.audience))}::jsonb[]) AS v("id", "count", "audience")
    WHERE o."id" = v."id" AND o."programId" = ${programId} AND o."audience" = v."audience"
      AND (o."targetCountedAt" IS NULL OR o."targetCountedAt" < ${at}::timestamp)`;
  return { counted: updated };
}

async function checkTiers(programId: number, tierIds: number[]) {
  const known = new Set((await prisma.tier.findMany({ where: { programId }, select: { id: true } })).map((tier) => tier.id));
  const bad = tierIds.find((id) => !known.has(id));
  if (bad !== undefined) throw new AppError("VALIDATION", `tier ${bad} is not in this program`);
}

function normaliseAudience(audience: Audience): Audience {
  return { ...audience, tierIds: [...new Set(audience.tierIds)], preferredCategories: [...new Set(audience.preferredCategories)] };
}

/** Counts the members a draft audience would target, without saving anything. */
export async function previewAudience({ programId, audience }: { programId: number; audience: Audience }) {
  await checkTiers(programId, audience.tierIds);
  return { targetCount: await countAudience(prisma, programId, normaliseAudience(audience)) };
}

function ruleData(input: SaveOfferInput, audience: Audience, isActive: boolean, endsAt: Date) {
  return {
    name: input.title,
    config: {
      multiplierBps: Math.round((input.multiplier ?? 1) * 10_000),
      categories: [...new Set(input.categories)],
      tierIds: audience.tierIds,
      audience,
    } as Prisma.InputJsonObject,
    totalCapPoints: input.totalCapPoints,
    startsAt: input.startsAt!,
    endsAt,
    isActive,
  };
}

/**
 * Creates or edits an offer. A points offer writes its promotion rule in the same transaction
 * (a new rule version on every edit, so orders keep the version that paid them). Ended offers
 * can't be edited; the kind can't change.
 */
export async function saveOffer({ programId, actorUserId, input }: { programId: number; actorUserId: number; input: SaveOfferInput }) {
  const audience = normaliseAudience(input.audience);
  await checkTiers(programId, audience.tierIds);
  const code = input.kind === "CODE" ? input.code!.toUpperCase() : null;
  const data = {
    title: input.title,
    description: input.description,
    code,
    percentOff: input.kind === "CODE" ? (input.percentOff ?? null) : null,
    valueCents: input.kind === "CODE" ? (input.valueCents ?? null) : null,
    minOrderCents: input.kind === "CODE" ? input.minOrderCents : 0,
    hashtag: normaliseHashtag(input.hashtag),
    audience: audience as Prisma.InputJsonObject,
    startsAt: input.startsAt!,
    endsAt: input.endsAt!,
  };
  try {
    const saved = await prisma.$transaction(async (tx) => {
      if (input.id) {
        const [existing] = await tx.$queryRaw<{ id: number; kind: string; earnRuleId: number | null; status: string; endedAt: Date | null; endsAt: Date }[]>`
          SELECT "id", "kind", "earnRuleId", "status", "endedAt", "endsAt" FROM "Offer" WHERE "id" = ${input.id} AND "programId" = ${programId} FOR UPDATE`;
        if (!existing) throw new AppError("NOT_FOUND", "offer not found");
        if (existing.kind !== input.kind) throw new AppError("VALIDATION", "the kind of an offer can't change");
        if (existing.endedAt || existing.endsAt <= new Date()) throw new AppError("OFFER_ENDED");
        if (existing.earnRuleId) {
          await tx.earnRule.update({ where: { id: existing.earnRuleId }, data: { ...ruleData(input, audience, existing.status === "ACTIVE", input.endsAt!), version: { increment: 1 } } });
          await writeVersion(tx, existing.earnRuleId, actorUserId, "promotion.updated");
        }
        // the stored count was of the audience as it was: counted again below
        await tx.offer.update({ where: { id: existing.id }, data: { ...data, targetCount: null, targetCountedAt: null } });
        await writeAudit(tx, { actorUserId, action: "offer.updated", targetType: "offer", targetId: existing.id, data: { ...data, audience } });
        return { id: existing.id };
      }
      let earnRuleId: number | null = null;
      if (input.kind === "POINTS") {
        const rule = await tx.earnRule.create({ data: { programId, kind: "MULTIPLIER", ...ruleData(input, audience, true, input.endsAt!) }, select: { id: true } });
        await writeVersion(tx, rule.id, actorUserId, "promotion.created");
        earnRuleId = rule.id;
      }
      const offer = await tx.offer.create({ data: { programId, kind: input.kind, earnRuleId, ...data }, select: { id: true } });
      await writeAudit(tx, { actorUserId, action: "offer.created", targetType: "offer", targetId: offer.id, data: { kind: input.kind, ...data, audience } });
      return { id: offer.id };
    });
    invalidateEarningConfig(programId);
    // the list shows the new audience's size at once; should counting fail, the save stands and
    // the count-audiences job counts it
    await refreshOfferCounts(programId, { offerIds: [saved.id] }).catch((error) => console.error(`[offers] counting offer ${saved.id} failed`, error));
    return saved;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw new AppError("CODE_TAKEN");
    throw error;
  }
}

/**
 * Pause, resume or end an offer now. Pausing a points offer deactivates its rule; ending moves
 * its end to now. Each change writes a rule version and an audit entry; ending is final.
 */
export async function setOfferStatus({ programId, actorUserId, input, at = new Date() }: { programId: number; actorUserId: number; input: SetOfferStatusInput; at?: Date }) {
  const result = await prisma.$transaction(async (tx) => {
    const [offer] = await tx.$queryRaw<{ id: number; earnRuleId: number | null; status: string; endedAt: Date | null; endsAt: Date; startsAt: Date }[]>`
      SELECT "id", "earnRuleId", "status", "endedAt", "endsAt", "startsAt" FROM "Offer" WHERE "id" = ${input.id} AND "programId" = ${programId} FOR UPDATE`;
    if (!offer) throw new AppError("NOT_FOUND", "offer not found");
    if (offer.endedAt || offer.endsAt <= at) throw new AppError("OFFER_ENDED");
    if (input.action === "end") {
      // an offer that has not started yet ends before it starts (the window stays valid)
      const endsAt = at > offer.startsAt ? at : new Date(offer.startsAt.getTime() + 1);
      await tx.offer.update({ where: { id: offer.id }, data: { endedAt: at, endsAt } });
      if (offer.earnRuleId) {
        await tx.earnRule.update({ where: { id: offer.earnRuleId }, data: { endsAt, isActive: false, version: { increment: 1 } } });
        await writeVersion(tx, offer.earnRuleId, actorUserId, "promotion.ended");
      }
    } else {
      const status = input.action === "pause" ? "PAUSED" : "ACTIVE";
      if (status === offer.status) return { id: offer.id, changed: false };
      await tx.offer.update({ where: { id: offer.id }, data: { status } });
      if (offer.earnRuleId) {
        await tx.earnRule.update({ where: { id: offer.earnRuleId }, data: { isActive: status === "ACTIVE", version: { increment: 1 } } });
        await writeVersion(tx, offer.earnRuleId, actorUserId, status === "ACTIVE" ? "promotion.resumed" : "promotion.paused");
      }
    }
    await writeAudit(tx, { actorUserId, action: `offer.${input.action}`, targetType: "offer", targetId: offer.id });
    return { id: offer.id, changed: true };
  });
  invalidateEarningConfig(programId);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Members

export type MemberOffer = {
  id: number;
  kind: OfferKind;
  title: string;
  description: string;
  phase: "live" | "early" | "scheduled";
  startsAt: Date;
  endsAt: Date;
  /** when it opens for this member (earlier with early access) */
  opensAt: Date;
  earlyAccess: boolean;
  code: string | null;
  percentOff: number | null;
  valueCents: number | null;
  minOrderCents: number;
  hashtag: string | null;
  multiplier: number | null;
  categories: string[];
  tierIds: number[];
};

/** How far ahead members see offers that have not opened for them yet. */
const UPCOMING_DAYS = 14;

/**
 * The offers this member is targeted by: open now (live, or early for their tier) and those
 * opening within two weeks; paused and ended offers are hidden. Open offers come first,
 * soonest ending first.
 */
export async function getMemberOffers({ programId, customerId, at = new Date() }: { programId: number; customerId: number; at?: Date }): Promise<MemberOffer[]> {
  // the member's tier's early access in one statement (a relation select is two)
  const [customer] = await prisma.$queryRaw<{ earlyAccessHours: number | null }[]>`
    SELECT t."earlyAccessHours" FROM "Customer" c LEFT JOIN "Tier" t ON t."id" = c."tierId" WHERE c."id" = ${customerId} AND c."programId" = ${programId}`;
  if (!customer) throw new AppError("MEMBER_NOT_FOUND");
  const earlyAccessHours = customer.earlyAccessHours ?? 0;
  const rows = await prisma.offer.findMany({
    where: { programId, status: "ACTIVE", endedAt: null, endsAt: { gt: at }, startsAt: { lte: new Date(at.getTime() + UPCOMING_DAYS * DAY_MS + earlyAccessHours * 3_600_000) } },
    orderBy: [{ endsAt: "asc" }, { id: "asc" }],
  });
  if (rows.length === 0) return [];
  const audiences = new Map(rows.map((row) => [row.id, parseAudience(row.audience)]));
  const [matched, { byOffer }] = await Promise.all([
    matchAudiences(prisma, customerId, rows.map((row) => ({ key: row.id, audience: audiences.get(row.id)! })), at),
    loadOfferRules(programId, rows),
  ]);
  const offers = rows
    .filter((row) => matched.has(row.id))
    .map((row): MemberOffer => {
      const phase = offerPhase(row, at, earlyAccessHours) as MemberOffer["phase"];
      return {
        ...offerFields(row, byOffer.get(row.id)),
        phase,
        opensAt: opensAt(row, earlyAccessHours),
        earlyAccess: earlyAccessHours > 0 && at < row.startsAt,
        // a code is shown once the offer is open for the member
        code: phase === "scheduled" ? null : row.code,
        tierIds: audiences.get(row.id)!.tierIds,
      };
    });
  const rank = (offer: MemberOffer) => (offer.phase === "scheduled" ? 1 : 0);
  return offers.sort((a, b) => rank(a) - rank(b) || a.endsAt.getTime() - b.endsAt.getTime() || a.id - b.id);
}

export type CodeCheck =
  | { valid: true; offerId: number; code: string; percentOff: number | null; valueCents: number | null; minOrderCents: number; endsAt: Date }
  | { valid: false; reason: "unknown_code" | "not_started" | "ended" | "paused" | "not_eligible" | "below_minimum" };

/**
 * The shop asks at checkout whether a member may use an offer code: the code exists, the offer
 * is open for this member (early access counts), the member is in its audience and the order
 * reaches the minimum. Read-only: the shop applies the discount.
 */
export async function checkOfferCode({ programId, customerId, code, orderCents, at = new Date() }: { programId: number; customerId: number; code: string; orderCents?: number; at?: Date }): Promise<CodeCheck> {
  const offer = await prisma.offer.findFirst({ where: { programId, code: code.trim().toUpperCase() } });
  if (!offer) return { valid: false, reason: "unknown_code" };
  const customer = await prisma.customer.findFirst({ where: { id: customerId, programId }, select: { tier: { select: { earlyAccessHours: true } } } });
  if (!customer) throw new AppError("MEMBER_NOT_FOUND");
  const phase = offerPhase(offer, at, customer.tier?.earlyAccessHours ?? 0);
  if (phase === "ended") return { valid: false, reason: "ended" };
  if (phase === "paused") return { valid: false, reason: "paused" };
  if (phase === "scheduled") return { valid: false, reason: "not_started" };
  const matched = await matchAudiences(prisma, customerId, [{ key: offer.id, audience: parseAudience(offer.audience) }], at);
  if (!matched.has(offer.id)) return { valid: false, reason: "not_eligible" };
  if (orderCents !== undefined && orderCents < offer.minOrderCents) return { valid: false, reason: "below_minimum" };
  return { valid: true, offerId: offer.id, code: offer.code!, percentOff: offer.percentOff, valueCents: offer.valueCents, minOrderCents: offer.minOrderCents, endsAt: offer.endsAt };
}
