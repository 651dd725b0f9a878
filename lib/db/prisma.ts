import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "./generated/client";
import { env } from "@/lib/env";
import { getEmbeddedDatabase } from "./embedded";
import { preparedStatementName } from "./prepared";

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

export function createPrismaClient(databaseUrl = env.DATABASE_URL, { poolMax = env.DATABASE_POOL_MAX }: { poolMax?: number } = {}): PrismaClient {
  if (databaseUrl) {
    const adapter = new PrismaPg(
      { connectionString: databaseUrl, max: poolMax },
      // the hot paths' marked statements are prepared once per connection (lib/db/prepared.ts)
      env.HEARTH_PREPARED_STATEMENTS === "on" ? { statementNameGenerator: (query) => preparedStatementName(query.sql) as string } : undefined,
    );
    return new PrismaClient({ adapter });
  }
  return new PrismaClient({ adapter: new PrismaPGlite(getEmbeddedDatabase()) });
}

const globalForPrisma = globalThis as unknown as { hearthPrisma?: PrismaClient };

function getClient(): PrismaClient {
  globalForPrisma.hearthPrisma ??= createPrismaClient();
  return globalForPrisma.hearthPrisma;
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
