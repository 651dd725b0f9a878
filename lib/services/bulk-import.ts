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
// per batch of 1,000 orders a handful of multi-row statements write orders, lines, EARN
// transactions, entries, lots and balances, so imports run at thousands of orders a second
// with the same ledger rows the live path writes. Re-running a file is a no-op: orders are
// unique by their external id and opening balances by member.
//
// Historic orders earn under the spend rule as saved now (rate, category multipliers,
// exclusions, rounding, minimum) but not tier multipliers (the tier a member held back then
// is unknown), promotions, caps or referral bonuses, and emit no webhooks. Tiers are
// re-evaluated on trailing 12-month spend after each batch;
// an order placed before the customer joined counts as a non-member order. Members whose
// account carries debt go through the live path so the debt is repaid first.

export const IMPORT_BATCH = 1000;
export const MAX_STORED_ERRORS = 200;
/** The largest file one API request may upload (checked while the body streams). */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

export type ImportKind = "ORDERS" | "BALANCES";
export type ImportProgress = { imported: number; skipped: number; failed: number; processed: number };

type CustomerRow = { id: number; externalId: string; email: string; enrolledAt: Date | null; deactivatedAt: Date | null; tierId: number | null; accountId: number | null; debt: number | null };

export type PreparedImport = { kind: ImportKind; filename: string; csv: string; totalRows: number; parsed: ReturnType<typeof parseOrdersCsv> | ReturnType<typeof parseBalancesCsv> };

/** Parses and validates a file; a file-level problem (columns, no rows) is a VALIDATION error. */
export function prepareImport({ kind, filename, csv }: { kind: ImportKind; filename: string; csv: string }): PreparedImport {
  const parsed = kind === "ORDERS" ? parseOrdersCsv(csv) : parseBalancesCsv(csv);
  if (parsed.fileErrors.length > 0) throw new AppError("VALIDATION", parsed.fileErrors.join("; "));
  if (parsed.totalRows === 0) throw new AppError("VALIDATION", "the file has no data rows");
  return { kind, filename: filename.replaceAll("\u0000", "").slice(0, 200), csv, totalRows: parsed.totalRows, parsed };
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
      errors: prepared.parsed.errors.slice(0, MAX_STORED_ERRORS), createdById: actorUserId, file: { create: { csv: prepared.csv } },
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

/**
 * The file as the units it is imported in (orders, or members' opening balances): how many there
 * are, and how to import a slice of them in the caller's transaction. A runner commits slice
 * after slice and can resume at any unit; a unit imported before is skipped, never doubled.
 */
export function importUnits(prepared: PreparedImport): { count: number; importSlice: (tx: Tx, program: ProgramSettings, from: number, to: number) => Promise<BatchTally> } {
  const { parsed } = prepared;
  if ("orders" in parsed) {
    return {
      count: parsed.orders.length,
      importSlice: async (tx, program, from, to) => {
        const batch = parsed.orders.slice(from, to);
        return tally(await importOrderBatch(tx, program, batch), batch.map((order) => ({ rows: order.rows.length, row: order.rows[0] })));
      },
    };
  }
  return {
    count: parsed.balances.length,
    importSlice: async (tx, program, from, to) => {
      const batch = parsed.balances.slice(from, to);
      return tally(await importBalanceBatch(tx, program, batch), batch.map((balance) => ({ rows: 1, row: balance.row })));
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

/** One batch of orders in one transaction, set-based. Returns an outcome per order. */
export async function importOrderBatch(tx: Tx, program: ProgramSettings, batch: ImportOrder[]): Promise<Outcome[]> {
  const config = await loadEarningConfig(tx, program.id);
  const system = await ensureSystemAccounts(tx, program.id);
  const customers = await findCustomers(tx, program.id, batch);
  const outcomes: Outcome[] = batch.map(() => "skipped");

  type Planned = { index: number; order: ImportOrder; customer: CustomerRow; isMember: boolean; linePoints: number[]; points: number };
  const planned: Planned[] = [];
  const slow: { index: number; order: ImportOrder }[] = [];
  batch.forEach((order, index) => {
    const customer = "externalId" in order.member ? customers.byExternalId.get(order.member.externalId) : customers.byEmail.get(order.member.email);
    if (!customer) {
      outcomes[index] = { error: `order ${order.externalId}: no customer ${"externalId" in order.member ? order.member.externalId : order.member.email}` };
      return;
    }
    if (order.currency !== program.currency) {
      outcomes[index] = { error: `order ${order.externalId}: currency ${order.currency} is not the program currency ${program.currency}` };
      return;
    }
    if ((customer.debt ?? 0) > 0) {
      slow.push({ index, order });
      return;
    }
    const isMember = customer.enrolledAt !== null && customer.enrolledAt <= order.placedAt;
    // a deactivated member's orders are recorded but earn nothing, as on the API
    const earn = isMember && customer.deactivatedAt === null ? earnFor(config, order) : { total: 0, linePoints: order.lines.map(() => 0) };
    planned.push({ index, order, customer, isMember, linePoints: earn.linePoints, points: earn.total });
  });

  if (planned.length > 0) {
    const inserted = await tx.$queryRaw<{ id: number; externalId: string }[]>`
      INSERT INTO "Order" ("programId", "externalId", "customerId", "currency", "totalCents", "shippingCents", "taxCents", "discountCents", "placedAt", "isMemberOrder", "pointsEarned", "createdAt")
      SELECT ${program.id}, * FROM unnest(
        ${planned.map((p) => p.order.externalId)}::text[], ${planned.map((p) => p.customer.id)}::int[], ${planned.map((p) => p.order.currency)}::text[],
        ${planned.map((p) => p.order.totalCents)}::int[], ${planned.map((p) => p.order.shippingCents)}::int[], ${planned.map((p) => p.order.taxCents)}::int[],
        ${planned.map((p) => p.order.lines.reduce((sum, line) => sum + line.discountCents, 0))}::int[], ${planned.map((p) => p.order.placedAt.toISOString())}::timestamp(3)[],
        ${planned.map((p) => p.isMember)}::boolean[], ${planned.map((p) => p.points)}::int[], ${planned.map((p) => p.order.placedAt.toISOString())}::timestamp(3)[])
      ON CONFLICT ("programId", "externalId") DO NOTHING
      RETURNING "id", "externalId"`;
    const orderIds = new Map(inserted.map((row) => [row.externalId, row.id]));
    const fresh = planned.filter((p) => orderIds.has(p.order.externalId));
    for (const p of fresh) outcomes[p.index] = "imported";

    const lines = fresh.flatMap((p) => p.order.lines.map((line, lineIndex) => ({ orderId: orderIds.get(p.order.externalId)!, lineNo: lineIndex + 1, line, points: p.linePoints[lineIndex] })));
    if (lines.length > 0) {
      await tx.$executeRaw`
        INSERT INTO "OrderLine" ("orderId", "lineNo", "sku", "category", "quantity", "unitPriceCents", "discountCents", "pointsEarned")
        SELECT * FROM unnest(${lines.map((l) => l.orderId)}::int[], ${lines.map((l) => l.lineNo)}::int[], ${lines.map((l) => l.line.sku)}::text[],
          ${lines.map((l) => l.line.category)}::text[], ${lines.map((l) => l.line.quantity)}::int[], ${lines.map((l) => l.line.unitPriceCents)}::int[],
          ${lines.map((l) => l.line.discountCents)}::int[], ${lines.map((l) => l.points)}::int[])`;
    }

    const earning = fresh.filter((p) => p.isMember && p.points > 0);
    if (earning.length > 0) await postEarnings(tx, program, config, system.ISSUED, earning.map((p) => ({ orderId: orderIds.get(p.order.externalId)!, order: p.order, customer: p.customer, points: p.points })));
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

async function findCustomers(tx: Tx, programId: number, batch: ImportOrder[]) {
  const externalIds = [...new Set(batch.flatMap((order) => ("externalId" in order.member ? [order.member.externalId] : [])))];
  const emails = [...new Set(batch.flatMap((order) => ("email" in order.member ? [order.member.email] : [])))];
  const rows = await tx.$queryRaw<CustomerRow[]>`
    SELECT c."id", c."externalId", c."email", c."enrolledAt", c."deactivatedAt", c."tierId", a."id" AS "accountId", a."debt"
    FROM "Customer" c LEFT JOIN "LedgerAccount" a ON a."customerId" = c."id"
    WHERE c."programId" = ${programId} AND (c."externalId" = ANY(${externalIds}::text[]) OR c."email" = ANY(${emails}::text[]))`;
  return { byExternalId: new Map(rows.map((row) => [row.externalId, row])), byEmail: new Map(rows.map((row) => [row.email, row])) };
}

/** EARN transactions, their entries and lots, and the members' balances: five statements. */
async function postEarnings(
  tx: Tx,
  program: ProgramSettings,
  config: EarningConfig,
  issuedAccountId: number,
  earnings: { orderId: number; order: ImportOrder; customer: CustomerRow; points: number }[],
) {
  // accounts for members who never had one
  const missing = [...new Set(earnings.filter((e) => e.customer.accountId === null).map((e) => e.customer.id))];
  if (missing.length > 0) {
    const created = await tx.$queryRaw<{ id: number; customerId: number }[]>`
      INSERT INTO "LedgerAccount" ("programId", "kind", "customerId") SELECT ${program.id}, 'MEMBER', unnest(${missing}::int[])
      ON CONFLICT ("customerId") DO UPDATE SET "customerId" = EXCLUDED."customerId" RETURNING "id", "customerId"`;
    const byCustomer = new Map(created.map((row) => [row.customerId, row.id]));
    for (const earning of earnings) earning.customer.accountId ??= byCustomer.get(earning.customer.id) ?? null;
  }
  // lock the accounts in id order (the live paths lock one account, then its lots)
  const accountIds = [...new Set(earnings.map((e) => e.customer.accountId!))].sort((a, b) => a - b);
  await tx.$queryRaw`SELECT "id" FROM "LedgerAccount" WHERE "id" = ANY(${accountIds}::int[]) ORDER BY "id" FOR UPDATE`;

  const txRows = await tx.$queryRaw<{ id: number; orderId: number }[]>`
    INSERT INTO "LedgerTransaction" ("programId", "kind", "source", "idempotencyKey", "requestHash", "customerId", "reason", "note", "ruleId", "ruleVersion", "orderId", "points", "createdAt")
    SELECT ${program.id}, 'EARN'::"TxKind", 'order', 'order:' || o, ${hashRequest({ import: true })}, c, 'order', n, ${config.rule?.id ?? null}::int, ${config.rule?.version ?? null}::int, o, p, t
    FROM unnest(${earnings.map((e) => e.orderId)}::int[], ${earnings.map((e) => e.customer.id)}::int[], ${earnings.map((e) => e.order.externalId)}::text[],
      ${earnings.map((e) => e.points)}::int[], ${earnings.map((e) => e.order.placedAt.toISOString())}::timestamp(3)[]) AS v(o, c, n, p, t)
    ON CONFLICT ("programId", "source", "idempotencyKey") DO NOTHING
    RETURNING "id", "orderId"`;
  const txByOrder = new Map(txRows.map((row) => [row.orderId, row.id]));
  const posted = earnings.filter((e) => txByOrder.has(e.orderId));
  if (posted.length === 0) return;
  const txIds = posted.map((e) => txByOrder.get(e.orderId)!);
  await tx.$executeRaw`
    INSERT INTO "LedgerEntry" ("transactionId", "accountId", "amount")
    SELECT * FROM unnest(${[...txIds, ...txIds]}::int[], ${[...posted.map(() => issuedAccountId), ...posted.map((e) => e.customer.accountId!)]}::int[],
      ${[...posted.map((e) => -e.points), ...posted.map((e) => e.points)]}::int[])`;
  await tx.$executeRaw`
    INSERT INTO "PointLot" ("accountId", "transactionId", "amount", "remaining", "availableAt", "expiresAt", "createdAt")
    SELECT * FROM unnest(${posted.map((e) => e.customer.accountId!)}::int[], ${txIds}::int[], ${posted.map((e) => e.points)}::int[], ${posted.map((e) => e.points)}::int[],
      ${posted.map((e) => addDays(e.order.placedAt, program.pendingDays).toISOString())}::timestamp(3)[],
      ${posted.map((e) => lotExpiry(program, e.order.placedAt)?.toISOString() ?? null)}::timestamp(3)[], ${posted.map((e) => e.order.placedAt.toISOString())}::timestamp(3)[])`;
  const perAccount = new Map<number, number>();
  for (const e of posted) perAccount.set(e.customer.accountId!, (perAccount.get(e.customer.accountId!) ?? 0) + e.points);
  await tx.$executeRaw`
    UPDATE "LedgerAccount" a SET "balance" = a."balance" + v.p
    FROM unnest(${[...perAccount.keys()]}::int[], ${[...perAccount.values()]}::int[]) AS v(id, p) WHERE a."id" = v.id`;
}

/**
 * The members whose member orders the file holds (imported now or before): those the import may
 * move up a tier. Read from the orders themselves, so a resumed job finds the ones an earlier
 * attempt imported.
 */
export async function importedMembers(programId: number, prepared: PreparedImport): Promise<number[]> {
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
