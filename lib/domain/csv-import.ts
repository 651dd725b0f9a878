import Papa from "papaparse";
import { z } from "zod";
import { allocateDiscounts } from "./earn-points";

// CSV import files: parsing and per-row validation (pure). One row per order line; rows of
// the same order_id form one order. Opening balances: one row per member.

// discount: order-level discounts (same on every row of the order); line_discount: amount off that
// line in total; tax: tax charged on top. As on the API, total = Σ(quantity × unit_price − line_discount) − discount + shipping + tax.
export const ORDER_COLUMNS = ["order_id", "member_id", "member_email", "placed_at", "currency", "total", "shipping", "tax", "discount", "sku", "category", "quantity", "unit_price", "line_discount"] as const;
export const BALANCE_COLUMNS = ["member_id", "points", "note", "as_of"] as const;
export const MAX_IMPORT_ROWS = 500_000;

export type RowError = { row: number; message: string };

const money = z
  .string()
  .trim()
  .regex(/^\d{1,8}(\.\d{1,2})?$/, { error: "must be an amount like 12.50" })
  .transform((value) => Math.round(Number(value) * 100));
const optionalMoney = z.union([z.literal(""), money]).optional().transform((value) => (value === "" || value === undefined ? 0 : value));
const id = z.string().trim().min(1, { error: "is required" }).max(100).regex(/^[\w.:@-]+$/, { error: "letters, digits and . _ : @ - only" });
const timestamp = z
  .string()
  .trim()
  .refine((value) => /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) && !Number.isNaN(Date.parse(value)), { error: "must be a date like 2026-03-01 or 2026-03-01T10:00:00Z" })
  .transform((value) => {
    if (value.length === 10) return new Date(`${value}T00:00:00Z`); // a bare date is midnight UTC
    const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(value);
    return new Date(hasZone ? value.replace(" ", "T") : `${value.replace(" ", "T")}Z`); // no zone = UTC
  })
  .refine((date) => date.getTime() <= Date.now() + 86_400_000 && date.getTime() >= Date.UTC(2000, 0, 1), { error: "must be between 2000 and today" });

const orderRowShape = {
  order_id: id,
  member_id: z.string().trim().max(100).optional().default(""),
  member_email: z.string().trim().max(254).optional().default(""),
  placed_at: timestamp,
  currency: z.string().trim().regex(/^[A-Z]{3}$/, { error: "must be an ISO code like USD" }),
  total: money,
  shipping: optionalMoney,
  tax: optionalMoney,
  discount: optionalMoney,
  sku: z.string().trim().min(1, { error: "is required" }).max(100),
  category: z.string().trim().max(100).optional().default(""),
  quantity: z.string().trim().regex(/^\d{1,5}$/, { error: "must be a whole number" }).transform(Number).refine((n) => n >= 1, { error: "must be at least 1" }),
  unit_price: money,
  line_discount: optionalMoney,
};

const balanceRowShape = {
  member_id: id,
  points: z.string().trim().regex(/^\d{1,9}$/, { error: "must be a whole number of points" }).transform(Number).refine((n) => n >= 1, { error: "must be at least 1" }),
  note: z.string().trim().max(200).optional().default(""),
  as_of: z.union([z.literal(""), timestamp]).optional().transform((value) => (value ? value : null)),
};

/** Distinct values remembered per column (bounds the memory a file of unique values would take). */
const MEMO_LIMIT = 10_000;

type RowResult<S extends Record<string, z.ZodType>> = { success: true; data: { [K in keyof S]: z.output<S[K]> } } | { success: false; message: string };

/**
 * Validates rows against `shape` column by column, and each distinct value of a column once per
 * file: an export repeats its dates, currency, SKUs, categories, prices and members on many
 * rows (up to MEMO_LIMIT distinct values per column; later new ones are validated each time). The
 * outcome (values, and errors worded "column message; column message" in column order) is what
 * validating each row as a z.object(shape) gives; a Date is handed out as a copy.
 */
function rowValidator<S extends Record<string, z.ZodType>>(shape: S, { unique = [] }: { unique?: (keyof S)[] } = {}) {
  const columns = Object.keys(shape) as (keyof S & string)[];
  type Outcome = { ok: true; value: unknown } | { ok: false; messages: string[] };
  const seen = new Map(columns.map((column) => [column, new Map<string | undefined, Outcome>()]));
  const check = (column: keyof S & string, value: string | undefined): Outcome => {
    const memo = unique.includes(column) ? null : seen.get(column)!;
    const known = memo?.get(value);
    if (known) return known;
    const parsed = shape[column].safeParse(value);
    const outcome: Outcome = parsed.success
      ? { ok: true, value: parsed.data }
      : { ok: false, messages: parsed.error.issues.map((issue) => `${[column, ...issue.path].join(".")} ${issue.message}`) };
    if (memo && memo.size < MEMO_LIMIT) memo.set(value, outcome);
    return outcome;
  };
  return (row: Record<string, string | undefined>): RowResult<S> => {
    const data: Record<string, unknown> = {};
    const messages: string[] = [];
    for (const column of columns) {
      const outcome = check(column, row[column]);
      if (outcome.ok) data[column] = outcome.value instanceof Date ? new Date(outcome.value.getTime()) : outcome.value;
      else messages.push(...outcome.messages);
    }
    return messages.length > 0 ? { success: false, message: messages.join("; ") } : { success: true, data: data as { [K in keyof S]: z.output<S[K]> } };
  };
}

export type ImportOrder = {
  /** 1-based data row numbers (header is row 1, so the first data row is 2) */
  rows: number[];
  externalId: string;
  member: { externalId: string } | { email: string };
  placedAt: Date;
  currency: string;
  totalCents: number;
  shippingCents: number;
  taxCents: number;
  /** order-level discount as stated (the lines' discountCents include its share once parsed) */
  discountCents: number;
  /** discountCents: the line's share of every discount the order states */
  lines: { sku: string; category: string | null; quantity: number; unitPriceCents: number; discountCents: number }[];
};

export type ImportBalance = { row: number; memberExternalId: string; points: number; note: string; asOf: Date | null };

function parse(text: string, columns: readonly string[], required: readonly string[]) {
  const result = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ""), {
    header: true,
    skipEmptyLines: "greedy",
    transformHeader: (header) => header.trim().toLowerCase(),
  });
  const fields = result.meta.fields ?? [];
  // PostgreSQL text can't hold U+0000: refuse the file with a clear message instead of failing an insert
  if (text.includes("\u0000")) return { data: result.data, fileErrors: ["the file contains NUL (\\u0000) characters"], parseErrors: [] };
  const missing = required.filter((column) => !fields.includes(column));
  const unknown = fields.filter((field) => !columns.includes(field));
  const fileErrors: string[] = [];
  if (missing.length > 0) fileErrors.push(`missing column(s): ${missing.join(", ")}`);
  if (unknown.length > 0) fileErrors.push(`unknown column(s): ${unknown.join(", ")}`);
  if (result.data.length > MAX_IMPORT_ROWS) fileErrors.push(`too many rows (${result.data.length}); at most ${MAX_IMPORT_ROWS} per file`);
  const parseErrors: RowError[] = result.errors.filter((error) => error.row !== undefined).map((error) => ({ row: (error.row ?? 0) + 2, message: error.message }));
  return { data: result.data, fileErrors, parseErrors };
}

/** Orders from CSV: rows grouped by order_id; an order with any bad row is rejected whole. */
export function parseOrdersCsv(text: string): { orders: ImportOrder[]; errors: RowError[]; fileErrors: string[]; totalRows: number } {
  const { data, fileErrors, parseErrors } = parse(text, ORDER_COLUMNS, ["order_id", "placed_at", "currency", "total", "sku", "quantity", "unit_price"]);
  if (fileErrors.length > 0) return { orders: [], errors: [], fileErrors, totalRows: data.length };
  const errors: RowError[] = [...parseErrors];
  const badRows = new Set(parseErrors.map((error) => error.row));
  const byOrder = new Map<string, ImportOrder>();
  const rejected = new Set<string>();
  const validate = rowValidator(orderRowShape, { unique: ["order_id"] });
  data.forEach((raw, index) => {
    const row = index + 2;
    const parsed = validate(raw);
    const orderId = typeof raw.order_id === "string" ? raw.order_id.trim() : "";
    if (!parsed.success || badRows.has(row)) {
      if (!parsed.success) errors.push({ row, message: parsed.message });
      if (orderId) rejected.add(orderId);
      return;
    }
    const value = parsed.data;
    if (!value.member_id && !value.member_email) {
      errors.push({ row, message: "member_id or member_email is required" });
      rejected.add(value.order_id);
      return;
    }
    const member = value.member_id ? { externalId: value.member_id } : { email: value.member_email.toLowerCase() };
    const existing = byOrder.get(value.order_id);
    if (value.line_discount > value.quantity * value.unit_price) {
      errors.push({ row, message: `order ${value.order_id}: line_discount exceeds quantity × unit_price` });
      rejected.add(value.order_id);
      return;
    }
    const line = { sku: value.sku, category: value.category || null, quantity: value.quantity, unitPriceCents: value.unit_price, discountCents: value.line_discount };
    if (!existing) {
      byOrder.set(value.order_id, {
        rows: [row], externalId: value.order_id, member, placedAt: value.placed_at, currency: value.currency, totalCents: value.total, shippingCents: value.shipping, taxCents: value.tax, discountCents: value.discount, lines: [line],
      });
      return;
    }
    const sameOrder = JSON.stringify(existing.member) === JSON.stringify(member) && existing.placedAt.getTime() === value.placed_at.getTime() && existing.currency === value.currency && existing.totalCents === value.total
      && existing.shippingCents === value.shipping && existing.taxCents === value.tax && existing.discountCents === value.discount;
    if (!sameOrder) {
      errors.push({ row, message: `order ${value.order_id}: member, date, currency, total, shipping, tax and discount must be the same on every line` });
      rejected.add(value.order_id);
      return;
    }
    existing.rows.push(row);
    existing.lines.push(line);
  });
  for (const order of byOrder.values()) {
    if (rejected.has(order.externalId)) continue; // a bad row already reported: its lines are not all here
    if (order.lines.length > 500) {
      errors.push({ row: order.rows[0], message: `order ${order.externalId}: more than 500 lines` });
      rejected.add(order.externalId);
    } else if (order.shippingCents > order.totalCents) {
      errors.push({ row: order.rows[0], message: `order ${order.externalId}: shipping exceeds the total` });
      rejected.add(order.externalId);
    } else {
      const linesNet = order.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents - line.discountCents, 0);
      const expected = linesNet - order.discountCents + order.shippingCents + order.taxCents;
      if (order.discountCents > linesNet) {
        errors.push({ row: order.rows[0], message: `order ${order.externalId}: discount exceeds the lines' amounts` });
        rejected.add(order.externalId);
      } else if (expected !== order.totalCents) {
        errors.push({ row: order.rows[0], message: `order ${order.externalId}: total must equal the lines (quantity × unit_price − line_discount) − discount + shipping + tax = ${(expected / 100).toFixed(2)}` });
        rejected.add(order.externalId);
      } else {
        // the same shares the API records (lib/domain/earn-points allocateDiscounts)
        const shares = allocateDiscounts({ lines: order.lines, orderDiscountCents: order.discountCents });
        order.lines = order.lines.map((line, index) => ({ ...line, discountCents: shares[index] }));
      }
    }
  }
  const orders = [...byOrder.values()].filter((order) => !rejected.has(order.externalId));
  errors.sort((a, b) => a.row - b.row);
  return { orders, errors, fileErrors: [], totalRows: data.length };
}

/** Opening balances from CSV: one row per member; a member twice in one file is an error. */
export function parseBalancesCsv(text: string): { balances: ImportBalance[]; errors: RowError[]; fileErrors: string[]; totalRows: number } {
  const { data, fileErrors, parseErrors } = parse(text, BALANCE_COLUMNS, ["member_id", "points"]);
  if (fileErrors.length > 0) return { balances: [], errors: [], fileErrors, totalRows: data.length };
  const errors: RowError[] = [...parseErrors];
  const seen = new Map<string, number>();
  const balances: ImportBalance[] = [];
  const validate = rowValidator(balanceRowShape, { unique: ["member_id"] });
  data.forEach((raw, index) => {
    const row = index + 2;
    const parsed = validate(raw);
    if (!parsed.success) {
      errors.push({ row, message: parsed.message });
      return;
    }
    const first = seen.get(parsed.data.member_id);
    if (first) {
      errors.push({ row, message: `member ${parsed.data.member_id} already appears on row ${first}` });
      return;
    }
    seen.set(parsed.data.member_id, row);
    balances.push({ row, memberExternalId: parsed.data.member_id, points: parsed.data.points, note: parsed.data.note, asOf: parsed.data.as_of });
  });
  return { balances, errors, fileErrors: [], totalRows: data.length };
}
