import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { readdirSync } from "node:fs";
import { expect, test } from "vitest";
import { migrateEmbedded } from "@/lib/db/migrate-embedded";

// `npm start` without DATABASE_URL runs on the embedded database (PGlite), migrated by
// lib/db/migrate-embedded.ts from the same migration files. A migration that needs an extension
// (pg_trgm) must find it loaded there as lib/db/embedded.ts loads it.

test("every migration applies to a fresh embedded database, once", async () => {
  const db = new PGlite({ extensions: { pg_trgm } });
  try {
    const expected = readdirSync("prisma/migrations", { withFileTypes: true }).filter((entry) => entry.isDirectory()).length;
    expect(await migrateEmbedded(db)).toHaveLength(expected);
    expect(await migrateEmbedded(db)).toEqual([]);
    await db.query(`INSERT INTO "Program" ("slug", "name", "currency") VALUES ('p', 'P', 'EUR')`);
    const { rows: [program] } = await db.query<{ id: number }>(`SELECT "id" FROM "Program"`);
    await db.query(`INSERT INTO "Customer" ("programId", "externalId", "email", "name") VALUES ($1, 'c1', 'ana@shop.test', 'Ana Kovacs')`, [program.id]);
    const { rows } = await db.query<{ externalId: string }>(`SELECT "externalId" FROM "Customer" WHERE "programId" = $1 AND ("email" ILIKE $2 OR "name" ILIKE $2)`, [program.id, "%KOVACS%"]);
    expect(rows).toEqual([{ externalId: "c1" }]);
  } finally {
    await db.close();
  }
}, 120_000);
