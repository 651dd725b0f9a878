import "server-only";
import { prisma, type Tx } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import { parseBalancesCsv, parseOrdersCsv, type ImportBalance, type ImportOrder, type RowError } from "@/lib/domain/csv-import";
import { calculateOrderEarning } from "@/lib/domain/earn-points";
import { addDays } from "@/lib/domain/dates";
import { loadEarningConfig, type EarningConfig } from "./earning-config";
import { creditPoints, ensureMemberAccount, ensureSystemAccounts, hashRequest, lotExpiry, openLedgerTransaction } from "./ledger-core";
import type { ProgramSettings } from "./program";
import { recordOrderInTx } from "./record-order";
import { writeAudit } from "./audit";

// Bulk import of historic orders and opening balances. Orders go through a set-based path:
// per batch (1,000 orders at first, then sized to take about 400 ms) one statement writes orders,
// lines, EARN transactions, entries, lots and balances (after one that locks the earning
// accounts), so imports run at thousands of orders a second
// with the same ledger rows the live path writes. Re-running a file is a no-op: orders are
// unique by their external id and opening balances by member.
//
// Historic orders earn under the spend rule as saved when their batch is planned (rate, category multipliers,
// exclusions, rounding, minimum) but not tier multipliers (the tier a member held back then
// is unknown), promotions, caps or referral bonuses, and emit no webhooks. Members are placed
// in their tiers once, when the file is done (import-jobs.ts);
// an order placed before the customer joined counts as a non-member order. Members whose
// account carries debt go through the live path so the debt is repaid first.

/** The first batch's size in units (orders, balances); later ones are sized by time (import-jobs.ts nextBatchSize). */
export const IMPORT_BATCH = 1000;
export const MAX_IMPORT_BATCH = 5000;
/** About how long one batch transaction should hold its members' accounts. */
export const IMPORT_BATCH_TARGET_MS = 400;
export const MAX_STORED_ERRORS = 200;
/** The largest file one API request may upload (checked while the body streams). */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

export type ImportKind = "ORDERS" | "BALANCES";
export type ImportProgress = { imported: number; skipped: number; failed: number; processed: number };

type CustomerRow = { id: number; externalId: string; email: string; enrolledAt: Date | null; deactivatedAt: Date | null; tierId: number | null; accountId: number | null; debt: number | null };

export type PreparedImport = { kind: ImportKind; filename: string; csv: string; totalRows: number; parsed: ReturnType<typeof parseOrdersCsv> | ReturnType<typeof parseBalancesCsv> };
/** What a job runner imports: the file's rows as validated (the CSV text itself is not needed). */
export type ImportContent = Pick<PreparedImport, "kind" | "totalRows" | "parsed">;

/** Parses and validates a file; a file-level problem (columns, no rows) is a VALIDATION error. */
export function prepareImport({ kind, filename, csv }: { kind: ImportKind; filename: string; csv: string }): PreparedImport {
  const parsed = kind === "ORDERS" ? parseOrdersCsv(csv) : parseBalancesCsv(csv);
  if (parsed.fileErrors.length > 0) throw new AppError("VALIDATION", parsed.fileErrors.join("; "));
  if (parsed.totalRows === 0) throw new AppError("VALIDATION", "the file has no data rows");
  return { kind, filename: filename.replaceAll("\u0000", "").slice(0, 200), csv, totalRows: parsed.totalRows, parsed };
}

/**
 * The units an upload was validated into, stored with its file so the job runner needn't parse
 * and validate the CSV again (about 370 ms per 20,000 rows). Compact arrays, about 1.6 times the
 * CSV's size; version-tagged: a job stored in another format (or before this column) is parsed from
 * its CSV. Only the units are kept: the file's errors and counts are on the job already.
 */
const STORED_UNITS_VERSION = 1;
type StoredOrder = [string, 0 | 1, string, number, string, number, number, number, number, number[], [string, string | null, number, number, number][]];
type StoredBalance = [number, string, number, string, number | null];

export function storedUnits(parsed: PreparedImport["parsed"]): string {
  if ("orders" in parsed) {
    const orders: StoredOrder[] = parsed.orders.map((order) => [
      order.externalId, "externalId" in order.member ? 0 : 1, "externalId" in order.member ? order.member.externalId : order.member.email,
      order.placedAt.getTime(), order.currency, order.totalCents, order.shippingCents, order.taxCents, order.discountCents, order.rows,
      order.lines.map((line) => [line.sku, line.category, line.quantity, line.unitPriceCents, line.discountCents]),
    ]);
    return JSON.stringify({ v: STORED_UNITS_VERSION, orders });
  }
  const balances: StoredBalance[] = parsed.balances.map((balance) => [balance.row, balance.memberExternalId, balance.points, balance.note, balance.asOf?.getTime() ?? null]);
  return JSON.stringify({ v: STORED_UNITS_VERSION, balances });
}

/** The job's units from their stored form, or null when they must be read from the CSV. */
export function preparedFromStored({ kind, rows, totalRows }: { kind: ImportKind; rows: string | null; totalRows: number }): ImportContent | null {
  if (!rows) return null;
  let stored: { v?: unknown; orders?: StoredOrder[]; balances?: StoredBalance[] };
  try {
    stored = JSON.parse(rows);
  } catch {
    return null;
  }
  if (stored.v !== STORED_UNITS_VERSION) return null;
  const base = { errors: [] as RowError[], fileErrors: [] as string[], totalRows };
  if (kind === "ORDERS" && Array.isArray(stored.orders)) {
    const orders: ImportOrder[] = stored.orders.map(([externalId, memberKind, memberValue, placedAt, currency, totalCents, shippingCents, taxCents, discountCents, rowNumbers, lines]) => ({
      rows: rowNumbers, externalId, member: memberKind === 0 ? { externalId: memberValue } : { email: memberValue }, placedAt: new Date(placedAt), currency,
      totalCents, shippingCents, taxCents, discountCents,
      lines: lines.map(([sku, category, quantity, unitPriceCents, lineDiscountCents]) => ({ sku, category, quantity, unitPriceCents, discountCents: lineDiscountCents })),
    }));
    return { kind, totalRows, parsed: { ...base, orders } };
  }
  if (kind === "BALANCES" && Array.isArray(stored.balances)) {
    const balances: ImportBalance[] = stored.balances.map(([row, memberExternalId, points, note, asOf]) => ({ row, memberExternalId, points, note, asOf: asOf === null ? null : new Date(asOf) }));
    return { kind, totalRows, parsed: { ...base, balances } };
  }
  return null;
}

/** Rows refused when the file was read (bad values): processed and failed from the start. */
function invalidRows({ parsed, totalRows }: PreparedImport): number {
  return "orders" in parsed ? totalRows - parsed.orders.reduce((sum, order) => sum + order.rows.length, 0) : parsed.errors.length;
}

/**
 * The queued job and its file (in the caller's transaction, so an idempotent API retry finds the
 * same job). A job runner (lib/services/import-jobs.ts) imports it; the file is kept until then
 * so any process can run or resume it.
 */
export async function createImportJob(db: Tx, { programId, prepared, actorUserId }: { programId: number; prepared: PreparedImport; actorUserId: number | null }) {
  const invalid = invalidRows(prepared);
  const job = await db.importJob.create({
    data: {
      programId, kind: prepared.kind, filename: prepared.filename, totalRows: prepared.totalRows, processedRows: invalid, failedRows: invalid,
      errors: prepared.parsed.errors.slice(0, MAX_STORED_ERRORS), createdById: actorUserId, file: { create: { csv: prepared.csv, rows: storedUnits(prepared.parsed) } },
    },
    select: { id: true },
  });
  if (actorUserId) await writeAudit(db, { actorUserId, action: "import.started", targetType: "import", targetId: job.id, data: { kind: prepared.kind, filename: prepared.filename, rows: prepared.totalRows } });
  return job.id;
}

/** Console and tests: validate the file and queue the import; the job runner imports it. */
export async function startImport({ programId, kind, filename, csv, actorUserId }: { programId: number; kind: ImportKind; filename: string; csv: string; actorUserId: number | null }) {
  const prepared = prepareImport({ kind, filename, csv });
  const jobId = await prisma.$transaction((tx) => createImportJob(tx, { programId, prepared, actorUserId }));
  return { id: jobId, totalRows: prepared.totalRows };
}

export type BatchTally = ImportProgress & { errors: RowError[] };
/** A slice of the file read and planned, ready to be written in a batch transaction. */
export type ImportSlice = { from: number; to: number; write: (tx: Tx) => Promise<BatchTally> };

/**
 * The file as the units it is imported in (orders, or members' opening balances): how many there
 * are, and how to import a slice of them. `prepare` reads and plans a slice outside any
 * transaction (the customers, the earning config, the points, the statement's input); the slice's
 * `write` then runs in the caller's batch transaction. A runner commits slice after slice and can
 * resume at any unit; a unit imported before is skipped, never doubled.
 */
export async function importUnits(prepared: ImportContent, program: ProgramSettings): Promise<{ count: number; prepare: (from: number, to: number) => Promise<ImportSlice> }> {
  const { parsed } = prepared;
  if ("orders" in parsed) {
    const system = await ensureSystemAccounts(prisma, program.id);
    return {
      count: parsed.orders.length,
      prepare: async (from, to) => {
        const batch = parsed.orders.slice(from, to);
        const config = await loadEarningConfig(prisma, program.id);
        const plan = await planOrderBatch(prisma, program, config, batch);
        const units = batch.map((order) => ({ rows: order.rows.length, row: order.rows[0] }));
        return { from, to, write: async (tx) => tally(await writeOrderPlan(tx, program, config, system.ISSUED, plan), units) };
      },
    };
  }
  return {
    count: parsed.balances.length,
    prepare: async (from, to) => {
      const batch = parsed.balances.slice(from, to);
      return { from, to, write: async (tx) => tally(await importBalanceBatch(tx, program, batch), batch.map((balance) => ({ rows: 1, row: balance.row }))) };
    },
  };
}

function tally(outcomes: Outcome[], units: { rows: number; row: number }[]): BatchTally {
  const result: BatchTally = { imported: 0, skipped: 0, failed: 0, processed: 0, errors: [] };
  outcomes.forEach((outcome, index) => {
    const { rows, row } = units[index];
    result.processed += rows;
    if (outcome === "imported") result.imported += rows;
    else if (outcome === "skipped") result.skipped += rows;
    else {
      result.failed += rows;
      result.errors.push({ row, message: outcome.error });
    }
  });
  return result;
}

type Outcome = "imported" | "skipped" | { error: string };

/** An order of a batch as decided before writing: its customer, whether a member's, its points. */
type Planned = { index: number; order: ImportOrder; customer: CustomerRow; isMember: boolean; linePoints: number[]; points: number };
/** Whether the order posts an EARN transaction (and so needs the member's account). */
const earns = (p: Planned) => p.isMember && p.points > 0;

/**
 * A batch of orders as planned before its transaction: each order's customer, points and outcome
 * so far, the orders for the set-based statement (with its input already serialized), and those
 * of members with debt, which take the live path.
 */
type OrderPlan = { outcomes: Outcome[]; planned: Planned[]; slow: { index: number; order: ImportOrder }[]; input: { orders: string; lines: string } | null };

/**
 * Reads the batch's customers and decides each order: refused (no such customer, another
 * currency), the live path (a member with debt, so the debt is repaid first), or the set-based
 * statement with its points. Earning members who never had an account get one here (an empty
 * account changes no balance). Runs before the batch's transaction (while the previous batch
 * writes, with a pool), which then holds its locks only to write; what may change meanwhile for an
 * earning member (debt, deactivation, enrolment) is checked again under the batch's locks.
 */
async function planOrderBatch(db: Tx, program: ProgramSettings, config: EarningConfig, batch: ImportOrder[]): Promise<OrderPlan> {
  const customers = await findCustomers(db, program.id, batch);
  const outcomes: Outcome[] = batch.map(() => "skipped");
  const planned: Planned[] = [];
  const slow: { index: number; order: ImportOrder }[] = [];
  for (const [index, order] of batch.entries()) {
    if (index > 0 && index % PLAN_CHUNK === 0) await yieldToEventLoop();
    const customer = "externalId" in order.member ? customers.byExternalId.get(order.member.externalId) : customers.byEmail.get(order.member.email);
    if (!customer) {
      outcomes[index] = { error: `order ${order.externalId}: no customer ${"externalId" in order.member ? order.member.externalId : order.member.email}` };
      continue;
    }
    if (order.currency !== program.currency) {
      outcomes[index] = { error: `order ${order.externalId}: currency ${order.currency} is not the program currency ${program.currency}` };
      continue;
    }
    if ((customer.debt ?? 0) > 0) {
      slow.push({ index, order });
      continue;
    }
    const isMember = customer.enrolledAt !== null && customer.enrolledAt <= order.placedAt;
    // a deactivated member's orders are recorded but earn nothing, as on the API
    const earn = isMember && customer.deactivatedAt === null ? earnFor(config, order) : { total: 0, linePoints: order.lines.map(() => 0) };
    planned.push({ index, order, customer, isMember, linePoints: earn.linePoints, points: earn.total });
  }
  // accounts for earning members who never had one
  const missing = [...new Set(planned.filter((p) => earns(p) && p.customer.accountId === null).map((p) => p.customer.id))];
  if (missing.length > 0) {
    const created = await db.$queryRaw<{ id: number; customerId: number }[]>`
      INSERT INTO "LedgerAccount" ("programId", "kind", "customerId") SELECT ${program.id}, 'MEMBER', unnest(${missing}::int[])
      ON CONFLICT ("customerId") DO UPDATE SET "customerId" = EXCLUDED."customerId" RETURNING "id", "customerId"`;
    const byCustomer = new Map(created.map((row) => [row.customerId, row.id]));
    for (const p of planned) if (earns(p)) p.customer.accountId ??= byCustomer.get(p.customer.id) ?? null;
  }
  return { outcomes, planned, slow, input: await orderInput(program, planned) };
}

/**
 * Writes a planned batch in the caller's transaction: every earning account locked in id order
 * (the live paths lock one account, then its lots), then the batch's one statement, then the
 * members with debt through the live path. An earning member whose debt, deactivation or
 * enrolment changed since the batch was planned moves to the live path too, with all their orders.
 */
async function writeOrderPlan(tx: Tx, program: ProgramSettings, config: EarningConfig, issuedAccountId: number, plan: OrderPlan): Promise<Outcome[]> {
  const outcomes = [...plan.outcomes];
  let { planned, input } = plan;
  const slow = [...plan.slow];
  const accountIds = [...new Set(planned.filter(earns).map((p) => p.customer.accountId!))].sort((a, b) => a - b);
  if (accountIds.length > 0) {
    const locked = await tx.$queryRaw<{ id: number; debt: number; enrolledAt: Date | null; deactivatedAt: Date | null }[]>`
      SELECT a."id", a."debt", c."enrolledAt", c."deactivatedAt" FROM "LedgerAccount" a JOIN "Customer" c ON c."id" = a."customerId"
      WHERE a."id" = ANY(${accountIds}::int[]) ORDER BY a."id" FOR UPDATE OF a`;
    const current = new Map(locked.map((row) => [row.id, row]));
    // changed since planned: a debt to repay first, a deactivation, another enrolment: the live path decides
    const changed = (p: Planned) => {
      const state = p.customer.accountId === null ? undefined : current.get(p.customer.accountId);
      return state !== undefined && (state.debt > 0 || state.deactivatedAt !== null || state.enrolledAt?.getTime() !== p.customer.enrolledAt?.getTime());
    };
    const moved = new Set(planned.filter((p) => earns(p) && changed(p)).map((p) => p.customer.id));
    if (moved.size > 0) {
      // every order of such a member, so their orders keep their order
      slow.push(...planned.filter((p) => moved.has(p.customer.id)).map(({ index, order }) => ({ index, order })));
      slow.sort((a, b) => a.index - b.index);
      planned = planned.filter((p) => !moved.has(p.customer.id));
      input = await orderInput(program, planned);
    }
  }
  if (input) {
    const imported = await writeOrderBatch(tx, program, config, issuedAccountId, input);
    for (const index of imported) outcomes[index] = "imported";
  }
  // Members with debt: the live path, so their debt is repaid before new points land.
  for (const { index, order } of slow) {
    const exists = await tx.order.findFirst({ where: { programId: program.id, externalId: order.externalId }, select: { id: true } });
    if (exists) continue;
    await recordOrderInTx(tx, { program, externalId: order.externalId, member: order.member, currency: order.currency, totalCents: order.totalCents, shippingCents: order.shippingCents, taxCents: order.taxCents, placedAt: order.placedAt, lines: order.lines }, config);
    outcomes[index] = "imported";
  }
  return outcomes;
}

/** Base earning: a historic order's tier at the time is unknown, so no tier multiplier. */
function earnFor(config: EarningConfig, order: ImportOrder) {
  return calculateOrderEarning({ rule: config.rule, promotions: [], tierId: null, lines: order.lines, at: order.placedAt });
}

async function findCustomers(db: Tx, programId: number, batch: ImportOrder[]) {
  const externalIds = [...new Set(batch.flatMap((order) => ("externalId" in order.member ? [order.member.externalId] : [])))];
  const emails = [...new Set(batch.flatMap((order) => ("email" in order.member ? [order.member.email] : [])))];
  const rows = await db.$queryRaw<CustomerRow[]>`
    SELECT c."id", c."externalId", c."email", c."enrolledAt", c."deactivatedAt", c."tierId", a."id" AS "accountId", a."debt"
    FROM "Customer" c LEFT JOIN "LedgerAccount" a ON a."customerId" = c."id"
    WHERE c."programId" = ${programId} AND (c."externalId" = ANY(${externalIds}::text[]) OR c."email" = ANY(${emails}::text[]))`;
  return { byExternalId: new Map(rows.map((row) => [row.externalId, row])), byEmail: new Map(rows.map((row) => [row.email, row])) };
}

/**
 * Planning works in chunks of this many orders, letting the event loop run between them: the
 * runner plans the next batch while the current one's statements go back and forth, and they
 * must not wait behind a long synchronous stretch.
 */
const PLAN_CHUNK = 250;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The set-based statement's input: the planned orders and their lines as two JSON documents (null when none). */
async function orderInput(program: ProgramSettings, planned: Planned[]): Promise<{ orders: string; lines: string } | null> {
  if (planned.length === 0) return null;
  const orders: string[] = [];
  const lines: string[] = [];
  for (let from = 0; from < planned.length; from += PLAN_CHUNK) {
    if (from > 0) await yieldToEventLoop();
    const chunk = planned.slice(from, from + PLAN_CHUNK);
    orders.push(JSON.stringify(chunk.map((p) => {
      const earning = earns(p);
      return {
        i: p.index, ext: p.order.externalId, customer: p.customer.id, account: earning ? p.customer.accountId : null, currency: p.order.currency,
        total: p.order.totalCents, shipping: p.order.shippingCents, tax: p.order.taxCents, discount: p.order.lines.reduce((sum, line) => sum + line.discountCents, 0),
        placed: p.order.placedAt.toISOString(), member: p.isMember, points: p.points,
        available: earning ? addDays(p.order.placedAt, program.pendingDays).toISOString() : null,
        expires: earning ? (lotExpiry(program, p.order.placedAt)?.toISOString() ?? null) : null,
      };
    })).slice(1, -1));
    lines.push(JSON.stringify(chunk.flatMap((p) => p.order.lines.map((line, lineIndex) => ({
      i: p.index, no: lineIndex + 1, sku: line.sku, category: line.category, quantity: line.quantity, price: line.unitPriceCents, discount: line.discountCents, points: p.linePoints[lineIndex],
    })))).slice(1, -1));
  }
  // each part is a JSON array's inside ("[...]" without its brackets): every chunk has orders; a
  // chunk without lines (none can be parsed from a CSV, but the type allows it) leaves no part
  return { orders: `[${orders.join(",")}]`, lines: `[${lines.filter((part) => part !== "").join(",")}]` };
}

/**
 * The batch's orders, their lines and, for members' orders that earn, the EARN transactions,
 * their entries and lots and the members' balances: one statement fed by two JSON documents (so
 * a batch costs one round trip and the database parses its rows, not one array per column). An
 * order already imported (its external id taken) is skipped with everything that hangs on it.
 * Returns the batch indexes of the orders written.
 */
async function writeOrderBatch(
  tx: Tx,
  program: ProgramSettings,
  config: EarningConfig,
  issuedAccountId: number,
  input: { orders: string; lines: string },
): Promise<number[]> {
  const rows = await tx.$queryRaw<{ i: number }[]>`
    WITH input AS (
      SELECT * FROM json_to_recordset(${input.orders}::json) AS x(
        "i" int, "ext" text, "customer" int, "account" int, "currency" text, "total" int, "shipping" int, "tax" int, "discount" int,
        "placed" timestamp(3), "member" boolean, "points" int, "available" timestamp(3), "expires" timestamp(3))),
    o AS (
      INSERT INTO "Order" ("programId", "externalId", "customerId", "currency", "totalCents", "shippingCents", "taxCents", "discountCents", "placedAt", "isMemberOrder", "pointsEarned", "createdAt")
      SELECT ${program.id}, "ext", "customer", "currency", "total", "shipping", "tax", "discount", "placed", "member", "points", "placed" FROM input ORDER BY "i"
      ON CONFLICT ("programId", "externalId") DO NOTHING
      RETURNING "id", "externalId"),
    written AS (SELECT input.*, o."id" AS "orderId" FROM input JOIN o ON o."externalId" = input."ext"),
    line AS (
      INSERT INTO "OrderLine" ("orderId", "lineNo", "sku", "category", "quantity", "unitPriceCents", "discountCents", "pointsEarned")
      SELECT w."orderId", l."no", l."sku", l."category", l."quantity", l."price", l."discount", l."points"
      FROM json_to_recordset(${input.lines}::json) AS l("i" int, "no" int, "sku" text, "category" text, "quantity" int, "price" int, "discount" int, "points" int)
      JOIN written w ON w."i" = l."i"),
    t AS (
      INSERT INTO "LedgerTransaction" ("programId", "kind", "source", "idempotencyKey", "requestHash", "customerId", "reason", "note", "ruleId", "ruleVersion", "orderId", "points", "createdAt")
      SELECT ${program.id}, 'EARN'::"TxKind", 'order', 'order:' || w."orderId", ${hashRequest({ import: true })}, w."customer", 'order', w."ext",
        ${config.rule?.id ?? null}::int, ${config.rule?.version ?? null}::int, w."orderId", w."points", w."placed"
      FROM written w WHERE w."account" IS NOT NULL ORDER BY w."i"
      ON CONFLICT ("programId", "source", "idempotencyKey") DO NOTHING
      RETURNING "id", "orderId"),
    posted AS (SELECT t."id" AS "transactionId", w.* FROM t JOIN written w ON w."orderId" = t."orderId"),
    entry AS (
      INSERT INTO "LedgerEntry" ("transactionId", "accountId", "amount")
      SELECT "transactionId", ${issuedAccountId}::int, -"points" FROM posted
      UNION ALL SELECT "transactionId", "account", "points" FROM posted),
    lot AS (
      INSERT INTO "PointLot" ("accountId", "transactionId", "amount", "remaining", "availableAt", "expiresAt", "createdAt")
      SELECT "account", "transactionId", "points", "points", "available", "expires", "placed" FROM posted),
    balance AS (
      UPDATE "LedgerAccount" a SET "balance" = a."balance" + s."points"
      FROM (SELECT "account", SUM("points")::int AS "points" FROM posted GROUP BY "account") s WHERE a."id" = s."account")
    SELECT "i" FROM written`;
  return rows.map((row) => row.i);
}

/**
 * The members whose member orders the file holds (imported now or before): those the import may
 * move up a tier. Read from the orders themselves, so a resumed job finds the ones an earlier
 * attempt imported.
 */
export async function importedMembers(programId: number, prepared: ImportContent): Promise<number[]> {
  if (!("orders" in prepared.parsed)) return [];
  const externalIds = prepared.parsed.orders.map((order) => order.externalId);
  const rows = await prisma.$queryRaw<{ customerId: number }[]>`
    SELECT DISTINCT o."customerId" FROM "Order" o
    WHERE o."programId" = ${programId} AND o."externalId" = ANY(${externalIds}::text[]) AND o."isMemberOrder"
    ORDER BY 1`;
  return rows.map((row) => row.customerId);
}

/**
 * Opening balances: one BONUS transaction per member (reason "opening_balance"), keyed by
 * the member, so a second run of the file is a no-op and a different amount is refused.
 */
export async function importBalanceBatch(tx: Tx, program: ProgramSettings, batch: ImportBalance[]): Promise<Outcome[]> {
  const rows = await tx.$queryRaw<CustomerRow[]>`
    SELECT c."id", c."externalId", c."email", c."enrolledAt", c."deactivatedAt", c."tierId", a."id" AS "accountId", a."debt"
    FROM "Customer" c LEFT JOIN "LedgerAccount" a ON a."customerId" = c."id"
    WHERE c."programId" = ${program.id} AND c."externalId" = ANY(${batch.map((b) => b.memberExternalId)}::text[])`;
  const byExternalId = new Map(rows.map((row) => [row.externalId, row]));
  const outcomes: Outcome[] = [];
  for (const balance of batch) {
    const customer = byExternalId.get(balance.memberExternalId);
    if (!customer) {
      outcomes.push({ error: `no customer ${balance.memberExternalId}` });
      continue;
    }
    if (!customer.enrolledAt) {
      outcomes.push({ error: `${balance.memberExternalId} has not joined the program` });
      continue;
    }
    const at = balance.asOf ?? new Date();
    const requestHash = hashRequest({ points: balance.points });
    const existing = await tx.ledgerTransaction.findFirst({ where: { programId: program.id, source: "import", idempotencyKey: `opening:${customer.id}` }, select: { requestHash: true } });
    if (existing) {
      outcomes.push(existing.requestHash === requestHash ? "skipped" : { error: `${balance.memberExternalId} already has an imported opening balance with a different amount` });
      continue;
    }
    const accountId = customer.accountId ?? (await ensureMemberAccount(tx, program.id, customer.id));
    const opened = await openLedgerTransaction(tx, {
      programId: program.id, kind: "BONUS", source: "import", idempotencyKey: `opening:${customer.id}`, requestHash,
      customerId: customer.id, reason: "opening_balance", note: balance.note || "import", at,
    });
    if (opened.replay) {
      outcomes.push("skipped");
      continue;
    }
    await creditPoints(tx, { programId: program.id, accountId, transactionId: opened.id, points: balance.points, availableAt: at, expiresAt: lotExpiry(program, at), createdAt: at });
    outcomes.push("imported");
  }
  return outcomes;
}
