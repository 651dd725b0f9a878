import { spawn } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";

// First run on an empty production database (issue 11): `npm run setup` creates the shop and the
// first admin once. Run as an operator would, as a separate process against its own empty
// database: bad input changes nothing, two setups at once make one admin, a later one refuses.

const root = path.resolve(__dirname, "../..");
let databaseUrl: string;

beforeAll(async () => {
  databaseUrl = await createTestDatabase("hearth_setup");
});

afterAll(async () => {
  await dropTestDatabase(databaseUrl);
});

function runSetup(args: string[], password = "first-admin-password") {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/setup.ts", ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl, HEARTH_SETUP_PASSWORD: password, HEARTH_JOBS: "off", AUTH_SECRET: "test-secret-for-first-run-0123456789" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (code) => resolve({ code, output }));
  });
}

async function query<T>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

const flags = (email: string) => ["--shop", "Maple & Co", "--currency", "eur", "--time-zone", "Europe/Berlin", "--admin-name", "Ada", "--admin-email", email];

test("bad input is refused with a clear message and creates nothing", async () => {
  const result = await runSetup(["--shop", "Maple", "--currency", "EURO", "--time-zone", "Mars/Olympus", "--admin-name", "Ada", "--admin-email", "not-an-email"]);
  expect(result.code).toBe(2);
  expect(result.output).toMatch(/currency/);
  expect(result.output).toMatch(/timeZone/);
  expect(result.output).toMatch(/adminEmail/);
  const short = await runSetup(flags("ada@maple.example"), "short");
  expect(short.code).toBe(2);
  expect(short.output).toMatch(/adminPassword/);
  expect(await query(`SELECT 1 FROM "User"`)).toHaveLength(0);
  expect(await query(`SELECT 1 FROM "Program"`)).toHaveLength(0);
}, 180_000);

test("two setups at once make exactly one admin and one program; a later setup refuses and changes nothing", async () => {
  const [a, b] = await Promise.all([runSetup(flags("ada@maple.example")), runSetup(flags("bob@maple.example"))]);
  expect([a.code, b.code].sort()).toEqual([0, 1]);
  expect((a.code === 0 ? b : a).output).toMatch(/already/);
  const admins = await query<{ email: string; role: string; isActive: boolean }>(`SELECT "email", "role", "isActive" FROM "User"`);
  expect(admins).toHaveLength(1);
  expect(admins[0]).toMatchObject({ role: "ADMIN", isActive: true });
  const programs = await query<{ slug: string; name: string; currency: string; timeZone: string }>(`SELECT "slug", "name", "currency", "timeZone" FROM "Program"`);
  expect(programs).toEqual([{ slug: "default", name: "Maple & Co", currency: "EUR", timeZone: "Europe/Berlin" }]);
  // no demo data, no public password, no demo API key
  expect(await query(`SELECT 1 FROM "ApiKey"`)).toHaveLength(0);
  expect(await query(`SELECT 1 FROM "Customer"`)).toHaveLength(0);

  const again = await runSetup(flags("eve@maple.example"));
  expect(again.code).toBe(1);
  expect(await query(`SELECT 1 FROM "User"`)).toHaveLength(1);
}, 240_000);
