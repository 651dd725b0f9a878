import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "./generated/client";
import { env } from "@/lib/env";
import { getEmbeddedDatabase } from "./embedded";

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

export function createPrismaClient(databaseUrl = env.DATABASE_URL): PrismaClient {
  if (databaseUrl) {
    const adapter = new PrismaPg({ connectionString: databaseUrl, max: env.DATABASE_POOL_MAX });
    return new PrismaClient({ adapter });
  }
  return new PrismaClient({ adapter: new PrismaPGlite(getEmbeddedDatabase()) });
}

const globalForPrisma = globalThis as unknown as { hearthPrisma?: PrismaClient };

export const prisma: PrismaClient = globalForPrisma.hearthPrisma ?? createPrismaClient();
globalForPrisma.hearthPrisma = prisma;
