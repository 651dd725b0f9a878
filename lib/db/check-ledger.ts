import "server-only";
import type { PrismaClient } from "./generated/client";

export type LedgerCheck = {
  transactions: number;
  unbalancedTransactions: number;
  /** member accounts whose cached balance differs from their entries or their lots */
  mismatchedAccounts: number;
  negativeLots: number;
  /** sum over all entries: always 0 in a double-entry ledger */
  entriesTotal: number;
  memberPoints: number;
};

/** Verifies the ledger's invariants over the whole database (for tests and operators). */
export async function checkLedger(db: PrismaClient, customerIds?: number[]): Promise<LedgerCheck> {
  const scope = customerIds ?? null;
  const [row] = await db.$queryRaw<LedgerCheck[]>`
    WITH tx AS (
      SELECT "transactionId", SUM("amount") AS total FROM "LedgerEntry" GROUP BY "transactionId"
    ), members AS (
      SELECT a."id", a."balance",
        COALESCE((SELECT SUM(e."amount") FROM "LedgerEntry" e WHERE e."accountId" = a."id"), 0) AS entries,
        COALESCE((SELECT SUM(l."remaining") FROM "PointLot" l WHERE l."accountId" = a."id"), 0) AS lots
      FROM "LedgerAccount" a
      WHERE a."kind" = 'MEMBER' AND (${scope}::int[] IS NULL OR a."customerId" = ANY(${scope}::int[]))
    )
    SELECT
      (SELECT COUNT(*) FROM tx)::int AS "transactions",
      (SELECT COUNT(*) FROM tx WHERE total <> 0)::int AS "unbalancedTransactions",
      (SELECT COUNT(*) FROM members WHERE "balance" <> entries OR "balance" <> lots)::int AS "mismatchedAccounts",
      (SELECT COUNT(*) FROM "PointLot" WHERE "remaining" < 0)::int AS "negativeLots",
      (SELECT COALESCE(SUM("amount"), 0) FROM "LedgerEntry")::int AS "entriesTotal",
      (SELECT COALESCE(SUM("balance"), 0) FROM members)::int AS "memberPoints"`;
  return row;
}
