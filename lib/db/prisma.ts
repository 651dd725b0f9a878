import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "./generated/client";
import { env } from "@/lib/env";
import { getEmbeddedDatabase } from "./embedded";
import { preparedStatementName } from "./prepared";

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

/**
 * A Prisma client on `databaseUrl` (PostgreSQL through node-postgres), or on the embedded
 * database without one. `pool` receives the node-postgres pool the client runs on, for the few
 * hot reads that skip Prisma (lib/db/direct.ts); Prisma ends it on $disconnect.
 */
export function createPrismaClient(
  databaseUrl = env.DATABASE_URL,
  { poolMax = env.DATABASE_POOL_MAX, pool }: { poolMax?: number; pool?: (pool: pg.Pool) => void } = {},
): PrismaClient {
  if (databaseUrl) {
    const nodePool = new pg.Pool({ connectionString: databaseUrl, max: poolMax });
    pool?.(nodePool);
    const adapter = new PrismaPg(nodePool, {
      disposeExternalPool: true,
      // the hot paths' marked statements are prepared once per connection (lib/db/prepared.ts)
      ...(env.HEARTH_PREPARED_STATEMENTS === "on" ? { statementNameGenerator: (query: { sql: string }) => preparedStatementName(query.sql) as string } : {}),
    });
    return new PrismaClient({ adapter });
  }
  return new PrismaClient({ adapter: new PrismaPGlite(getEmbeddedDatabase()) });
}

const globalForPrisma = globalThis as unknown as { hearthPrisma?: PrismaClient; hearthPool?: pg.Pool | null };

function getClient(): PrismaClient {
  if (!globalForPrisma.hearthPrisma) {
    globalForPrisma.hearthPool = null;
    globalForPrisma.hearthPrisma = createPrismaClient(undefined, { pool: (pool) => { globalForPrisma.hearthPool = pool; } });
  }
  return globalForPrisma.hearthPrisma;
}

/** The shared client's node-postgres pool; null on the embedded database. */
export function sharedPool(): pg.Pool | null {
  getClient();
  return globalForPrisma.hearthPool ?? null;
}

/**
 * The shared client, created on first use: importing this module (as `next build` does while
 * collecting pages) must not open a database, least of all the single-process embedded one.
 */
export const prisma: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const client = getClient();
    const value = Reflect.get(client, property, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});
