import { afterAll, describe, expect, test } from "vitest";
import { createPrismaClient } from "@/lib/db/prisma";
import { PREPARED, preparedSql, preparedStatementName } from "@/lib/db/prepared";
import { getMemberBalance } from "@/lib/db/member-points";
import { createCustomer, createProgram } from "@/test/fixtures";

// The hot paths' statements are named, so node-postgres prepares each once per connection
// (lib/db/prepared.ts). One connection here, so pg_prepared_statements shows what it holds.
const client = createPrismaClient(process.env.DATABASE_URL, { poolMax: 1 });

afterAll(async () => {
  await client.$disconnect();
});

const held = async () =>
  (await client.$queryRaw<{ name: string; statement: string }[]>`SELECT "name", "statement" FROM pg_prepared_statements WHERE "name" LIKE 'hearth\\_%' ORDER BY "name"`);

describe("prepared statements", () => {
  test("a marked statement is prepared once per connection and reused; an unmarked one never is", async () => {
    const before = (await held()).length;
    for (let round = 0; round < 3; round += 1) {
      const [row] = await client.$queryRaw<{ sum: number }[]>`${preparedSql} SELECT ${round}::int + 1 AS "sum"`;
      expect(row.sum).toBe(round + 1);
      await client.$queryRaw`SELECT ${round}::int AS "unmarked"`;
    }
    const after = await held();
    expect(after.length).toBe(before + 1);
    expect(after.some((statement) => statement.statement.startsWith(PREPARED) && statement.statement.includes(`AS "sum"`))).toBe(true);
    expect(after.some((statement) => statement.statement.includes("unmarked"))).toBe(false);
  });

  test("the hot reads answer the same with their statements prepared, and hold one name each", async () => {
    const { program } = await createProgram();
    const customer = await createCustomer(program.id);
    // the real read (global client) twice: the first prepares, the second reuses; same answer
    const first = await getMemberBalance(program.id, customer.externalId);
    const second = await getMemberBalance(program.id, customer.externalId);
    expect(second).toEqual(first);
    expect(first?.externalId).toBe(customer.externalId);
  });

  test("names: stable per text, none for unmarked text", () => {
    const sql = `${PREPARED} SELECT 1`;
    expect(preparedStatementName(sql)).toMatch(/^hearth_[0-9a-f]{32}$/);
    expect(preparedStatementName(sql)).toBe(preparedStatementName(`${PREPARED} SELECT 1`));
    expect(preparedStatementName(`${PREPARED} SELECT 2`)).not.toBe(preparedStatementName(sql));
    expect(preparedStatementName("SELECT 1")).toBeUndefined();
    expect(preparedStatementName(` ${PREPARED} SELECT 1`)).toBeUndefined();
  });
});
