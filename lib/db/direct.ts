import "server-only";
import pg from "pg";
import type { Prisma } from "./generated/client";
import { preparedStatementName } from "./prepared";
import { prisma, sharedPool, type Tx } from "./prisma";
import { env } from "@/lib/env";

// The hottest statements (GET /members/{id} and its balance, the common order's read, audience
// check and write, the common redemption's read and write) run on the shared client's
// node-postgres pool directly: Prisma's query pipeline cost about a fifth of the app's CPU per
// read in a profile of GET /members/{id} (issue 12). Same statement, same pool, same answers:
// timestamps are read as UTC as Prisma reads them, Date parameters sent as UTC, and the
// statement is prepared once per connection like Prisma's marked ones. Inside a transaction, on
// the embedded database, or once the pool has been ended, the statement goes through Prisma.

/** `timestamp` and `date` columns hold UTC (Prisma's convention): read them as UTC, whatever the process's time zone. */
const utcTypes = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === pg.types.builtins.TIMESTAMP) return (value: string) => new Date(`${value.replace(" ", "T")}Z`);
    if (oid === pg.types.builtins.DATE) return (value: string) => new Date(`${value}T00:00:00.000Z`);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** The statement's name when prepared statements are on (as Prisma's are: lib/db/prepared.ts). */
const nameOf = (text: string) => (env.HEARTH_PREPARED_STATEMENTS === "on" ? preparedStatementName(text, "hearth_direct_") : undefined);

/** A parameter as Prisma sends it: a Date (also inside an array) as its UTC ISO text (a `timestamp` keeps those digits). */
const toParam = (value: unknown): unknown => (value instanceof Date ? value.toISOString() : Array.isArray(value) ? value.map(toParam) : value);

/** The statement's rows, read on the shared pool directly when `db` is the shared client; else through `db`. */
export async function hotRows<T>(db: Tx | typeof prisma, query: Prisma.Sql): Promise<T[]> {
  const pool = db === prisma ? sharedPool() : null;
  if (!pool || pool.ending || pool.ended) return db.$queryRaw<T[]>(query);
  const result = await pool.query({ name: nameOf(query.text), text: query.text, values: query.values.map(toParam), types: utcTypes });
  return result.rows as T[];
}
