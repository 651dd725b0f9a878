import "server-only";
import { createHash } from "node:crypto";
import { Prisma } from "@/lib/db/generated/client";
import type { Tx } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import { addMonths } from "@/lib/domain/dates";
import { planLotConsumption, splitEarningAgainstDebt, type SpendableLot } from "@/lib/domain/ledger-math";

// Building blocks of every points movement. Callers own the database transaction; each
// helper keeps the lock order: member account first, then its lots by expiry and id.

export type SystemAccountKind = "ISSUED" | "REDEEMED" | "EXPIRED" | "CLAWBACK";
export type SystemAccounts = Record<SystemAccountKind, number>;

const systemAccountCache = new Map<number, SystemAccounts>();

export const TX_OPTIONS = { maxWait: 30_000, timeout: 60_000 } as const;

export function hashRequest(payload: unknown): string {
  return createHash("sha256").update(stableStringify(payload)).digest("hex");
}

/** An id no request holds (ids are int4): marks where the database's id goes in hashRequestSql. */
const ID_MARK = Number.MAX_SAFE_INTEGER;

/**
 * SQL computing `hashRequest(build(id))` for an id only the statement knows (`id`, an int
 * expression): the same stable JSON around the id, hashed by PostgreSQL's sha256. Lets a single
 * statement find a member and store the request's hash under the key it claims.
 */
export function hashRequestSql(build: (id: number) => unknown, id: Prisma.Sql): Prisma.Sql {
  const parts = stableStringify(build(ID_MARK)).split(String(ID_MARK));
  if (parts.length !== 2) throw new Error("hashRequestSql: the request must hold the id exactly once");
  return Prisma.sql`encode(sha256(convert_to(${parts[0]}::text || (${id})::text || ${parts[1]}::text, 'UTF8')), 'hex')`;
}

function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
}

export async function ensureSystemAccounts(tx: Tx, programId: number): Promise<SystemAccounts> {
  const cached = systemAccountCache.get(programId);
  if (cached) return cached;
  const inserted = await tx.$executeRaw`
    INSERT INTO "LedgerAccount" ("programId", "kind")
    SELECT ${programId}, k::"AccountKind" FROM unnest(ARRAY['ISSUED','REDEEMED','EXPIRED','CLAWBACK']) AS k
    ON CONFLICT DO NOTHING`;
  const rows = await tx.$queryRaw<{ id: number; kind: SystemAccountKind }[]>`
    SELECT "id", "kind"::text AS "kind" FROM "LedgerAccount" WHERE "programId" = ${programId} AND "customerId" IS NULL`;
  const accounts = Object.fromEntries(rows.map((row) => [row.kind, row.id])) as SystemAccounts;
  // Only cache rows another transaction committed (ON CONFLICT waited for it): rows this
  // transaction just inserted are invisible to others until it commits, and a concurrent
  // transaction using their ids from the cache would fail its foreign keys (or worse, if this
  // one rolls back).
  if (inserted === 0) systemAccountCache.set(programId, accounts);
  return accounts;
}

/** The program's system accounts if this process already knows them (committed), else null. */
export function cachedSystemAccounts(programId: number): SystemAccounts | null {
  return systemAccountCache.get(programId) ?? null;
}

/** Forgets cached account ids (tests drop and recreate databases). */
export function resetLedgerCaches() {
  systemAccountCache.clear();
}

export async function ensureMemberAccount(tx: Tx, programId: number, customerId: number): Promise<number> {
  const rows = await tx.$queryRaw<{ id: number }[]>`
    INSERT INTO "LedgerAccount" ("programId", "kind", "customerId") VALUES (${programId}, 'MEMBER', ${customerId})
    ON CONFLICT ("customerId") DO UPDATE SET "customerId" = EXCLUDED."customerId"
    RETURNING "id"`;
  return rows[0].id;
}

export type LedgerTxInput = {
  programId: number;
  kind: "EARN" | "BONUS" | "REDEEM" | "RETURN" | "EXPIRE" | "ADJUST";
  source: string;
  idempotencyKey: string;
  requestHash: string;
  customerId: number | null;
  reason: string;
  note?: string | null;
  ruleId?: number | null;
  ruleVersion?: number | null;
  orderId?: number | null;
  rewardId?: number | null;
  actorUserId?: number | null;
  at: Date;
};

export type StoredLedgerTx = { id: number; requestHash: string; balanceAfter: number | null };

/**
 * Opens a journal transaction under its idempotency key. A concurrent twin waits on the unique
 * index until the first commits, then sees it as a replay; a different payload is a conflict.
 */
export async function openLedgerTransaction(
  tx: Tx,
  input: LedgerTxInput,
): Promise<{ id: number; replay: false } | { replay: true; existing: StoredLedgerTx }> {
  const inserted = await tx.$queryRaw<{ id: number }[]>`
    INSERT INTO "LedgerTransaction"
      ("programId", "kind", "source", "idempotencyKey", "requestHash", "customerId", "reason", "note",
       "ruleId", "ruleVersion", "orderId", "rewardId", "actorUserId", "createdAt")
    VALUES (${input.programId}, ${input.kind}::"TxKind", ${input.source}, ${input.idempotencyKey}, ${input.requestHash},
      ${input.customerId}, ${input.reason}, ${input.note ?? null}, ${input.ruleId ?? null}, ${input.ruleVersion ?? null},
      ${input.orderId ?? null}, ${input.rewardId ?? null}, ${input.actorUserId ?? null}, ${input.at})
    ON CONFLICT ("programId", "source", "idempotencyKey") DO NOTHING
    RETURNING "id"`;
  if (inserted.length === 1) return { id: inserted[0].id, replay: false };
  const existing = await tx.$queryRaw<StoredLedgerTx[]>`
    SELECT "id", "requestHash", "balanceAfter" FROM "LedgerTransaction"
    WHERE "programId" = ${input.programId} AND "source" = ${input.source} AND "idempotencyKey" = ${input.idempotencyKey}`;
  if (existing.length === 0) throw new AppError("IDEMPOTENCY_IN_PROGRESS");
  if (existing[0].requestHash !== input.requestHash) throw new AppError("IDEMPOTENCY_CONFLICT");
  return { replay: true, existing: existing[0] };
}

export async function finishLedgerTransaction(tx: Tx, transactionId: number, balanceAfter: number) {
  await tx.$executeRaw`UPDATE "LedgerTransaction" SET "balanceAfter" = ${balanceAfter} WHERE "id" = ${transactionId}`;
}

type Entry = { accountId: number; amount: number };

export async function insertEntries(tx: Tx, transactionId: number, entries: Entry[]) {
  const rows = entries.filter((entry) => entry.amount !== 0);
  if (rows.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO "LedgerEntry" ("transactionId", "accountId", "amount")
    VALUES ${Prisma.join(rows.map((row) => Prisma.sql`(${transactionId}, ${row.accountId}, ${row.amount})`))}`;
}

/**
 * Credits earned points: debt is repaid first, the rest lands in a new lot with its own
 * availability and expiry. Two round trips: lock-and-update the account, then write the
 * entries, the lot and the transaction's balance in one statement. Returns the balance after.
 */
export async function creditPoints(
  tx: Tx,
  args: {
    programId: number;
    accountId: number;
    transactionId: number;
    points: number;
    availableAt: Date;
    expiresAt: Date | null;
    createdAt: Date;
  },
): Promise<{ balance: number; credited: number; repaid: number }> {
  if (!Number.isInteger(args.points) || args.points <= 0) throw new AppError("VALIDATION", "points must be a positive integer");
  const system = await ensureSystemAccounts(tx, args.programId);
  const rows = await tx.$queryRaw<{ balance: number; debtBefore: number }[]>`
    WITH locked AS (SELECT "id", "debt" FROM "LedgerAccount" WHERE "id" = ${args.accountId} FOR UPDATE)
    UPDATE "LedgerAccount" a
       SET "debt" = a."debt" - LEAST(a."debt", ${args.points}),
           "balance" = a."balance" + (${args.points} - LEAST(a."debt", ${args.points}))
      FROM locked WHERE a."id" = locked."id"
    RETURNING a."balance", locked."debt" AS "debtBefore"`;
  const { repaid, credited } = splitEarningAgainstDebt({ points: args.points, debt: rows[0].debtBefore });
  const entries = [
    { accountId: system.ISSUED, amount: -args.points },
    { accountId: args.accountId, amount: credited },
    { accountId: system.CLAWBACK, amount: repaid },
  ].filter((entry) => entry.amount !== 0);
  const lot = credited > 0
    ? Prisma.sql`, lot AS (
        INSERT INTO "PointLot" ("accountId", "transactionId", "amount", "remaining", "availableAt", "expiresAt", "createdAt")
        VALUES (${args.accountId}, ${args.transactionId}, ${credited}, ${credited}, ${args.availableAt}, ${args.expiresAt}, ${args.createdAt}))`
    : Prisma.empty;
  await tx.$executeRaw`
    WITH entries AS (
      INSERT INTO "LedgerEntry" ("transactionId", "accountId", "amount")
      VALUES ${Prisma.join(entries.map((entry) => Prisma.sql`(${args.transactionId}, ${entry.accountId}, ${entry.amount})`))}
    )${lot}
    UPDATE "LedgerTransaction" SET "balanceAfter" = ${rows[0].balance}, "points" = ${args.points} WHERE "id" = ${args.transactionId}`;
  return { balance: rows[0].balance, credited, repaid };
}

/** Locks the member account row; every debit starts here. */
export async function lockMemberAccount(tx: Tx, customerId: number) {
  const rows = await tx.$queryRaw<{ id: number; balance: number; debt: number }[]>`
    SELECT "id", "balance", "debt" FROM "LedgerAccount" WHERE "customerId" = ${customerId} FOR UPDATE`;
  return rows[0] ?? null;
}

/** Locks the member account row, opening the account first if the member has none yet. */
export async function lockOrOpenMemberAccount(tx: Tx, programId: number, customerId: number) {
  const account = await lockMemberAccount(tx, customerId);
  if (account) return account;
  await ensureMemberAccount(tx, programId, customerId);
  return (await lockMemberAccount(tx, customerId))!;
}

export type LotFilter = "spendable" | "expired" | "any";

/** Locks the account's lots that still hold points, soonest expiry first. */
export async function lockLots(
  tx: Tx,
  args: { accountId: number; filter: LotFilter; at: Date; preferTransactionId?: number },
): Promise<SpendableLot[]> {
  const prefer = args.preferTransactionId ?? -1;
  const condition =
    args.filter === "spendable"
      ? Prisma.sql`AND "availableAt" <= ${args.at} AND ("expiresAt" IS NULL OR "expiresAt" > ${args.at})`
      : args.filter === "expired"
        ? Prisma.sql`AND "expiresAt" <= ${args.at}`
        : Prisma.empty;
  return tx.$queryRaw<SpendableLot[]>`
    SELECT "id", "remaining" FROM "PointLot"
    WHERE "accountId" = ${args.accountId} AND "remaining" > 0 ${condition}
    ORDER BY ("transactionId" = ${prefer}) DESC, "expiresAt" ASC NULLS LAST, "id" ASC
    FOR UPDATE`;
}

/**
 * Moves `amount` points out of a member account into a system account, consuming the given
 * lots in order and recording which lots paid. The account must already be locked.
 */
export async function debitPoints(
  tx: Tx,
  args: { accountId: number; transactionId: number; amount: number; lots: SpendableLot[]; to: number },
): Promise<number> {
  const plan = planLotConsumption({ lots: args.lots, amount: args.amount });
  await tx.$executeRaw`
    UPDATE "PointLot" p SET "remaining" = p."remaining" - v.take
    FROM (VALUES ${Prisma.join(plan.map((take) => Prisma.sql`(${take.lotId}::int, ${take.amount}::int)`))}) AS v(id, take)
    WHERE p."id" = v.id`;
  await tx.$executeRaw`
    INSERT INTO "LotConsumption" ("lotId", "transactionId", "amount")
    VALUES ${Prisma.join(plan.map((take) => Prisma.sql`(${take.lotId}, ${args.transactionId}, ${take.amount})`))}`;
  const rows = await tx.$queryRaw<{ balance: number }[]>`
    UPDATE "LedgerAccount" SET "balance" = "balance" - ${args.amount} WHERE "id" = ${args.accountId} RETURNING "balance"`;
  await insertEntries(tx, args.transactionId, [
    { accountId: args.accountId, amount: -args.amount },
    { accountId: args.to, amount: args.amount },
  ]);
  return rows[0].balance;
}

/** When a lot earned at `at` expires under the program's policy. */
export function lotExpiry(program: { expiryMonths: number | null }, at: Date): Date | null {
  return program.expiryMonths ? addMonths(at, program.expiryMonths) : null;
}

/**
 * Under the inactivity policy every activity (earning, redeeming) pushes the expiry of all
 * the member's unexpired points out to N months from now (already-expired lots stay expired
 * for the expiry job). The account must already be locked.
 */
export async function extendLotsOnActivity(
  tx: Tx,
  program: { expiryMonths: number | null; expiryPolicy: string },
  accountId: number,
  at: Date,
) {
  if (program.expiryPolicy !== "INACTIVITY" || !program.expiryMonths) return;
  await tx.$executeRaw`
    UPDATE "PointLot" SET "expiresAt" = ${addMonths(at, program.expiryMonths)}
    WHERE "accountId" = ${accountId} AND "remaining" > 0 AND "expiresAt" > ${at}`;
}

export { addDays, addMonths } from "@/lib/domain/dates";
