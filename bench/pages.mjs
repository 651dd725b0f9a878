#!/usr/bin/env node
// `npm run bench:pages` (issue 12): pages whose work belongs to one member, the console's lists,
// audience counts and the tier preview, measured warm against a large program built by
// bench/scale-data.mjs (SCALE_CUSTOMERS / SCALE_ORDERS, or SCALE_DB to name it). A production
// server is started on it (built first if .next/BUILD_ID is missing); sessions are signed with the
// server's AUTH_SECRET like Auth.js does at login. Prints p50/p95 per page against the targets, then
// every SQL statement each page ran (captured by a wire-protocol tap between the server and
// PostgreSQL) with EXPLAIN (ANALYZE, BUFFERS): the slowest statements and their plans' worst rows.
//
//   PAGES_N=30 (requests per page)  PAGES_EXPLAIN_TOP=4 (statements explained per page)
//   PAGES_ONLY=dashboard,activity (labels containing one of these)  PAGES_LIST=1 (every statement each page sent, in order)
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { encode } from "@auth/core/jwt";
import pg from "pg";
import { Agent, request } from "undici";
import { prismaEnv } from "../scripts/prisma.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);
const N = Number(process.env.PAGES_N ?? 30);
const EXPLAIN_TOP = Number(process.env.PAGES_EXPLAIN_TOP ?? 4);
const ONLY = process.env.PAGES_ONLY ? process.env.PAGES_ONLY.split(",") : null;
const LIST = process.env.PAGES_LIST === "1";
const PORT = Number(process.env.BENCH_PORT ?? 3300);
const TAP_PORT = PORT + 1;
const base = `http://127.0.0.1:${PORT}`;
// a second server, on PORT + 2, reaches PostgreSQL through the tap: it serves the one request per
// page whose statements are captured. The timed requests go to the first one, connected directly
// (a relay in this process, which also runs the load, would add to every round trip).
const tapBase = `http://127.0.0.1:${PORT + 2}`;
const KEY = "hearth_demo_key";
const SECRET = "pages-bench-secret-pages-bench-secret";

const admin = new URL(process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
if (!["127.0.0.1", "localhost", "::1"].includes(admin.hostname)) throw new Error("bench runs against a local database only");
const dbName = process.env.SCALE_DB ?? `hearth_scale_${Number(process.env.SCALE_CUSTOMERS ?? 1_000_000)}_${Number(process.env.SCALE_ORDERS ?? 10_000_000)}`;
const dbUrl = new URL(admin.toString());
dbUrl.pathname = `/${dbName}`;

// ---------------------------------------------------------------- SQL tap
// A TCP relay in front of PostgreSQL that reads the client side of the wire protocol: Parse
// (statement text), Bind (text parameters) and Query messages. While `capture` is set, every
// executed statement is recorded with its parameters.
let capture = null;
function tapConnection(client) {
  const server = net.connect(Number(admin.port || 5432), admin.hostname);
  let buffer = Buffer.alloc(0);
  let started = false;
  const statements = new Map();
  client.on("data", (chunk) => {
    server.write(chunk);
    // the framing is always followed, so a capture starts on a message boundary
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    for (;;) {
      if (!started) {
        if (buffer.length < 4) break;
        const length = buffer.readInt32BE(0);
        if (buffer.length < length) break;
        buffer = buffer.subarray(length);
        started = true;
        continue;
      }
      if (buffer.length < 5) break;
      const type = String.fromCharCode(buffer[0]);
      const length = buffer.readInt32BE(1);
      if (buffer.length < length + 1) break;
      const body = buffer.subarray(5, length + 1);
      buffer = buffer.subarray(length + 1);
      if (type === "P") {
        const nameEnd = body.indexOf(0);
        const queryEnd = body.indexOf(0, nameEnd + 1);
        statements.set(body.toString("utf8", 0, nameEnd), body.toString("utf8", nameEnd + 1, queryEnd));
      } else if (type === "B" && capture) {
        let at = body.indexOf(0) + 1;
        const stmtEnd = body.indexOf(0, at);
        const name = body.toString("utf8", at, stmtEnd);
        at = stmtEnd + 1;
        const formats = body.readInt16BE(at); at += 2;
        const formatCodes = [];
        for (let i = 0; i < formats; i += 1) { formatCodes.push(body.readInt16BE(at)); at += 2; }
        const count = body.readInt16BE(at); at += 2;
        const params = [];
        for (let i = 0; i < count; i += 1) {
          const size = body.readInt32BE(at); at += 4;
          if (size < 0) params.push(null);
          else { params.push((formatCodes[formatCodes.length === 1 ? 0 : i] ?? 0) === 1 ? null : body.toString("utf8", at, at + size)); at += size; }
        }
        capture.push({ sql: statements.get(name) ?? "", params });
      } else if (type === "Q" && capture) {
        capture.push({ sql: body.toString("utf8", 0, body.length - 1), params: [] });
      }
    }
  });
  server.on("data", (chunk) => client.write(chunk));
  const close = () => { client.destroy(); server.destroy(); };
  client.on("error", close); server.on("error", close); client.on("close", close); server.on("close", close);
}
const tap = net.createServer(tapConnection);
await new Promise((resolve) => tap.listen(TAP_PORT, "127.0.0.1", resolve));
const tapUrl = new URL(dbUrl.toString());
tapUrl.hostname = "127.0.0.1";
tapUrl.port = String(TAP_PORT);

// ---------------------------------------------------------------- data and sessions
const db = new pg.Pool({ connectionString: dbUrl.toString(), max: 2 });
const exists = (await db.query(`SELECT to_regclass('public.scale_meta') AS t`)).rows[0].t;
if (!exists) throw new Error(`${dbName} has no scale data: run node bench/scale-data.mjs first`);
const meta = (await db.query(`SELECT * FROM scale_meta`)).rows[0];
await db.query(`UPDATE "ApiKey" SET "rateLimitPerMinute" = 100000000`);
const person = async (email) => (await db.query(`
  SELECT u."id" AS "userId", u."sessionVersion", c."id", c."externalId", (SELECT COUNT(*)::int FROM "Order" o WHERE o."customerId" = c."id") AS "orders"
  FROM "User" u LEFT JOIN "Customer" c ON c."userId" = u."id" WHERE u."email" = $1`, [email])).rows[0];
const typical = await person("scale-typical@scale.test");
const heavy = await person("scale-heavy@scale.test");
const staff = await person("admin@hearth.test");
const searchTerm = "scale-4242";
const session = async (who) => {
  const token = await encode({ token: { sub: String(who.userId), sv: who.sessionVersion, name: "bench", email: "bench@x" }, secret: SECRET, salt: "authjs.session-token", maxAge: 86_400 });
  return `authjs.session-token=${token}`;
};
const cookies = { typical: await session(typical), heavy: await session(heavy), staff: await session(staff) };

// ---------------------------------------------------------------- server
const env = { ...prismaEnv(process.env), DATABASE_URL: tapUrl.toString(), NEXT_TELEMETRY_DISABLED: "1", HEARTH_DEMO_DATA: "off", HEARTH_JOBS: "off", AUTH_SECRET: SECRET };
if (!existsSync(".next/BUILD_ID")) {
  const built = spawnSync(path.join("node_modules", ".bin", "next"), ["build"], { env, stdio: "inherit" });
  if (built.status !== 0) throw new Error("build failed");
}
const servers = [[PORT, dbUrl], [PORT + 2, tapUrl]].map(([port, url]) => spawn(process.execPath, ["scripts/server.mjs", "-p", String(port)], {
  env: { ...env, DATABASE_URL: url.toString(), NODE_ENV: "production", DATABASE_POOL_MAX: "10" },
  stdio: ["ignore", "ignore", "inherit"],
}));
const dispatcher = new Agent({ connections: 4, keepAliveTimeout: 30_000 });
try {
  for (const at of [base, tapBase]) {
    for (let attempt = 0; ; attempt += 1) {
      try { if ((await fetch(`${at}/login`)).ok) break; } catch {}
      if (attempt > 120) throw new Error("server did not start");
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  const get = async (pathname, headers, at = base) => {
    const response = await request(`${at}${pathname}`, { dispatcher, headers });
    const text = await response.body.text();
    if (response.statusCode !== 200) throw new Error(`${pathname} -> ${response.statusCode} ${text.slice(0, 300)}`);
    return text;
  };
  const api = { authorization: `Bearer ${KEY}` };
  const targets = [
    { label: `member dashboard: typical (${typical.orders} orders)`, path: "/dashboard", headers: { cookie: cookies.typical }, target: 100 },
    { label: `member activity: typical (${typical.orders} orders)`, path: "/activity", headers: { cookie: cookies.typical }, target: 100 },
    { label: `member dashboard: heavy (${heavy.orders} orders)`, path: "/dashboard", headers: { cookie: cookies.heavy }, target: 100 },
    { label: `member activity: heavy (${heavy.orders} orders)`, path: "/activity", headers: { cookie: cookies.heavy }, target: 100 },
    { label: "member activity API page 2: heavy", path: "/api/member/activity?offset=20", headers: { cookie: cookies.heavy }, target: 100 },
    { label: "console member detail: typical", path: `/admin/members/${typical.id}`, headers: { cookie: cookies.staff }, target: 100 },
    { label: "console member detail: heavy", path: `/admin/members/${heavy.id}`, headers: { cookie: cookies.staff }, target: 100 },
    { label: "console members list", path: "/admin/members", headers: { cookie: cookies.staff }, target: 300 },
    { label: `console members search "${searchTerm}"`, path: `/admin/members?q=${searchTerm}`, headers: { cookie: cookies.staff }, target: 300 },
    { label: "console offers list", path: "/admin/offers", headers: { cookie: cookies.staff }, target: 300 },
    { label: "console tiers page", path: "/admin/tiers", headers: { cookie: cookies.staff }, target: 300 },
    { label: "API GET /members/{id}: heavy", path: `/api/v1/members/${heavy.externalId}`, headers: api, target: 100 },
    { label: "API GET /members/{id}/balance: heavy", path: `/api/v1/members/${heavy.externalId}/balance`, headers: api, target: 100 },
    { label: "API GET /members/{id}/ledger: heavy", path: `/api/v1/members/${heavy.externalId}/ledger`, headers: api, target: 100 },
    { label: "API GET /members/{id}: typical", path: `/api/v1/members/${typical.externalId}`, headers: api, target: 100 },
    { label: "API GET /members/{id}/ledger: typical", path: `/api/v1/members/${typical.externalId}/ledger`, headers: api, target: 100 },
  ].filter((row) => !ONLY || ONLY.some((part) => row.label.includes(part)));

  const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  const rows = [];
  const profiles = [];
  for (const page of targets) {
    for (let i = 0; i < 3; i += 1) await get(page.path, page.headers);
    const durations = [];
    for (let i = 0; i < N; i += 1) {
      const t0 = performance.now();
      await get(page.path, page.headers);
      durations.push(performance.now() - t0);
    }
    // warm on the tapped server too (per-process caches filled), so the capture shows steady state
    for (let i = 0; i < 2; i += 1) await get(page.path, page.headers, tapBase);
    capture = [];
    await get(page.path, page.headers, tapBase);
    profiles.push({ label: page.label, statements: capture });
    capture = null;
    const sorted = durations.sort((a, b) => a - b);
    const p95 = percentile(sorted, 95);
    rows.push({ page: page.label, n: N, p50: Number(percentile(sorted, 50).toFixed(1)), p95: Number(p95.toFixed(1)), target: `<= ${page.target}`, met: p95 <= page.target });
    console.log(JSON.stringify(rows.at(-1)));
  }

  // audience counts and the tier preview: the services the console's server actions call
  if (!ONLY || ONLY.some((part) => "audience tier preview".includes(part))) {
    capture = [];
    // asynchronous: the tasks' connections go through the tap, which runs in this process
    const tasks = await new Promise((resolve) => {
      const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "bench/pages-tasks.ts", String(Math.min(N, 5))], { env: { ...env, DATABASE_URL: tapUrl.toString() }, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "", stderr = "";
      child.stdout.on("data", (chunk) => { stdout += chunk; });
      child.stderr.on("data", (chunk) => { stderr += chunk; });
      child.on("exit", (status) => resolve({ status, stdout, stderr }));
    });
    const taskStatements = capture;
    capture = null;
    if (tasks.status !== 0) throw new Error(`pages-tasks failed: ${tasks.stderr.slice(-2000)}`);
    for (const line of tasks.stdout.split("\n").filter((l) => l.startsWith("{"))) {
      const { task, ms } = JSON.parse(line);
      const sorted = [...ms].sort((a, b) => a - b);
      rows.push({ page: task, n: ms.length, p50: Number(percentile(sorted, 50).toFixed(1)), p95: Number(percentile(sorted, 95).toFixed(1)), target: "<= 1000", met: percentile(sorted, 95) <= 1000 });
      console.log(JSON.stringify(rows.at(-1)));
    }
    // distinct statements of the tasks (each ran n + 1 times)
    profiles.push({ label: "audience counts and tier preview", statements: taskStatements });
  }

  console.log(`\nIssue 12 pages on ${dbName}: ${meta.customers} customers, ${meta.orders} orders (+ 100 demo customers, a typical member with ${typical.orders} orders and a heavy one with ${heavy.orders}); warm, sequential, ms`);
  console.table(rows);

  // ---------------------------------------------------------------- EXPLAIN
  // leading comments (the hot paths' prepared statements start with /* hearth:prepared */) are skipped
  const explainable = (sql) => /^\s*(?:\/\*[^]*?\*\/\s*)*(SELECT|WITH|\()/i.test(sql) && !/FOR UPDATE|FOR SHARE|INSERT |UPDATE |DELETE /i.test(sql);
  const client = await db.connect();
  try {
    for (const profile of profiles) {
      const seen = new Map();
      for (const statement of profile.statements) {
        if (!explainable(statement.sql)) continue;
        const key = statement.sql;
        if (!seen.has(key)) seen.set(key, statement);
      }
      const explained = [];
      for (const statement of seen.values()) {
        try {
          const { rows: [row] } = await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement.sql}`, statement.params);
          const plan = row["QUERY PLAN"][0];
          explained.push({ ...statement, ms: plan["Execution Time"] + (plan["Planning Time"] ?? 0), plan: plan.Plan });
        } catch (error) {
          explained.push({ ...statement, ms: -1, error: error.message });
        }
      }
      explained.sort((a, b) => b.ms - a.ms);
      const total = explained.reduce((sum, row) => sum + Math.max(row.ms, 0), 0);
      console.log(`\n=== ${profile.label}: ${profile.statements.length} statements sent, ${seen.size} distinct read statements, ${total.toFixed(1)} ms in EXPLAIN ANALYZE`);
      if (LIST) profile.statements.forEach((statement, index) => console.log(`  ${String(index + 1).padStart(3)}. ${statement.sql.replace(/\s+/g, " ").slice(0, 200)}`));
      for (const item of explained.slice(0, EXPLAIN_TOP)) {
        console.log(`--- ${item.ms.toFixed(1)} ms: ${item.sql.replace(/\s+/g, " ").slice(0, 260)}`);
        if (item.error) { console.log(`    (EXPLAIN failed: ${item.error})`); continue; }
        for (const node of worstNodes(item.plan).slice(0, 4)) console.log(`    ${node}`);
      }
    }
  } finally {
    client.release();
  }
} finally {
  for (const server of servers) server.kill("SIGINT");
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await db.end();
  tap.close();
  await dispatcher.close();
}

/** Plan nodes by their own (exclusive) time, with rows, loops, filter losses and buffers. */
function worstNodes(plan) {
  const nodes = [];
  const walk = (node) => {
    const children = node.Plans ?? [];
    const total = node["Actual Total Time"] * node["Actual Loops"];
    const childTime = children.reduce((sum, child) => sum + child["Actual Total Time"] * child["Actual Loops"], 0);
    nodes.push({ node, self: Math.max(0, total - childTime) });
    children.forEach(walk);
  };
  walk(plan);
  return nodes
    .sort((a, b) => b.self - a.self)
    .map(({ node, self }) => {
      const name = [node["Node Type"], node["Index Name"] ? `using ${node["Index Name"]}` : "", node["Relation Name"] ? `on ${node["Relation Name"]}` : ""].filter(Boolean).join(" ");
      const removed = node["Rows Removed by Filter"] ? ` removed=${node["Rows Removed by Filter"]}` : "";
      const buffers = `hit=${node["Shared Hit Blocks"] ?? 0} read=${node["Shared Read Blocks"] ?? 0}`;
      const cond = node["Index Cond"] ?? node["Filter"] ?? node["Hash Cond"] ?? node["Join Filter"] ?? "";
      return `${self.toFixed(1).padStart(8)} ms self  ${name}  rows=${node["Actual Rows"]} loops=${node["Actual Loops"]}${removed} ${buffers}${cond ? `  ${String(cond).slice(0, 120)}` : ""}`;
    });
}
