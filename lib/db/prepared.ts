import { createHash } from "node:crypto";
import { Prisma } from "./generated/client";

// Server-side prepared statements for the hot paths. A statement whose text starts with
// PREPARED is given a name, so node-postgres prepares it once per connection and later
// executions skip PostgreSQL's parsing (and, once PostgreSQL settles on a generic plan, its
// planning): measured on the common order's two statements, parse and plan took 1.2 ms of the
// 2.8 ms the database spent on each order. Only marked statements are named: their text is the
// same for every call (values are parameters), so each connection holds a handful of them.
// HEARTH_PREPARED_STATEMENTS=off turns naming off (a PgBouncer older than 1.21 in transaction
// mode cannot carry named statements; see docs/deploy.md).

/** The mark a prepared statement's text starts with. */
export const PREPARED = "/* hearth:prepared */";

/** The mark as SQL text (not a parameter): put it first, `${preparedSql}SELECT ...`. */
export const preparedSql = Prisma.raw(PREPARED);

/** At most this many distinct names per process: a bound, should a marked text ever vary. */
const MAX_NAMES = 200;
const names = new Map<string, string>();

/**
 * For @prisma/adapter-pg's statementNameGenerator (and lib/db/direct.ts, with its own prefix so
 * the two never claim one name for texts that may differ): a stable name for marked statements,
 * else none.
 */
export function preparedStatementName(sql: string, prefix = "hearth_"): string | undefined {
  if (!sql.startsWith(PREPARED)) return undefined;
  const key = `${prefix}${sql}`;
  let name = names.get(key);
  if (name === undefined) {
    if (names.size >= MAX_NAMES) return undefined;
    name = `${prefix}${createHash("sha256").update(sql).digest("hex").slice(0, 32)}`;
    names.set(key, name);
  }
  return name;
}
