import "server-only";
import { Prisma } from "@/lib/db/generated/client";
import { prisma, type Tx } from "@/lib/db/prisma";
import { hotRows } from "@/lib/db/direct";
import { preparedSql } from "@/lib/db/prepared";
import { AppError } from "@/lib/domain/app-error";
import { applyEarnCaps, calculateOrderEarning, capPeriodStarts, type EarnBreakdown, type SpendConfig } from "@/lib/domain/earn-points";
import { evaluateTier, type TierDef } from "@/lib/domain/tiers";
import { awardActionInTx } from "./award-action";
import { getCachedEarningConfig, loadEarningConfig, rememberEarningConfig, type EarningConfig } from "./earning-config";
import { promotionsForMember } from "./offers";
import {
  TX_OPTIONS, addDays, addMonths, cachedSystemAccounts, creditPoints, ensureMemberAccount, ensureSystemAccounts, extendLotsOnActivity, hashRequest, lockMemberAccount, lotExpiry,
  openLedgerTransaction, type SystemAccounts,
} from "./ledger-core";
import { isUniqueViolation, retryOnDeadlock } from "@/lib/api/idempotency";
import { emitWebhookEvent } from "./webhook-events";
import type { ProgramSettings } from "./program";
import { holdReferralIfSharedInTx, orderSignalRows } from "./referrals";
import type { OrderSignalsInput } from "@/lib/validations/api";
import { qualifyingAmountSql, writeTierChanges } from "./tiers";

/** discountCents: the line's share of the order's stated discounts (lib/domain/earn-points allocateDiscounts) */
export type OrderLineInput = { sku: string; category?: string | null; quantity: number; unitPriceCents: number; discountCents?: number };

export type RecordOrderInput = {
  program: ProgramSettings;
  externalId: string;
  member: { externalId: string } | { email: string };
  currency: string;
  totalCents: number;
  shippingCents?: number;
  /** tax charged on top of the prices: recorded, never earns, not revenue */
  taxCents?: number;
  placedAt: Date;
  lines: OrderLineInput[];
  /** hashed identity signals from the shop (payment, shipping address, IP, device) for referral fraud checks */
  signals?: OrderSignalsInput;
};

/** All discounts the order states (its lines' shares add up to them). */
const discountOf = (lines: OrderLineInput[]) => lines.reduce((sum, line) => sum + (line.discountCents ?? 0), 0);

export type RecordOrderResult = { orderId: number; pointsEarned: number; pointsPending: number; tier: string | null };

type CustomerRow = {
  id: number;
  enrolledAt: Date | null;
  /** staff deactivated the member (fraud): their orders are recorded but earn nothing */
  deactivatedAt: Date | null;
  tierId: number | null;
  tierFloorId: number | null;
  tierGraceUntil: Date | null;
  accountId: number | null;
  /** what already counts towards a tier before this order (see lib/domain/tiers) */
  tierAmount: number;
  referredById: number | null;
};

/** A tier move this order causes (up only: orders never move a member down). */
type TierMove = { to: TierDef; from: TierDef | null; amount: number } | null;

export { loadEarningConfig, type EarningConfig };

/** The program's settings as this statement sees them, with the version of its rules. */
type FreshProgram = Omit<ProgramSettings, "id" | "name"> & { configVersion: number };

/**
 * The customer, their points account and what counts towards their tier on `at`, with the
 * program's current settings and config version (one round trip; cached copies are checked
 * against it). No customer row when the member isn't found.
 *
 * An order only ever moves a member up, so the window's sum (one row per order in it, the
 * read's main cost for a frequent buyer) is not read when nothing is above them: no tiers, or a
 * member at the top tier who is not in a grace period (tierAmount is then 0, and unused). The
 * tiers are those of the config the caller checks the returned configVersion against.
 */
async function findCustomer(
  tx: Tx, programId: number, member: RecordOrderInput["member"], at: Date, config: Pick<EarningConfig, "tiers" | "tierPolicy">,
): Promise<{ customer: CustomerRow | null; program: FreshProgram }> {
  const match = "externalId" in member ? Prisma.sql`c."externalId" = ${member.externalId}` : Prisma.sql`c."email" = ${member.email.toLowerCase()}`;
  // ranks are unique within a program (Tier @@unique([programId, rank])); null: the program has no tiers
  const topTierId = config.tiers.reduce<TierDef | null>((top, tier) => (top === null || tier.rank > top.rank ? tier : top), null)?.id ?? null;
  const rows = await hotRows<Partial<CustomerRow> & FreshProgram & { found: boolean }>(tx, Prisma.sql`${preparedSql}
    SELECT c."id" IS NOT NULL AS "found", c."id", c."enrolledAt", c."deactivatedAt", c."tierId", c."tierFloorId", c."tierGraceUntil", c."referredById", a."id" AS "accountId",
      CASE WHEN c."id" IS NULL OR ${topTierId}::int IS NULL OR (c."tierId" = ${topTierId}::int AND c."tierGraceUntil" IS NULL) THEN 0
        ELSE ${qualifyingAmountSql(config.tierPolicy, at)} END AS "tierAmount",
      p."currency", p."pointValueMillis", p."pendingDays", p."expiryMonths", p."expiryPolicy", p."expiringSoonDays", p."configVersion"
    FROM "Program" p
    LEFT JOIN "Customer" c ON c."programId" = p."id" AND ${match}
    LEFT JOIN "LedgerAccount" a ON a."customerId" = c."id"
    WHERE p."id" = ${programId}`);
  if (rows.length === 0) throw new AppError("NOT_FOUND", "program not found");
  const { found, currency, pointValueMillis, pendingDays, expiryMonths, expiryPolicy, expiringSoonDays, configVersion, ...customer } = rows[0];
  return {
    customer: found ? (customer as CustomerRow) : null,
    program: { currency, pointValueMillis, pendingDays, expiryMonths, expiryPolicy, expiringSoonDays, configVersion },
  };
}

/**
 * Records a shop order and, for members, awards its points through the ledger in the same
 * transaction: the spend rule's points as one EARN transaction and each promotion's extra as
 * its own BONUS transaction, each recording the rule version that produced it. Caps per member
 * (day/month) and promotion budgets are checked under locks (member account, then the capped
 * rule rows), so concurrent orders can't overshoot them. The tier is re-evaluated on trailing
 * 12-month spend including this order; a friend's first order pays the referral rule.
 */
export async function recordOrderInTx(tx: Tx, given: RecordOrderInput, preloaded?: EarningConfig): Promise<RecordOrderResult> {
  let loaded = preloaded ?? (await loadEarningConfig(tx, given.program.id));
  let found = await findCustomer(tx, given.program.id, given.member, given.placedAt, loaded);
  if (loaded.version !== undefined && loaded.version !== found.program.configVersion) {
    // the cached rules are older than what is committed (a change on another replica whose
    // announcement hasn't arrived yet): read them again here, so the change applies now
    loaded = await loadEarningConfig(tx, given.program.id);
    rememberEarningConfig(given.program.id, loaded);
    found = await findCustomer(tx, given.program.id, given.member, given.placedAt, loaded);
  }
  // the program's settings as committed now, whatever the caller had cached
  const { configVersion: _version, ...settings } = found.program;
  const input: RecordOrderInput = { ...given, program: { ...given.program, ...settings } };
  const { program } = input;
  // revenue is summed in one currency (docs/analytics.md): another one is refused, never summed
  if (input.currency !== program.currency) throw new AppError("CURRENCY_MISMATCH", `the order is in ${input.currency}; this program records ${program.currency} only; nothing was recorded`);
  if (!found.customer) throw new AppError("MEMBER_NOT_FOUND");
  const customer = found.customer;
  // a member order is one placed at or after joining (docs/analytics.md): a guest's earlier
  // orders stay non-member orders and earn nothing, whenever the shop reports them
  const isMember = customer.enrolledAt !== null && customer.enrolledAt <= input.placedAt;
  const config = isMember && customer.deactivatedAt === null ? loaded : null;
  // promotions limited to member attributes (an offer's audience) cost a query only when open
  const promotions = config && config.promotions.length > 0 ? await promotionsForMember(tx, config, customer.id, input.placedAt) : [];
  const earlyAccessHours = config?.tiers.find((tier) => tier.id === customer.tierId)?.earlyAccessHours ?? 0;
  let earn = calculateOrderEarning({ rule: config?.rule ?? null, promotions, tierId: customer.tierId, lines: input.lines, at: input.placedAt, earlyAccessHours });

  let accountId = customer.accountId;
  if (isMember && earn.total > 0) {
    const spendConfig = config?.rule?.config;
    const cappedPromotions = promotions.filter((promo) => promo.totalCapPoints !== null && earn.promotions.some((part) => part.ruleId === promo.id));
    if (spendConfig?.capPerMemberDay || spendConfig?.capPerMemberMonth || cappedPromotions.length > 0) {
      accountId ??= await ensureMemberAccount(tx, program.id, customer.id);
      await lockMemberAccount(tx, customer.id);
      earn = applyEarnCaps(earn, {
        memberRemaining: await memberCapRemaining(tx, customer.id, spendConfig, input.placedAt),
        promotionRemaining: await promotionBudgets(tx, cappedPromotions),
      });
    }
  }

  const { move: tier, endsGrace } = isMember && config ? tierDecisionFor(config, customer, input, earn.total) : { move: null, endsGrace: false };
  // The common case (no promotion, not a referral's first order, an existing account, expiry
  // after earning) is written in one statement; everything else takes the step-by-step path.
  const isSimple = isMember && config !== null && earn.promotions.length === 0 && customer.accountId !== null
    && program.expiryPolicy !== "INACTIVITY" && !(customer.referredById && input.totalCents > 0) && tier === null && customer.tierGraceUntil === null;
  const signals = orderSignalRows(input.signals);
  if (isSimple) return writeSimpleOrder(tx, { input, customer: { ...customer, accountId: customer.accountId! }, config: config!, earn, signals });

  const inserted = await tx.$queryRaw<{ id: number }[]>`
    INSERT INTO "Order" ("programId", "externalId", "customerId", "currency", "totalCents", "shippingCents", "taxCents", "discountCents", "placedAt", "isMemberOrder", "pointsEarned", "createdAt")
    VALUES (${program.id}, ${input.externalId}, ${customer.id}, ${input.currency}, ${input.totalCents}, ${input.shippingCents ?? 0}, ${input.taxCents ?? 0}, ${discountOf(input.lines)}, ${input.placedAt}, ${isMember}, ${earn.total}, ${input.placedAt})
    ON CONFLICT ("programId", "externalId") DO NOTHING RETURNING "id"`;
  if (inserted.length === 0) throw new AppError("ORDER_EXISTS");
  const orderId = inserted[0].id;
  await tx.$executeRaw`
    INSERT INTO "OrderLine" ("orderId", "lineNo", "sku", "category", "quantity", "unitPriceCents", "discountCents", "pointsEarned")
    VALUES ${Prisma.join(
      input.lines.map(
        (line, index) => Prisma.sql`(${orderId}, ${index + 1}, ${line.sku}, ${line.category ?? null}, ${line.quantity}, ${line.unitPriceCents}, ${line.discountCents ?? 0}, ${earn.linePoints[index]})`,
      ),
    )}`;
  if (signals.length > 0) {
    await tx.$executeRaw`
      INSERT INTO "OrderSignal" ("orderId", "customerId", "kind", "hash")
      VALUES ${Prisma.join(signals.map((signal) => Prisma.sql`(${orderId}, ${customer.id}, ${signal.kind}, ${signal.hash})`))}`;
  }

  if (!isMember || !config) return { orderId, pointsEarned: 0, pointsPending: 0, tier: null };

  if (tier) {
    await writeTierChanges(tx, {
      programId: program.id,
      policy: config.tierPolicy,
      changes: [{ customerId: customer.id, from: tier.from, to: tier.to, reason: "qualified", amount: tier.amount, orderId }],
      at: input.placedAt,
    });
  } else if (endsGrace) {
    await tx.$executeRaw`UPDATE "Customer" SET "tierGraceUntil" = NULL WHERE "id" = ${customer.id}`;
  }
  const tierName = tier?.to.name ?? currentTierName(config, customer);
  if (customer.referredById && input.totalCents > 0) {
    await payReferral(tx, { program, config, friendId: customer.id, referrerId: customer.referredById, orderId, orderExternalId: input.externalId, signals, at: input.placedAt });
  }
  if (earn.total === 0) return { orderId, pointsEarned: 0, pointsPending: 0, tier: tierName };

  accountId ??= await ensureMemberAccount(tx, program.id, customer.id);
  const availableAt = addDays(input.placedAt, program.pendingDays);
  const expiresAt = lotExpiry(program, input.placedAt);
  const parts = [
    { points: earn.base.points, kind: "EARN" as const, key: `order:${orderId}`, ruleId: config.rule?.id ?? null, ruleVersion: config.rule?.version ?? null, reason: "order" },
    ...earn.promotions.map((part) => ({ points: part.points, kind: "BONUS" as const, key: `order:${orderId}:promo:${part.ruleId}`, ruleId: part.ruleId, ruleVersion: part.version, reason: "promotion" })),
  ].filter((part) => part.points > 0);
  let credited = 0;
  let balance = 0;
  for (const [index, part] of parts.entries()) {
    const opened = await openLedgerTransaction(tx, {
      programId: program.id,
      kind: part.kind,
      source: "order",
      idempotencyKey: part.key,
      requestHash: hashRequest({ orderId, ruleId: part.ruleId }),
      customerId: customer.id,
      reason: part.reason,
      note: input.externalId,
      ruleId: part.ruleId,
      ruleVersion: part.ruleVersion,
      orderId,
      at: input.placedAt,
    });
    if (opened.replay) throw new AppError("ORDER_EXISTS");
    if (index === 0) await extendLotsOnActivity(tx, program, accountId, input.placedAt);
    const credit = await creditPoints(tx, {
      programId: program.id,
      accountId,
      transactionId: opened.id,
      points: part.points,
      availableAt,
      expiresAt,
      createdAt: input.placedAt,
    });
    credited += credit.credited;
    balance = credit.balance;
  }
  await emitWebhookEvent(tx, {
    programId: program.id,
    type: "points.earned",
    dedupeKey: `points.earned:order:${orderId}`,
    payload: { customerId: customer.id, orderId, orderExternalId: input.externalId, points: earn.total, availableAt: availableAt.toISOString(), balance },
    at: input.placedAt,
  });
  const isPending = availableAt > new Date();
  return { orderId, pointsEarned: earn.total, pointsPending: isPending ? credited : 0, tier: tierName };
}

/**
 * The order, its lines, the EARN transaction with its entries (debt repaid
 * first), the lot, the balance and the outbox events, in a single statement: one round trip
 * instead of ten. The account row is locked inside the statement before it is updated.
 */
async function writeSimpleOrder(
  tx: Tx,
  { input, customer, config, earn, signals }: {
    input: RecordOrderInput; customer: CustomerRow & { accountId: number }; config: EarningConfig; earn: EarnBreakdown; signals: { kind: string; hash: string }[];
  },
): Promise<RecordOrderResult> {
  const system = earn.total > 0 ? await ensureSystemAccounts(tx, input.program.id) : null;
  const rows = await tx.$queryRaw<{ orderId: number; repaid: number | null }[]>(simpleOrderSql({ input, customer, config, earn, signals, system }));
  if (rows.length === 0) throw new AppError("ORDER_EXISTS");
  return simpleOrderResult(input, config, customer, earn, rows[0]);
}

function simpleOrderResult(input: RecordOrderInput, config: EarningConfig, customer: CustomerRow, earn: EarnBreakdown, row: { orderId: number; repaid: number | null }): RecordOrderResult {
  const credited = earn.total - (row.repaid ?? 0);
  const isPending = addDays(input.placedAt, input.program.pendingDays) > new Date();
  return { orderId: row.orderId, pointsEarned: earn.total, pointsPending: isPending ? credited : 0, tier: currentTierName(config, customer) };
}

/**
 * The statement writeSimpleOrder runs. With `fused`, the order is written only while the guard
 * holds (what the caller decided on is still true), and the idempotency key is inserted with its
 * answer in the same statement (a taken key aborts the whole statement: unique violation).
 */
function simpleOrderSql({ input, customer, config, earn, signals, system, fused }: {
  input: RecordOrderInput; customer: CustomerRow & { accountId: number }; config: EarningConfig; earn: EarnBreakdown; signals: { kind: string; hash: string }[];
  system: SystemAccounts | null;
  fused?: { guard: Prisma.Sql; apiKeyId: number; key: string; requestHash: string };
}): Prisma.Sql {
  const { program } = input;
  const points = earn.total;
  const at = input.placedAt;
  const availableAt = addDays(at, program.pendingDays);
  const expiresAt = lotExpiry(program, at);
  // lines and signals as arrays, so the statement's text is the same whatever their number (it is prepared)
  const lines = Prisma.sql`unnest(${input.lines.map((_, index) => index + 1)}::int[], ${input.lines.map((line) => line.sku)}::text[], ${input.lines.map((line) => line.category ?? null)}::text[],
    ${input.lines.map((line) => line.quantity)}::int[], ${input.lines.map((line) => line.unitPriceCents)}::int[], ${input.lines.map((line) => line.discountCents ?? 0)}::int[], ${input.lines.map((_, index) => earn.linePoints[index])}::int[])`;
  let ledgerSql = Prisma.empty;
  if (points > 0) {
    if (!system) throw new Error("system accounts are needed to write points");
    ledgerSql = Prisma.sql`,
      locked AS (SELECT a."id", a."debt" FROM "LedgerAccount" a, o WHERE a."id" = ${customer.accountId} FOR UPDATE OF a),
      upd AS (
        UPDATE "LedgerAccount" a SET "debt" = a."debt" - LEAST(locked."debt", ${points}::int),
          "balance" = a."balance" + ${points}::int - LEAST(locked."debt", ${points}::int)
        FROM locked WHERE a."id" = locked."id"
        RETURNING a."balance", LEAST(locked."debt", ${points}::int) AS "repaid"),
      t AS (
        INSERT INTO "LedgerTransaction" ("programId", "kind", "source", "idempotencyKey", "requestHash", "customerId", "reason", "note",
          "ruleId", "ruleVersion", "orderId", "points", "balanceAfter", "createdAt")
        SELECT ${program.id}, 'EARN'::"TxKind", 'order', 'order:' || o."id", ${hashRequest({ order: input.externalId, ruleId: config.rule?.id ?? null })}, ${customer.id},
          'order', ${input.externalId}, ${config.rule?.id ?? null}::int, ${config.rule?.version ?? null}::int, o."id", ${points}, upd."balance", ${at}
        FROM o, upd RETURNING "id"),
      entries AS (
        INSERT INTO "LedgerEntry" ("transactionId", "accountId", "amount")
        SELECT t."id", x."account", x."amount" FROM t, upd,
          LATERAL (VALUES (${system.ISSUED}::int, ${-points}::int), (${customer.accountId}::int, ${points}::int - upd."repaid"), (${system.CLAWBACK}::int, upd."repaid")) AS x("account", "amount")
        WHERE x."amount" <> 0),
      lot AS (
        INSERT INTO "PointLot" ("accountId", "transactionId", "amount", "remaining", "availableAt", "expiresAt", "createdAt")
        SELECT ${customer.accountId}, t."id", ${points}::int - upd."repaid", ${points}::int - upd."repaid", ${availableAt}, ${expiresAt}, ${at}
        FROM t, upd WHERE ${points}::int - upd."repaid" > 0),
      earned_event AS (
        INSERT INTO "WebhookEvent" ("programId", "type", "dedupeKey", "payload")
        SELECT ${program.id}, 'points.earned', 'points.earned:order:' || o."id",
          jsonb_build_object('customerId', ${customer.id}::int, 'externalId', (SELECT c."externalId" FROM "Customer" c WHERE c."id" = ${customer.id}::int),
            'orderId', o."id", 'orderExternalId', ${input.externalId}::text, 'points', ${points}::int,
            'availableAt', ${availableAt.toISOString()}::text, 'balance', upd."balance", 'occurredAt', ${at.toISOString()}::text)
        FROM o, upd ON CONFLICT ("programId", "dedupeKey") DO NOTHING)`;
  }
  // the answer, byte for byte what JSON.stringify makes of { orderId, pointsEarned, pointsPending, tier }
  const isPending = availableAt > new Date();
  const repaid = points > 0 ? Prisma.sql`(SELECT "repaid" FROM upd)` : Prisma.sql`0`;
  const answerSql = fused
    ? Prisma.sql`,
      answer AS (
        INSERT INTO "ApiIdempotency" ("apiKeyId", "key", "requestHash", "statusCode", "responseBody")
        SELECT ${fused.apiKeyId}::int, ${fused.key}::text, ${fused.requestHash}::text, 201,
          '{"orderId":' || o."id" || ',"pointsEarned":' || ${points}::int || ',"pointsPending":' || ${isPending ? Prisma.sql`(${points}::int - ${repaid})` : Prisma.sql`0`}
          || ',"tier":' || ${JSON.stringify(currentTierName(config, customer))}::text || '}'
        FROM o RETURNING "responseBody")`
    : Prisma.empty;
  return Prisma.sql`${preparedSql}
    WITH o AS (
      INSERT INTO "Order" ("programId", "externalId", "customerId", "currency", "totalCents", "shippingCents", "taxCents", "discountCents", "placedAt", "isMemberOrder", "pointsEarned", "createdAt")
      SELECT ${program.id}::int, ${input.externalId}::text, ${customer.id}::int, ${input.currency}::text, ${input.totalCents}::int, ${input.shippingCents ?? 0}::int,
        ${input.taxCents ?? 0}::int, ${discountOf(input.lines)}::int, ${at}::timestamp, true, ${points}::int, ${at}::timestamp
      ${fused ? Prisma.sql`WHERE EXISTS (${fused.guard})` : Prisma.empty}
      ON CONFLICT ("programId", "externalId") DO NOTHING RETURNING "id"),
    order_lines AS (
      INSERT INTO "OrderLine" ("orderId", "lineNo", "sku", "category", "quantity", "unitPriceCents", "discountCents", "pointsEarned")
      SELECT o."id", v.n, v.sku, v.category, v.quantity, v.unit, v.discount, v.points FROM o, ${lines} AS v(n, sku, category, quantity, unit, discount, points)),
    order_signals AS (
      INSERT INTO "OrderSignal" ("orderId", "customerId", "kind", "hash")
      SELECT o."id", ${customer.id}::int, v.kind, v.hash FROM o, unnest(${signals.map((signal) => signal.kind)}::text[], ${signals.map((signal) => signal.hash)}::text[]) AS v(kind, hash))
    ${ledgerSql}
    ${answerSql}
    SELECT o."id" AS "orderId", ${points > 0 ? Prisma.sql`(SELECT "repaid" FROM upd)` : Prisma.sql`NULL::int`} AS "repaid"
      ${fused ? Prisma.sql`, (SELECT "responseBody" FROM answer) AS "answer"` : Prisma.empty}
    FROM o`;
}

/**
 * The common order (a member's, uncapped, no promotion, no referral, no tier move, an existing
 * account, expiry after earning) over the API in two round trips and no explicit transaction:
 * one read (the customer, the program's settings and version), then one statement that writes
 * the order, its points and the idempotency key with its answer, but only while what was decided
 * on still holds (the guard). Anything else, or a guard that no longer holds, a taken key or an
 * order that exists, answers null and nothing was written: the caller takes the transactional
 * path (withIdempotency + recordOrderInTx), which handles every case.
 */
export async function recordOrderFast(args: {
  input: RecordOrderInput; config: EarningConfig; apiKeyId: number; key: string; requestHash: string;
  /** tests: runs between the read and the write, to change what the decision rested on */
  beforeWrite?: () => Promise<void>;
}): Promise<{ status: number; text: string } | null> {
  const { config } = args;
  const system = cachedSystemAccounts(args.input.program.id);
  if (!system || config.version === undefined) return null;
  const found = await findCustomer(prisma, args.input.program.id, args.input.member, args.input.placedAt, config);
  const customer = found.customer;
  if (!customer || found.program.configVersion !== config.version || customer.accountId === null) return null;
  const { configVersion: _version, ...settings } = found.program;
  const input: RecordOrderInput = { ...args.input, program: { ...args.input.program, ...settings } };
  const { program } = input;
  if (input.currency !== program.currency) return null;
  const isMember = customer.enrolledAt !== null && customer.enrolledAt <= input.placedAt;
  if (!isMember || customer.deactivatedAt !== null || customer.tierGraceUntil !== null || program.expiryPolicy === "INACTIVITY") return null;
  if (customer.referredById && input.totalCents > 0) return null;
  const spend = config.rule?.config;
  if (spend?.capPerMemberDay || spend?.capPerMemberMonth) return null;
  // every promotion as if its audience matched: when none pays anything on this order (ended,
  // switched off, other categories or tiers), the member's audiences can't change that
  const earlyAccessHours = config.tiers.find((tier) => tier.id === customer.tierId)?.earlyAccessHours ?? 0;
  let earn = calculateOrderEarning({ rule: config.rule, promotions: config.promotions, tierId: customer.tierId, lines: input.lines, at: input.placedAt, earlyAccessHours });
  if (earn.promotions.length > 0) {
    // one may pay: with the audiences this member is in (one query, as the transaction does),
    // does one still pay? Then the transaction writes the bonus; otherwise this path goes on
    const promotions = await promotionsForMember(prisma, config, customer.id, input.placedAt);
    earn = calculateOrderEarning({ rule: config.rule, promotions, tierId: customer.tierId, lines: input.lines, at: input.placedAt, earlyAccessHours });
    if (earn.promotions.length > 0) return null;
  }
  const { move, endsGrace } = tierDecisionFor(config, customer, input, earn.total);
  if (move || endsGrace) return null;
  // what the decision rests on, checked again by the writing statement itself
  const guard = Prisma.sql`
    SELECT 1 FROM "Customer" c JOIN "Program" p ON p."id" = c."programId" JOIN "LedgerAccount" a ON a."customerId" = c."id"
    WHERE c."id" = ${customer.id}::int AND p."configVersion" = ${config.version}::int AND a."id" = ${customer.accountId}::int
      AND c."enrolledAt" <= ${input.placedAt}::timestamp AND c."deactivatedAt" IS NULL AND c."tierGraceUntil" IS NULL
      AND c."tierId" IS NOT DISTINCT FROM ${customer.tierId}::int AND c."referredById" IS NOT DISTINCT FROM ${customer.referredById}::int`;
  const sql = simpleOrderSql({
    input, customer: { ...customer, accountId: customer.accountId }, config, earn, signals: orderSignalRows(input.signals), system,
    fused: { guard, apiKeyId: args.apiKeyId, key: args.key, requestHash: args.requestHash },
  });
  await args.beforeWrite?.();
  try {
    const rows = await retryOnDeadlock(() => hotRows<{ orderId: number; answer: string | null }>(prisma, sql));
    if (rows.length === 0 || !rows[0].answer) return null;
    fastOrders.written += 1;
    return { status: 201, text: rows[0].answer };
  } catch (error) {
    // the key was taken meanwhile (its unique index aborted the statement): nothing was written
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

/** How many orders this process wrote on the fast path (tests and the bench read it). */
export const fastOrders = { written: 0 };

/** What the member may still earn from orders today and this month under the spend rule's caps. */
async function memberCapRemaining(tx: Tx, customerId: number, config: SpendConfig | undefined, at: Date): Promise<number | null> {
  if (!config?.capPerMemberDay && !config?.capPerMemberMonth) return null;
  const { day, month } = capPeriodStarts(at);
  const [usage] = await tx.$queryRaw<{ today: number; thisMonth: number }[]>`
    SELECT COALESCE(SUM("pointsEarned") FILTER (WHERE "placedAt" >= ${day} AND "placedAt" < ${addDays(day, 1)}), 0)::int AS "today",
           COALESCE(SUM("pointsEarned"), 0)::int AS "thisMonth"
    FROM "Order" WHERE "customerId" = ${customerId} AND "placedAt" >= ${month} AND "placedAt" < ${addMonths(month, 1)}`;
  const limits = [
    config.capPerMemberDay ? config.capPerMemberDay - usage.today : null,
    config.capPerMemberMonth ? config.capPerMemberMonth - usage.thisMonth : null,
  ].filter((value): value is number => value !== null);
  return Math.max(0, Math.min(...limits));
}

/** Locks capped promotions (by id) and returns what is left of each budget. */
async function promotionBudgets(tx: Tx, promotions: { id: number; totalCapPoints: number | null }[]): Promise<Record<number, number | null>> {
  if (promotions.length === 0) return {};
  const ids = promotions.map((promo) => promo.id).sort((a, b) => a - b);
  await tx.$queryRaw`SELECT "id" FROM "EarnRule" WHERE "id" = ANY(${ids}::int[]) ORDER BY "id" FOR UPDATE`;
  const used = await tx.$queryRaw<{ ruleId: number; issued: number }[]>`
    SELECT "ruleId", COALESCE(SUM("points"), 0)::int AS "issued" FROM "LedgerTransaction" WHERE "ruleId" = ANY(${ids}::int[]) GROUP BY "ruleId"`;
  return Object.fromEntries(promotions.map((promo) => [promo.id, (promo.totalCapPoints ?? 0) - (used.find((row) => row.ruleId === promo.id)?.issued ?? 0)]));
}

/**
 * Referral: on the friend's first paid order both the friend and the referrer earn (once,
 * keyed by the friend), pending for the order's return window like its purchase points and
 * linked to the order, so its return or cancellation reverses them (reverse-order-bonuses.ts).
 * The referrer's per-period limit applies; a referrer who isn't an enrolled member earns nothing.
 * When the order shares an identity signal with the referrer, nothing is paid: the referral
 * waits for staff review (referral-reviews.ts), which pays it through payReferralBonuses.
 */
async function payReferral(
  tx: Tx,
  args: {
    program: ProgramSettings; config: EarningConfig; friendId: number; referrerId: number; orderId: number; orderExternalId: string;
    signals: Parameters<typeof holdReferralIfSharedInTx>[1]["signals"]; at: Date;
  },
) {
  const rule = args.config.actions.REFERRAL;
  if (!rule) return;
  const [{ earlier }] = await tx.$queryRaw<{ earlier: number }[]>`
    SELECT COUNT(*)::int AS "earlier" FROM "Order" WHERE "customerId" = ${args.friendId} AND "id" <> ${args.orderId} AND "totalCents" > 0`;
  if (earlier > 0) return;
  const held = await holdReferralIfSharedInTx(tx, {
    programId: args.program.id, friendId: args.friendId, referrerId: args.referrerId, orderId: args.orderId, orderExternalId: args.orderExternalId, signals: args.signals, at: args.at,
  });
  if (held.length > 0) return;
  await payReferralBonuses(tx, { program: args.program, config: args.config, friendId: args.friendId, referrerId: args.referrerId, orderId: args.orderId, placedAt: args.at, at: args.at });
}

/**
 * Pays a referral's two bonuses for the friend's order placed at `placedAt`: the friend's, then
 * the referrer's (lock order friend -> referrer, as everywhere), each once by its key, available
 * when the order's return window closes. `at` is when they are written (an approval's time).
 */
export async function payReferralBonuses(
  tx: Tx,
  args: { program: ProgramSettings; config?: EarningConfig; friendId: number; referrerId: number; orderId: number; placedAt: Date; at: Date },
) {
  const config = args.config ?? (await loadEarningConfig(tx, args.program.id));
  const rule = config.actions.REFERRAL;
  if (!rule) return;
  const common = { program: args.program, config, kind: "REFERRAL" as const, source: "referral", at: args.at, ruleAt: args.placedAt, orderId: args.orderId, availableAt: addDays(args.placedAt, args.program.pendingDays) };
  const referrer = await tx.customer.findFirst({ where: { id: args.referrerId, programId: args.program.id, enrolledAt: { not: null } }, select: { id: true } });
  await awardActionInTx(tx, { ...common, customerId: args.friendId, key: `referral:friend:${args.friendId}`, reason: "referral_friend" });
  if (referrer) {
    await awardActionInTx(tx, { ...common, customerId: referrer.id, key: `referral:referrer:${args.friendId}`, points: rule.config.referrerPoints, reason: "referral" });
  }
}

/** Records an order in its own transaction; the rules come from the in-process cache. */
export async function recordOrder(input: RecordOrderInput) {
  // loaded before the transaction opens: a cache miss must never wait for a second pooled
  // connection while this transaction holds one
  const config = await getCachedEarningConfig(input.program.id);
  return prisma.$transaction((tx) => recordOrderInTx(tx, input, config), TX_OPTIONS);
}

/** What this order adds towards a tier: its total, or (basis POINTS) the points it earns. */
function orderTierAmount(config: EarningConfig, input: RecordOrderInput, points: number) {
  return config.tierPolicy.basis === "POINTS" ? points : input.totalCents;
}

/**
 * The tier decision for this order, evaluated once: a move up, or (for a member in their grace
 * period who is back above their tier's threshold) the end of the grace period.
 */
function tierDecisionFor(config: EarningConfig, customer: CustomerRow, input: RecordOrderInput, points: number): { move: TierMove; endsGrace: boolean } {
  const amount = customer.tierAmount + orderTierAmount(config, input, points);
  const decision = evaluateTier({
    tiers: config.tiers,
    policy: config.tierPolicy,
    amount,
    state: { tierId: customer.tierId, floorTierId: customer.tierFloorId, graceUntil: customer.tierGraceUntil },
    at: input.placedAt,
    mode: "order",
  });
  if (decision.tierId === customer.tierId || decision.tierId === null) {
    return { move: null, endsGrace: customer.tierGraceUntil !== null && decision.graceUntil === null };
  }
  const to = config.tiers.find((tier) => tier.id === decision.tierId)!;
  return { move: { to, from: config.tiers.find((tier) => tier.id === customer.tierId) ?? null, amount }, endsGrace: false };
}

function currentTierName(config: EarningConfig, customer: CustomerRow) {
  return config.tiers.find((tier) => tier.id === customer.tierId)?.name ?? null;
}
