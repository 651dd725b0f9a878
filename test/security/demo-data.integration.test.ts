import { spawnSync } from "node:child_process";
import pg from "pg";
import { describe, expect, test } from "vitest";
import { prismaEnv, runPrisma } from "@/scripts/prisma.mjs";

// A production start against PostgreSQL never gets the demo shop (public admin password and
// API key) unless it is asked for; `npm start` runs scripts/prepare-db.ts after migrating.

const admin = new URL(process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");

async function adminQuery(sql: string) {
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function counts(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT (SELECT COUNT(*) FROM "User")::int AS "users", (SELECT COUNT(*) FROM "ApiKey")::int AS "keys", (SELECT COUNT(*) FROM "Program")::int AS "programs"`);
    return rows[0] as { users: number; keys: number; programs: number };
  } finally {
    await client.end();
  }
}

describe("demo data on a production database", () => {
  test("with DATABASE_URL the first start loads no demo shop unless HEARTH_DEMO_DATA=on", async () => {
    const name = `hearth_demo_check_${Date.now()}`;
    const url = new URL(admin.toString());
    url.pathname = `/${name}`;
    await adminQuery(`CREATE DATABASE "${name}"`);
    try {
      const env: NodeJS.ProcessEnv = { ...prismaEnv(process.env), DATABASE_URL: url.toString(), HEARTH_JOBS: "off" };
      delete env.HEARTH_DEMO_DATA;
      expect(runPrisma(["migrate", "deploy"], env)).toBe(0);
      const start = (extra: Record<string, string>) => spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/prepare-db.ts"], { env: { ...env, ...extra } as NodeJS.ProcessEnv, encoding: "utf8" });
      const plain = start({});
      expect(plain.status, plain.stderr).toBe(0);
      expect(await counts(url.toString())).toEqual({ users: 0, keys: 0, programs: 0 });
      const asked = start({ HEARTH_DEMO_DATA: "on", HEARTH_DEMO_CUSTOMERS: "10" });
      expect(asked.status, asked.stderr).toBe(0);
      const loaded = await counts(url.toString());
      expect(loaded.users).toBeGreaterThan(3);
      expect(loaded.keys).toBe(1);
    } finally {
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  }, 180_000);
});
