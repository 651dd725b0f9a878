import "server-only";
import { env } from "@/lib/env";
import { createPrismaClient, prisma, type Db } from "@/lib/db/prisma";

// Analytics reads may come from a streaming read replica (DATABASE_REPLICA_URL) so that heavy
// dashboard queries do not compete with the ledger's writes. Only analytics reads use this client:
// every write, and every read that must see the caller's own write (ledger, balances, config),
// stays on the primary. A second client with its own pg pool is all @prisma/extension-read-replicas
// would give here, without routing every read of the shared client to the replica.

export type AnalyticsSource = "primary" | "replica";

const globalForReplica = globalThis as unknown as { hearthReplica?: Db };

/** Where analytics reads go: the replica when configured (PostgreSQL mode only), else the primary. */
export const analyticsSource: AnalyticsSource = env.DATABASE_URL && env.DATABASE_REPLICA_URL ? "replica" : "primary";

function getReplicaClient(): Db {
  globalForReplica.hearthReplica ??= createPrismaClient(env.DATABASE_REPLICA_URL);
  return globalForReplica.hearthReplica;
}

/** The client analytics reads use; created on first use, like the shared client. */
export const analyticsDb: Db =
  analyticsSource === "replica"
    ? new Proxy({} as Db, {
        get(_target, property) {
          const client = getReplicaClient();
          const value = Reflect.get(client, property, client);
          return typeof value === "function" ? value.bind(client) : value;
        },
      })
    : prisma;

/**
 * How far the analytics database is behind the primary, in seconds: 0 on the primary itself and on
 * a replica that has replayed everything it received (an idle primary sends nothing, so the age of
 * the last replayed commit would overstate the lag); otherwise the age of the last replayed commit.
 */
export async function getReplicaLagSeconds(db: Db = analyticsDb): Promise<number> {
  const [row] = await db.$queryRaw<{ lag: number | null }[]>`
    SELECT CASE
      WHEN NOT pg_is_in_recovery() THEN 0
      WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
      ELSE GREATEST(0, EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()))
    END::float8 AS "lag"`;
  return row?.lag ?? 0;
}
