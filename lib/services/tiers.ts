import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { prisma, type Tx } from "@/lib/db/prisma";
import { addMonths } from "@/lib/domain/dates";
import { evaluateTier, windowStart, type TierChangeReason, type TierDef, type TierPolicy } from "@/lib/domain/tiers";

export type TierChangeRow = {
  customerId: number;
  from: TierDef | null;
  to: TierDef | null;
  reason: TierChangeReason;
  amount: number;
  orderId?: number | null;
  actorUserId?: number | null;
};

/**
 * SQL for what one order adds towards a tier: its net spend, or (basis POINTS) the points it
 * earned net of what returns reversed.
 */
export function orderAmountSql(policy: TierPolicy) {
  return policy.basis === "POINTS"
    ? Prisma.sql`(o."pointsEarned" - COALESCE((SELECT SUM(l."pointsReversed") FROM "OrderLine" l WHERE l."orderId" = o."id"), 0))`
    : Prisma.sql`(o."totalCents" - o."returnedCents")`;
}

/**
 * Qualifying amounts are held as int (TierChange, TierAmount, the thresholds): a sum beyond the
 * int range (over $21,474,836.47 of spend in the window, or as many points) counts as the top of
 * the range. No threshold can be higher, so every placement is the same as with the true sum.
 */
const MAX_AMOUNT_VALUE = 2_147_483_647;
const MAX_AMOUNT = Prisma.raw(String(MAX_AMOUNT_VALUE));

/** `sum` as an int, capped at MAX_AMOUNT_VALUE (tier amounts here, a spend challenge's progress). */
export function cappedAmountSql(sum: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`LEAST(${sum}, ${MAX_AMOUNT})::int`;
}

/**
 * The tier window's orders on `at` (a predicate on the order aliased `o`) and the qualifying
 * amount summed over them: the rolling 12 months, or the better of this calendar year and the
 * last (see lib/domain/tiers). Shared by the per-customer and the set-based reads below.
 */
function qualifyingWindow(policy: TierPolicy, at: Date): { orders: Prisma.Sql; amount: Prisma.Sql } {
  const amount = orderAmountSql(policy);
  if (policy.window === "CALENDAR_YEAR") {
    const thisYear = new Date(Date.UTC(at.getUTCFullYear(), 0, 1));
    return {
      orders: Prisma.sql`o."placedAt" >= ${windowStart({ window: policy.window, at })} AND o."placedAt" <= ${at}`,
      amount: Prisma.sql`GREATEST(
        COALESCE(SUM(${amount}) FILTER (WHERE o."placedAt" >= ${thisYear}), 0),
        COALESCE(SUM(${amount}) FILTER (WHERE o."placedAt" < ${thisYear}), 0))`,
    };
  }
  return { orders: Prisma.sql`o."placedAt" > ${addMonths(at, -12)} AND o."placedAt" <= ${at}`, amount: Prisma.sql`COALESCE(SUM(${amount}), 0)` };
}

/** SQL for a customer's qualifying amount on `at` (the customer is aliased `c`). */
export function qualifyingAmountSql(policy: TierPolicy, at: Date) {
  const window = qualifyingWindow(policy, at);
  return cappedAmountSql(Prisma.sql`(SELECT ${window.amount} FROM "Order" o WHERE o."customerId" = c."id" AND ${window.orders})`);
}

/**
 * The qualifying amounts of a program's customers on `at`, set-based: one row ("customerId",
 * "amount") per customer with orders in the window, from one pass over the window's orders
 * (the same sums as qualifyingAmountSql; customers without a row have 0).
 */
export function qualifyingAmountsSql(programId: number, policy: TierPolicy, at: Date) {
  const window = qualifyingWindow(policy, at);
  return Prisma.sql`SELECT o."customerId", ${cappedAmountSql(window.amount)} AS "amount" FROM "Order" o
      WHERE o."programId" = ${programId} AND ${window.orders}
      GROUP BY o."customerId"`;
}

/**
 * True while the program's tier policy is still `policy`: amounts computed under a policy saved
 * over meanwhile are not kept (the save's own review writes every member's new amount).
 */
function policyStillSql(programId: number, policy: TierPolicy) {
  return Prisma.sql`EXISTS (SELECT 1 FROM "Program" p WHERE p."id" = ${programId} AND p."tierBasis" = ${policy.basis} AND p."tierWindow" = ${policy.window})`;
}

/**
 * Writes tier moves: the customers' tier, a TierChange row with the reason and the amount, and a
 * `tier.changed` event per move, all in the caller's transaction (set-based: one statement).
 */
export async function writeTierChanges(tx: Tx, { programId, policy, changes, at }: { programId: number; policy: TierPolicy; changes: TierChangeRow[]; at: Date }) {
  if (changes.length === 0) return;
  const column = <T,>(pick: (change: TierChangeRow) => T) => changes.map(pick);
  await tx.$executeRaw`
    WITH input AS (
      SELECT * FROM unnest(
        ${column((c) => c.customerId)}::int[], ${column((c) => c.from?.id ?? null)}::int[], ${column((c) => c.to?.id ?? null)}::int[],
        ${column((c) => c.from?.name ?? null)}::text[], ${column((c) => c.to?.name ?? null)}::text[], ${column((c) => c.reason)}::text[],
        ${column((c) => Math.min(c.amount, MAX_AMOUNT_VALUE))}::int[], ${column((c) => c.orderId ?? null)}::int[], ${column((c) => c.actorUserId ?? null)}::int[],
        ${column((c) => ((c.to?.rank ?? -1) > (c.from?.rank ?? -1) ? "up" : "down"))}::text[]
      ) AS i("customerId", "fromTierId", "toTierId", "fromTier", "toTier", "reason", "amount", "orderId", "actorUserId", "direction")),
    moved AS (
      UPDATE "Customer" c SET "tierId" = i."toTierId", "tierGraceUntil" = NULL FROM input i WHERE c."id" = i."customerId" RETURNING c."id"),
    changes AS (
      INSERT INTO "TierChange" ("programId", "customerId", "fromTierId", "toTierId", "fromTier", "toTier", "reason", "detail", "orderId", "actorUserId", "createdAt")
      SELECT ${programId}, i."customerId", i."fromTierId", i."toTierId", i."fromTier", i."toTier", i."reason",
        jsonb_build_object('amount', i."amount", 'basis', ${policy.basis}::text, 'window', ${policy.window}::text), i."orderId", i."actorUserId", ${at}
      FROM input i RETURNING "id", "customerId", "fromTierId", "toTierId", "fromTier", "toTier", "reason", "orderId"),
    directions AS (SELECT ch.*, i."direction" FROM changes ch JOIN input i ON i."customerId" = ch."customerId")
    INSERT INTO "WebhookEvent" ("programId", "type", "dedupeKey", "payload")
    SELECT ${programId}, 'tier.changed', 'tier.changed:' || ch."id",
      jsonb_build_object('customerId', ch."customerId", 'externalId', (SELECT c."externalId" FROM "Customer" c WHERE c."id" = ch."customerId"),
        'fromTierId', ch."fromTierId", 'toTierId', ch."toTierId", 'fromTier', ch."fromTier",
        'tier', ch."toTier", 'reason', ch."reason", 'direction', ch."direction", 'orderId', ch."orderId", 'occurredAt', ${at.toISOString()}::text)
    FROM directions ch
    ON CONFLICT ("programId", "dedupeKey") DO NOTHING`;
}

export type TierReviewResult = { reviewed: number; moved: number; up: number; down: number; graceStarted: number };

/**
 * Re-evaluates members' tiers (the periodic job, after a configuration change, after a VIP
 * floor is set): upgrades at once, downgrades after the grace period. Runs in batches, each
 * locking its customers first, so two runs at once (two replicas) move nobody twice.
 */
export async function reviewTiers({
  programId,
  at = new Date(),
  customerIds,
  reason,
  actorUserId,
  mode = "review",
}: {
  programId: number;
  at?: Date;
  customerIds?: number[];
  /** "order": as after an order (up only, a grace period ended by spend regained); default "review" */
  mode?: "order" | "review";
  /** overrides the reason of every move (config_change, floor, floor_removed) */
  reason?: TierChangeReason;
  actorUserId?: number | null;
}): Promise<TierReviewResult> {
  const result: TierReviewResult = { reviewed: 0, moved: 0, up: 0, down: 0, graceStarted: 0 };
  const { tiers, policy } = await loadTierSetup(prisma, programId);
  const scope = customerIds ? Prisma.sql`AND "id" = ANY(${customerIds}::int[])` : Prisma.empty;
  // a review of every member keeps each member's amount for the tier move preview (TierAmount);
  // while it runs, amounts of another policy may be overwritten: the last run's record is
  // withdrawn first, so the preview computes live until this run has written every member
  const keepsAmounts = customerIds === undefined;
  let startedAt: Date | null = null;
  if (keepsAmounts) {
    await prisma.$executeRaw`DELETE FROM "TierAmountRun" WHERE "programId" = ${programId} AND ("basis" <> ${policy.basis} OR "window" <> ${policy.window})`;
    // the database's clock, as the Customer "updatedAt" trigger sets it: a member changed from
    // now on (joined, floor set, moved) is computed live by the preview, not read from here
    [{ startedAt }] = await prisma.$queryRaw<{ startedAt: Date }[]>`SELECT clock_timestamp()::timestamp(3) AS "startedAt"`;
  }
  let afterId = 0;
  for (;;) {
    const batch = await prisma.$queryRaw<{ id: number }[]>`
      SELECT "id" FROM "Customer" WHERE "programId" = ${programId} AND "enrolledAt" IS NOT NULL AND "id" > ${afterId} ${scope}
      ORDER BY "id" LIMIT 1000`;
    if (batch.length === 0) break;
    afterId = batch[batch.length - 1].id;
    await prisma.$transaction(
      async (tx) => {
        const members = await tx.$queryRaw<{ id: number; tierId: number | null; tierFloorId: number | null; tierGraceUntil: Date | null; amount: number }[]>`
          SELECT c."id", c."tierId", c."tierFloorId", c."tierGraceUntil", ${qualifyingAmountSql(policy, at)} AS "amount"
          FROM "Customer" c WHERE c."id" = ANY(${batch.map((row) => row.id)}::int[]) ORDER BY c."id" FOR UPDATE OF c`;
        const changes: TierChangeRow[] = [];
        const grace: { id: number; until: Date | null }[] = [];
        for (const member of members) {
          result.reviewed += 1;
          const decision = evaluateTier({
            tiers,
            policy,
            amount: member.amount,
            state: { tierId: member.tierId, floorTierId: member.tierFloorId, graceUntil: member.tierGraceUntil },
            at,
            mode,
          });
          if (decision.tierId !== member.tierId) {
            const from = tiers.find((tier) => tier.id === member.tierId) ?? null;
            const to = tiers.find((tier) => tier.id === decision.tierId) ?? null;
            const isUp = (to?.rank ?? -1) > (from?.rank ?? -1) || (from === null && member.tierId !== null);
            if (isUp) result.up += 1;
            else result.down += 1;
            changes.push({ customerId: member.id, from, to, reason: reason ?? decision.reason ?? "qualified", amount: member.amount, actorUserId });
          } else if ((decision.graceUntil?.getTime() ?? null) !== (member.tierGraceUntil?.getTime() ?? null)) {
            if (decision.graceStarted) result.graceStarted += 1;
            grace.push({ id: member.id, until: decision.graceUntil });
          }
        }
        await writeTierChanges(tx, { programId, policy, changes, at });
        if (keepsAmounts && members.length > 0) {
          // only amounts that changed are written (most members' don't from one night to the next)
          await tx.$executeRaw`
            INSERT INTO "TierAmount" ("customerId", "programId", "amount", "floorTierId")
            SELECT m."id", ${programId}, m."amount", m."floorTierId"
            FROM unnest(${members.map((member) => member.id)}::int[], ${members.map((member) => member.amount)}::int[], ${members.map((member) => member.tierFloorId)}::int[]) AS m("id", "amount", "floorTierId")
            WHERE ${policyStillSql(programId, policy)}
            ON CONFLICT ("customerId") DO UPDATE SET "amount" = EXCLUDED."amount", "programId" = EXCLUDED."programId", "floorTierId" = EXCLUDED."floorTierId"
            WHERE ("TierAmount"."amount", "TierAmount"."programId", "TierAmount"."floorTierId") IS DISTINCT FROM (EXCLUDED."amount", EXCLUDED."programId", EXCLUDED."floorTierId")`;
        }
        if (grace.length > 0) {
          await tx.$executeRaw`
            UPDATE "Customer" c SET "tierGraceUntil" = g."until"::timestamp
            FROM unnest(${grace.map((g) => g.id)}::int[], ${grace.map((g) => g.until?.toISOString() ?? null)}::text[]) AS g("id", "until")
            WHERE c."id" = g."id"`;
        }
        result.moved += changes.length;
      },
      { maxWait: 30_000, timeout: 120_000 },
    );
  }
  if (keepsAmounts) {
    // every member's amount on `at` is written: record the run (never over a later one)
    await prisma.$executeRaw`
      INSERT INTO "TierAmountRun" ("programId", "at", "startedAt", "basis", "window")
      SELECT ${programId}, ${at}::timestamp, ${startedAt}::timestamp, ${policy.basis}, ${policy.window} WHERE ${policyStillSql(programId, policy)}
      ON CONFLICT ("programId") DO UPDATE SET "at" = EXCLUDED."at", "startedAt" = EXCLUDED."startedAt", "basis" = EXCLUDED."basis", "window" = EXCLUDED."window"
      WHERE "TierAmountRun"."at" <= EXCLUDED."at"`;
  }
  return result;
}

export type TierSetup = { tiers: (TierDef & { freeShipping: boolean; earlyAccessHours: number; birthdayGiftPoints: number; description: string })[]; policy: TierPolicy };

export async function loadTierSetup(db: Tx | typeof prisma, programId: number): Promise<TierSetup> {
  const [program, tiers] = await Promise.all([
    db.program.findUniqueOrThrow({ where: { id: programId }, select: { tierBasis: true, tierWindow: true, tierGraceDays: true } }),
    db.tier.findMany({
      where: { programId },
      orderBy: { rank: "asc" },
      select: { id: true, name: true, rank: true, minSpendCents: true, minPoints: true, freeShipping: true, earlyAccessHours: true, birthdayGiftPoints: true, description: true },
    }),
  ]);
  return { tiers, policy: toTierPolicy(program) };
}

export function toTierPolicy(program: { tierBasis: string; tierWindow: string; tierGraceDays: number }): TierPolicy {
  return {
    basis: program.tierBasis === "POINTS" ? "POINTS" : "SPEND",
    window: program.tierWindow === "CALENDAR_YEAR" ? "CALENDAR_YEAR" : "ROLLING_12_MONTHS",
    graceDays: program.tierGraceDays,
  };
}

/**
 * Places one member in the tier their orders so far qualify for (a new member starts in the
 * entry tier, or higher if their orders before joining already count), moving up only.
 */
export async function placeMemberInTx(tx: Tx, { programId, customerId, tiers, policy, at }: { programId: number; customerId: number; tiers: TierDef[]; policy: TierPolicy; at: Date }) {
  const [member] = await tx.$queryRaw<{ tierId: number | null; tierFloorId: number | null; tierGraceUntil: Date | null; amount: number }[]>`
    SELECT c."tierId", c."tierFloorId", c."tierGraceUntil", ${qualifyingAmountSql(policy, at)} AS "amount" FROM "Customer" c WHERE c."id" = ${customerId}`;
  if (!member) return;
  const decision = evaluateTier({
    tiers, policy, amount: member.amount, state: { tierId: member.tierId, floorTierId: member.tierFloorId, graceUntil: member.tierGraceUntil }, at, mode: "order",
  });
  if (decision.tierId === member.tierId || decision.tierId === null) return;
  const from = tiers.find((tier) => tier.id === member.tierId) ?? null;
  const to = tiers.find((tier) => tier.id === decision.tierId) ?? null;
  await writeTierChanges(tx, { programId, policy, changes: [{ customerId, from, to, reason: "qualified", amount: member.amount }], at });
}
