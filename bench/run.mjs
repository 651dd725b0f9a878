#!/usr/bin/env node
// `npm run bench`: hot paths over HTTP against a production server on a throwaway PostgreSQL
// database, each next to a raw-SQL baseline doing the same writes on the same database.
// Prints its figures; not part of `npm test`. Needs a local PostgreSQL (TEST_DATABASE_URL).
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { prismaEnv, runPrisma } from "../scripts/prisma.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const EARN_REQUESTS = Number(process.env.BENCH_EARN_REQUESTS ?? 4000);
const REDEEM_REQUESTS = Number(process.env.BENCH_REDEEM_REQUESTS ?? 1600);
const PORT = Number(process.env.BENCH_PORT ?? 3200);
const base = `http://127.0.0.1:${PORT}`;
const KEY = "hearth_demo_key";
// BENCH_PROFILE=dir writes a V8 CPU profile of the server process (open it in Chrome DevTools).

const admin = new URL(process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
if (!["127.0.0.1", "localhost", "::1"].includes(admin.hostname)) throw new Error("bench runs against a local database only");
const dbName = `hearth_bench_${Date.now()}`;
const dbUrl = new URL(admin.toString());
dbUrl.pathname = `/${dbName}`;
const IMPORT_ORDERS = Number(process.env.BENCH_IMPORT_ORDERS ?? 60_000);
// jobs off: the timers would compete with the load; the key's rate limit is lifted below
const env = { ...prismaEnv(process.env), DATABASE_URL: dbUrl.toString(), NEXT_TELEMETRY_DISABLED: "1", HEARTH_DEMO_DATA: "on", HEARTH_DEMO_CUSTOMERS: "100", HEARTH_JOBS: "off" };

async function adminQuery(sql) {
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try { await client.query(sql); } finally { await client.end(); }
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summarize(label, durations, wallMs) {
  const sorted = [...durations].sort((a, b) => a - b);
  return {
    label,
    n: sorted.length,
    perSecond: Math.round((sorted.length / wallMs) * 1000),
    p50: percentile(sorted, 50).toFixed(2),
    p95: percentile(sorted, 95).toFixed(2),
    p99: percentile(sorted, 99).toFixed(2),
  };
}

/** Runs `total` operations with `concurrency` workers; returns per-operation latencies (ms). */
async function load(total, concurrency, operation) {
  const durations = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (next < total) {
        const index = next++;
        const t0 = performance.now();
        await operation(index, worker);
        durations.push(performance.now() - t0);
      }
    }),
  );
  return { durations, wallMs: performance.now() - started };
}

async function post(pathname, body, idempotencyKey) {
  const response = await fetch(`${base}${pathname}`, {
    method: "POST",
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", "idempotency-key": idempotencyKey },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`${pathname} -> ${response.status} ${text}`);
  return JSON.parse(text);
}

const run = `b${Date.now().toString(36)}`;
const order = (index, member, placedAt = new Date().toISOString(), total = 42.5) => ({
  externalId: `${run}-o-${index}`,
  member: { externalId: member },
  currency: "USD",
  total,
  placedAt,
  lines: [{ sku: "MUG-1", category: "kitchen", quantity: 2, unitPrice: total / 2 }],
});

let server;
await adminQuery(`CREATE DATABASE "${dbName}"`);
try {
  if (runPrisma(["migrate", "deploy"], env) !== 0) throw new Error("migrate failed");
  const prepared = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/prepare-db.ts"], { env, stdio: "inherit" });
  if (prepared.status !== 0) throw new Error("demo data failed");
  {
    // the whales below need more than the demo's 5,000-a-day cap; the key's rate limit is lifted
    const client = new pg.Client({ connectionString: dbUrl.toString() });
    await client.connect();
    await client.query(`UPDATE "EarnRule" SET "config" = "config" || '{"capPerMemberDay": null, "capPerMemberMonth": null}'::jsonb WHERE "kind" = 'SPEND'`);
    await client.query(`UPDATE "ApiKey" SET "rateLimitPerMinute" = 100000000`);
    await client.end();
  }
  if (!existsSync(".next/BUILD_ID")) {
    const built = spawnSync(path.join("node_modules", ".bin", "next"), ["build"], { env, stdio: "inherit" });
    if (built.status !== 0) throw new Error("build failed");
  }
  const profile = process.env.BENCH_PROFILE ? [`--cpu-prof`, `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE)}`] : [];
  server = spawn(process.execPath, [...profile, "node_modules/next/dist/bin/next", "start", "-p", String(PORT)], {
    env: {
      ...env,
      NODE_ENV: "production",
      AUTH_SECRET: "bench-secret-bench-secret-bench",
      DATABASE_POOL_MAX: String(CONCURRENCY + 4),
    },
    stdio: "ignore",
  });
  for (let attempt = 0; ; attempt += 1) {
    try { if ((await fetch(`${base}/login`)).ok) break; } catch {}
    if (attempt > 120) throw new Error("server did not start");
    await new Promise((resolve) => setTimeout(resolve, 500));
  }

  const db = new pg.Pool({ connectionString: dbUrl.toString(), max: CONCURRENCY + 2 });
  // the database is dropped at the end (also after a failure): idle connections closing then is expected
  db.on("error", () => {});
  const memberIds = (await db.query(`SELECT "externalId" FROM "Customer" WHERE "enrolledAt" IS NOT NULL ORDER BY "id"`)).rows.map((row) => row.externalId);

  // whales: one per worker, so redemption latency is not a queue on one member's row lock
  const whales = [];
  for (let worker = 0; worker < CONCURRENCY; worker += 1) {
    const externalId = `${run}-whale-${worker}`;
    await post("/api/v1/members", { externalId, email: `${externalId}@bench.test` }, `${externalId}-m`);
    // a member who joined before the order below (orders placed before joining earn nothing)
    await db.query(`UPDATE "Customer" SET "enrolledAt" = now() - interval '60 days' WHERE "externalId" = $1`, [externalId]);
    await post("/api/v1/orders", order(`whale-${worker}`, externalId, new Date(Date.now() - 30 * 86_400_000).toISOString(), 1_000_000), `${externalId}-o`);
    whales.push(externalId);
  }
  const rewardId = (await db.query(`SELECT "id" FROM "Reward" WHERE "kind" = 'FREE_SHIPPING' AND "stock" IS NULL LIMIT 1`)).rows[0].id;

  // warm-up: JIT, connection pools, prepared plans
  await load(300, CONCURRENCY, (index) => post("/api/v1/orders", order(`warm-${index}`, memberIds[index % memberIds.length]), `${run}-w-${index}`));

  const results = [];
  const earn = await load(EARN_REQUESTS, CONCURRENCY, (index) => post("/api/v1/orders", order(index, memberIds[index % memberIds.length]), `${run}-e-${index}`));
  results.push(summarize(`earn: POST /api/v1/orders x${CONCURRENCY}`, earn.durations, earn.wallMs));
  // the same load with the analytics rollups' queue triggers switched off: what rollup maintenance
  // costs the earn path (the fold itself runs in a background job, off here)
  const analyticsTriggers = [
    ["Order", "Order_analytics_insert"], ["Order", "Order_analytics_update"], ["PointLot", "PointLot_analytics_insert"], ["PointLot", "PointLot_analytics_update"],
    ["LedgerEntry", "LedgerEntry_analytics_insert"], ["LotConsumption", "LotConsumption_analytics_insert"], ["TierChange", "TierChange_analytics_insert"],
  ];
  const setAnalyticsTriggers = async (state) => {
    for (const [table, trigger] of analyticsTriggers) await db.query(`ALTER TABLE "${table}" ${state} TRIGGER "${trigger}"`);
  };
  await setAnalyticsTriggers("DISABLE");
  const earnBare = await load(EARN_REQUESTS, CONCURRENCY, (index) => post("/api/v1/orders", order(`bare-${index}`, memberIds[index % memberIds.length]), `${run}-eb-${index}`));
  await setAnalyticsTriggers("ENABLE");
  results.push(summarize(`earn without analytics triggers x${CONCURRENCY}`, earnBare.durations, earnBare.wallMs));
  const earnAgain = await load(EARN_REQUESTS, CONCURRENCY, (index) => post("/api/v1/orders", order(`again-${index}`, memberIds[index % memberIds.length]), `${run}-ea-${index}`));
  results.push(summarize(`earn with analytics triggers again x${CONCURRENCY}`, earnAgain.durations, earnAgain.wallMs));
  const redeemSingle = await load(300, 1, (index) => post(`/api/v1/members/${whales[0]}/redemptions`, { rewardId }, `${run}-r1-${index}`));
  results.push(summarize("redeem: POST .../redemptions x1", redeemSingle.durations, redeemSingle.wallMs));
  const redeemMany = await load(REDEEM_REQUESTS, CONCURRENCY, (index, worker) => post(`/api/v1/members/${whales[worker]}/redemptions`, { rewardId }, `${run}-r16-${index}`));
  results.push(summarize(`redeem: POST .../redemptions x${CONCURRENCY}`, redeemMany.durations, redeemMany.wallMs));

  // Raw-SQL baselines: the same rows written with hand-written SQL, one transaction each.
  const ids = (await db.query(`SELECT c."id", a."id" AS "accountId", c."programId" FROM "Customer" c JOIN "LedgerAccount" a ON a."customerId" = c."id" ORDER BY c."id"`)).rows;
  const program = ids[0].programId;
  const system = Object.fromEntries((await db.query(`SELECT "kind", "id" FROM "LedgerAccount" WHERE "customerId" IS NULL`)).rows.map((row) => [row.kind, row.id]));
  const rawEarn = await load(EARN_REQUESTS, CONCURRENCY, async (index) => {
    const member = ids[index % ids.length];
    const client = await db.connect();
    try {
      await client.query("BEGIN");
      const { rows: [o] } = await client.query(
        `INSERT INTO "Order" ("programId","externalId","customerId","currency","totalCents","placedAt","isMemberOrder","pointsEarned") VALUES ($1,$2,$3,'USD',4250,now(),true,42) RETURNING "id"`,
        [program, `${run}-raw-${index}`, member.id]);
      await client.query(`INSERT INTO "OrderLine" ("orderId","lineNo","sku","category","quantity","unitPriceCents","pointsEarned") VALUES ($1,1,'MUG-1','kitchen',2,2125,42)`, [o.id]);
      const { rows: [t] } = await client.query(
        `INSERT INTO "LedgerTransaction" ("programId","kind","source","idempotencyKey","requestHash","customerId","reason","orderId") VALUES ($1,'EARN','raw',$2,'x',$3,'order',$4) RETURNING "id"`,
        [program, `${run}-raw-${index}`, member.id, o.id]);
      await client.query(`UPDATE "LedgerAccount" SET "balance" = "balance" + 42 WHERE "id" = $1`, [member.accountId]);
      await client.query(`INSERT INTO "LedgerEntry" ("transactionId","accountId","amount") VALUES ($1,$2,-42),($1,$3,42)`, [t.id, system.ISSUED, member.accountId]);
      await client.query(`INSERT INTO "PointLot" ("accountId","transactionId","amount","remaining","availableAt","expiresAt") VALUES ($1,$2,42,42,now(),now() + interval '12 months')`, [member.accountId, t.id]);
      await client.query("COMMIT");
    } finally {
      client.release();
    }
  });
  results.push(summarize(`baseline: raw SQL earn x${CONCURRENCY}`, rawEarn.durations, rawEarn.wallMs));

  // Bulk import: a CSV of IMPORT_ORDERS one-line orders over the API, timed from POST to DONE,
  // then the same rows written by set-based raw SQL on the same database.
  const importRows = ["order_id,member_id,placed_at,currency,total,sku,category,quantity,unit_price"];
  const importDay = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10);
  for (let index = 0; index < IMPORT_ORDERS; index += 1) importRows.push(`${run}-imp-${index},${memberIds[index % memberIds.length]},${importDay},USD,42.50,MUG-1,kitchen,2,21.25`);
  const importStarted = performance.now();
  const accepted = await fetch(`${base}/api/v1/imports/orders`, { method: "POST", headers: { authorization: `Bearer ${KEY}`, "content-type": "text/csv", "idempotency-key": `${run}-import` }, body: importRows.join("\n") });
  if (accepted.status !== 202) throw new Error(`import -> ${accepted.status} ${await accepted.text()}`);
  const { importId } = await accepted.json();
  // imports are queued jobs (lib/services/import-jobs.ts); the server runs with jobs off here, so a
  // separate process plays the job runner, as a worker replica would
  const runner = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "--input-type=module", "-e",
    "const jobs = await import('./lib/services/import-jobs.ts'); await (jobs.runQueuedImports ?? jobs.default.runQueuedImports)(); process.exit(0);"], { env, stdio: "inherit" });
  let runnerFailed = false;
  runner.on("exit", (code) => { if (code) runnerFailed = true; });
  let job;
  for (;;) {
    job = await (await fetch(`${base}/api/v1/imports/jobs/${importId}`, { headers: { authorization: `Bearer ${KEY}` } })).json();
    if (job.status !== "RUNNING" && job.status !== "QUEUED") break;
    if (runnerFailed) throw new Error("the import job runner failed");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  runner.kill();
  const importMs = performance.now() - importStarted;
  if (job.status !== "DONE" || job.importedRows !== IMPORT_ORDERS) throw new Error(`import ended ${JSON.stringify(job).slice(0, 300)}`);
  const imported = { label: `bulk import: ${IMPORT_ORDERS} orders via POST /api/v1/imports/orders`, n: IMPORT_ORDERS, perSecond: Math.round((IMPORT_ORDERS / importMs) * 1000), p50: "-", p95: "-", p99: "-" };

  const rawImportStarted = performance.now();
  const client = await db.connect();
  try {
    await client.query("BEGIN");
    await client.query(`CREATE TEMP TABLE src ON COMMIT DROP AS
      SELECT g AS n, $1 || '-rawimp-' || g AS ext, c."id" AS customer, a."id" AS account
      FROM generate_series(0, $2 - 1) g
      JOIN LATERAL (SELECT "id" FROM "Customer" WHERE "enrolledAt" IS NOT NULL ORDER BY "id" OFFSET (g % $3) LIMIT 1) c ON true
      JOIN "LedgerAccount" a ON a."customerId" = c."id"`, [run, IMPORT_ORDERS, memberIds.length]);
    await client.query(`CREATE TEMP TABLE o ON COMMIT DROP AS WITH ins AS (
      INSERT INTO "Order" ("programId","externalId","customerId","currency","totalCents","placedAt","isMemberOrder","pointsEarned")
      SELECT $1, ext, customer, 'USD', 4250, now() - interval '40 days', true, 42 FROM src RETURNING "id", "externalId") SELECT * FROM ins`, [program]);
    await client.query(`INSERT INTO "OrderLine" ("orderId","lineNo","sku","category","quantity","unitPriceCents","pointsEarned") SELECT "id",1,'MUG-1','kitchen',2,2125,42 FROM o`);
    await client.query(`CREATE TEMP TABLE t ON COMMIT DROP AS WITH ins AS (
      INSERT INTO "LedgerTransaction" ("programId","kind","source","idempotencyKey","requestHash","customerId","reason","orderId","points")
      SELECT $1,'EARN','rawimp','order:' || o."id",'x',src.customer,'order',o."id",42 FROM o JOIN src ON src.ext = o."externalId" RETURNING "id", "customerId") SELECT * FROM ins`, [program]);
    await client.query(`INSERT INTO "LedgerEntry" ("transactionId","accountId","amount") SELECT t."id", $1::int, -42 FROM t UNION ALL SELECT t."id", a."id", 42 FROM t JOIN "LedgerAccount" a ON a."customerId" = t."customerId"`, [system.ISSUED]);
    await client.query(`INSERT INTO "PointLot" ("accountId","transactionId","amount","remaining","availableAt","expiresAt") SELECT a."id", t."id", 42, 42, now(), now() + interval '12 months' FROM t JOIN "LedgerAccount" a ON a."customerId" = t."customerId"`);
    await client.query(`UPDATE "LedgerAccount" a SET "balance" = a."balance" + s.p FROM (SELECT account, COUNT(*) * 42 AS p FROM src GROUP BY account) s WHERE a."id" = s.account`);
    await client.query("COMMIT");
  } finally {
    client.release();
  }
  const rawImportMs = performance.now() - rawImportStarted;
  results.push(imported, { label: `baseline: raw SQL set-based insert of the same ${IMPORT_ORDERS} orders`, n: IMPORT_ORDERS, perSecond: Math.round((IMPORT_ORDERS / rawImportMs) * 1000), p50: "-", p95: "-", p99: "-" });
  await db.end();

  console.log("\nHearth hot paths (ms; targets from issue 3: earn >= 1,500/s with p95 <= 25 ms at 16; redeem p95 <= 20 ms at 16, <= 5 ms single; bulk import >= 15,000 orders/s)");
  console.table(results);
} finally {
  server?.kill("SIGINT");
  await new Promise((resolve) => setTimeout(resolve, 2000));
  await adminQuery(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
}
