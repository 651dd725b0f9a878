#!/usr/bin/env node
// `npm test`: every tier. Unit (vitest), integration on real PostgreSQL (vitest; creates and
// drops its own database), and Playwright e2e against a production build on a throwaway
// database loaded with (a smaller) demo shop. Prints per-tier counts and one closing line.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { prismaEnv, runPrisma } from "./prisma.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const baseEnv = { ...prismaEnv(process.env), NEXT_TELEMETRY_DISABLED: "1" };
delete baseEnv.DATABASE_URL;
rmSync("test-results", { recursive: true, force: true });
mkdirSync("test-results", { recursive: true });

const LOCAL = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);
const admin = new URL(process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
if (!LOCAL.has(admin.hostname)) {
  console.error(`TEST_DATABASE_URL must point at a local server, not ${admin.hostname}`);
  process.exit(2);
}

function run(label, command, args, env = {}) {
  console.log(`\n=== ${label} ===`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...baseEnv, ...env } });
  return result.status ?? 1;
}

function vitestCounts(file) {
  if (!existsSync(file)) return { passed: 0, failed: 0, skipped: 0 };
  const report = JSON.parse(readFileSync(file, "utf8"));
  return { passed: report.numPassedTests, failed: report.numFailedTests + (report.numFailedTestSuites ?? 0), skipped: report.numPendingTests + report.numTodoTests };
}

function playwrightCounts(file) {
  if (!existsSync(file)) return { passed: 0, failed: 0, skipped: 0 };
  const { stats } = JSON.parse(readFileSync(file, "utf8"));
  return { passed: stats.expected, failed: stats.unexpected + stats.flaky, skipped: stats.skipped };
}

async function withAdmin(sql) {
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const tiers = {};
const statuses = [];

if (runPrisma(["generate"], baseEnv) !== 0) process.exit(1);

statuses.push(run("unit", bin("vitest"), ["run", "--project", "unit", "--reporter=default", "--reporter=json", "--outputFile=test-results/unit.json"]));
tiers.unit = vitestCounts("test-results/unit.json");

statuses.push(run("integration (PostgreSQL)", bin("vitest"), ["run", "--project", "integration", "--reporter=default", "--reporter=json", "--outputFile=test-results/integration.json"]));
tiers.integration = vitestCounts("test-results/integration.json");

// e2e: throwaway database, migrated by Prisma, demo data through the ledger, production build
const dbName = `hearth_e2e_${Date.now()}`;
const databaseUrl = new URL(admin.toString());
databaseUrl.pathname = `/${dbName}`;
const e2eEnv = { DATABASE_URL: databaseUrl.toString(), HEARTH_DEMO_DATA: "on", HEARTH_DEMO_CUSTOMERS: process.env.HEARTH_DEMO_CUSTOMERS ?? "150" };
await withAdmin(`CREATE DATABASE "${dbName}"`);
try {
  let status = runPrisma(["migrate", "deploy"], { ...baseEnv, ...e2eEnv });
  if (status === 0) status = run("e2e: demo data", process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/prepare-db.ts"], e2eEnv);
  if (status === 0) status = run("e2e: production build", bin("next"), ["build"], e2eEnv);
  if (status === 0) status = run("e2e (Playwright, Chromium)", bin("playwright"), ["test"], e2eEnv);
  statuses.push(status);
} finally {
  await withAdmin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
}
tiers.e2e = playwrightCounts("test-results/e2e.json");

const total = { passed: 0, failed: 0, skipped: 0 };
console.log("\n=== summary ===");
for (const [tier, counts] of Object.entries(tiers)) {
  console.log(`${tier.padEnd(12)} ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  for (const key of Object.keys(total)) total[key] += counts[key];
}
const failedRun = statuses.some((status) => status !== 0);
if (failedRun && total.failed === 0) total.failed = 1; // a tier that crashed before reporting counts as a failure
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(failedRun || total.failed > 0 ? 1 : 0);
