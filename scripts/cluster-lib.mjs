// A throwaway Hearth cluster on loopback, shared by `npm run cluster` and `npm run soak`: its own
// PostgreSQL primary (initdb in a temp dir), a streaming replica made with pg_basebackup, two
// production app processes with jobs on, and nginx in front of them. Nothing outside the temp dir
// is touched (the machine's own PostgreSQL included); stop() removes everything, also on failure
// or Ctrl-C.
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { prismaEnv, runPrisma } from "./prisma.mjs";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PG_BIN = process.env.CLUSTER_PG_BIN ?? "/usr/lib/postgresql/15/bin";
const NGINX = process.env.CLUSTER_NGINX ?? "/usr/sbin/nginx";
const basePort = Number(process.env.CLUSTER_PORT ?? 3340);
const pgPort = Number(process.env.CLUSTER_PG_PORT ?? 5440);
export const KEY = "hearth_demo_key";
const AUTH_SECRET = "cluster-secret-cluster-secret-cluster";

const isRoot = process.getuid?.() === 0;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs a PostgreSQL binary (as the postgres user when we are root: PostgreSQL refuses root). */
function pgRun(binary, args, { allowFail = false } = {}) {
  const command = isRoot ? "runuser" : path.join(PG_BIN, binary);
  const full = isRoot ? ["-u", "postgres", "--", path.join(PG_BIN, binary), ...args] : args;
  const result = spawnSync(command, full, { encoding: "utf8", cwd: os.tmpdir() });
  if (result.status !== 0 && !allowFail) throw new Error(`${binary} ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  return result;
}

async function portFree(port) {
  const net = await import("node:net");
  return new Promise((resolve) => {
    const server = net.createServer().once("error", () => resolve(false)).once("listening", () => server.close(() => resolve(true)));
    server.listen(port, "127.0.0.1");
  });
}

async function waitFor(label, probe, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try { if (await probe()) return; } catch {}
    if (Date.now() > until) throw new Error(`${label}: not ready after ${timeoutMs / 1000} s`);
    await sleep(300);
  }
}

export function log(message) {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
}

/**
 * Starts the cluster and returns handles. Options: replicaDelayMs (recovery_min_apply_delay of the
 * replica), customers (demo shop size).
 */
export async function startCluster({ replicaDelayMs = Number(process.env.CLUSTER_REPLICA_DELAY_MS ?? 1000), customers = Number(process.env.CLUSTER_DEMO_CUSTOMERS ?? 100) } = {}) {
  const ports = { balancer: basePort, apps: [basePort + 1, basePort + 2], primary: pgPort, replica: pgPort + 1 };
  for (const port of [ports.balancer, ...ports.apps, ports.primary, ports.replica]) {
    if (!(await portFree(port))) throw new Error(`port ${port} is in use (set CLUSTER_PORT / CLUSTER_PG_PORT)`);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "hearth-cluster-"));
  chmodSync(dir, 0o755);
  const cluster = {
    dir, ports, replicaDelayMs, apps: [], nginx: null, stopped: false,
    primaryDir: path.join(dir, "primary"), replicaDir: path.join(dir, "replica"),
    primaryUrl: `postgresql://postgres@127.0.0.1:${ports.primary}/hearth`,
    replicaUrl: `postgresql://postgres@127.0.0.1:${ports.replica}/hearth`,
    balancer: `http://127.0.0.1:${ports.balancer}`,
    appUrl: (index) => `http://127.0.0.1:${ports.apps[index]}`,
  };
  installCleanup(cluster);
  if (isRoot) chownSync(dir, uid("postgres"), gid("postgres"));

  // 1. primary: its own initdb, loopback only, WAL for a streaming replica
  log(`primary: initdb in ${cluster.primaryDir}, port ${ports.primary}`);
  pgRun("initdb", ["-D", cluster.primaryDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
  pgAppend(cluster.primaryDir, [
    `port = ${ports.primary}`, "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${dir}'`,
    "wal_level = replica", "max_wal_senders = 5", "wal_keep_size = '256MB'", "max_connections = 200", "hot_standby = on", "hot_standby_feedback = on",
  ]);
  startPostgres(cluster, "primary");
  await adminQuery(cluster, `postgresql://postgres@127.0.0.1:${ports.primary}/postgres`, "CREATE DATABASE hearth");

  // 2. streaming replica from a base backup (-R writes primary_conninfo and standby.signal)
  log(`replica: pg_basebackup -R into ${cluster.replicaDir}, port ${ports.replica}, apply delay ${replicaDelayMs} ms`);
  pgRun("pg_basebackup", ["-h", "127.0.0.1", "-p", String(ports.primary), "-U", "postgres", "-D", cluster.replicaDir, "-R", "-X", "stream", "-c", "fast"]);
  pgAppend(cluster.replicaDir, [`port = ${ports.replica}`, `recovery_min_apply_delay = '${replicaDelayMs}ms'`]);
  startPostgres(cluster, "replica");

  // 3. schema and demo shop on the primary (the replica follows)
  const env = { ...prismaEnv(process.env), DATABASE_URL: cluster.primaryUrl, NEXT_TELEMETRY_DISABLED: "1", HEARTH_DEMO_DATA: "on", HEARTH_DEMO_CUSTOMERS: String(customers) };
  delete env.DATABASE_REPLICA_URL;
  log("primary: prisma migrate deploy");
  if (runPrisma(["migrate", "deploy"], env) !== 0) throw new Error("migrate failed");
  log(`primary: demo shop (${customers} customers)`);
  const prepared = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/prepare-db.ts"], { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
  if (prepared.status !== 0) throw new Error("demo data failed");
  // the checks and the soak send far more than the demo key's per-minute limit, from one address
  await adminQuery(cluster, cluster.primaryUrl, `UPDATE "ApiKey" SET "rateLimitPerMinute" = 100000000`);

  // 4. production build (once per checkout), two app processes, the balancer
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    log("building the production bundle (no .next/BUILD_ID)");
    if (runPrisma(["generate"], env) !== 0) throw new Error("prisma generate failed");
    const built = spawnSync(path.join(root, "node_modules", ".bin", "next"), ["build"], { cwd: root, env, stdio: "inherit" });
    if (built.status !== 0) throw new Error("build failed");
  }
  cluster.appEnv = {
    ...env, NODE_ENV: "production", AUTH_SECRET, DATABASE_REPLICA_URL: cluster.replicaUrl, HEARTH_JOBS: "on", DATABASE_POOL_MAX: "20",
    HEARTH_PUBLIC_URL: cluster.balancer, HEARTH_LOGIN_LIMIT_PER_IP: "100000", HEARTH_JOIN_LIMIT_PER_IP: "100000",
    // the soak's webhook receiver listens on loopback
    HEARTH_WEBHOOK_ALLOW_HOSTS: "127.0.0.1",
  };
  for (let index = 0; index < 2; index += 1) startApp(cluster, index);
  await Promise.all([0, 1].map((index) => waitApp(cluster, index)));
  startNginx(cluster);
  await waitFor("nginx", async () => (await fetch(`${cluster.balancer}/login`)).ok, 20_000);
  log(`cluster up: balancer ${cluster.balancer} -> apps ${ports.apps.join(", ")}; primary :${ports.primary}, replica :${ports.replica}`);
  return cluster;
}

function uid(name) {
  return Number(spawnSync("id", ["-u", name], { encoding: "utf8" }).stdout.trim());
}
function gid(name) {
  return Number(spawnSync("id", ["-g", name], { encoding: "utf8" }).stdout.trim());
}

function pgAppend(dataDir, lines) {
  // postgresql.conf belongs to postgres: append through a file of our own and a cat as that user
  const extra = path.join(path.dirname(dataDir), `${path.basename(dataDir)}.conf.add`);
  writeFileSync(extra, `\n# hearth cluster\n${lines.join("\n")}\n`);
  chmodSync(extra, 0o644);
  const command = `cat '${extra}' >> '${path.join(dataDir, "postgresql.conf")}'`;
  const result = isRoot ? spawnSync("runuser", ["-u", "postgres", "--", "sh", "-c", command]) : spawnSync("sh", ["-c", command]);
  if (result.status !== 0) throw new Error(`could not configure ${dataDir}`);
}

function startPostgres(cluster, which) {
  const dataDir = which === "primary" ? cluster.primaryDir : cluster.replicaDir;
  pgRun("pg_ctl", ["-D", dataDir, "-l", path.join(cluster.dir, `${which}.log`), "-w", "-t", "60", "start"]);
}

/**
 * Restarts the primary (`fast` by default: every connection is cut, as in a failover or a minor
 * upgrade). Asynchronous, so traffic keeps flowing (and failing) while it happens.
 */
export function restartPrimary(cluster, mode = "fast") {
  const args = ["-D", cluster.primaryDir, "-l", path.join(cluster.dir, "primary.log"), "-w", "-t", "60", "-m", mode, "restart"];
  const command = isRoot ? "runuser" : path.join(PG_BIN, "pg_ctl");
  const full = isRoot ? ["-u", "postgres", "--", path.join(PG_BIN, "pg_ctl"), ...args] : args;
  return new Promise((resolve, reject) => {
    const child = spawn(command, full, { cwd: os.tmpdir(), stdio: "ignore" });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`pg_ctl restart exited ${code}`))));
  });
}

async function adminQuery(cluster, url, sql, params = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try { return await client.query(sql, params); } finally { await client.end(); }
}

/** One query against the cluster's primary (or replica). */
export async function query(cluster, sql, params = [], { replica = false } = {}) {
  return (await adminQuery(cluster, replica ? cluster.replicaUrl : cluster.primaryUrl, sql, params)).rows;
}

export function startApp(cluster, index) {
  const port = cluster.ports.apps[index];
  const child = spawn(process.execPath, ["scripts/server.mjs", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root, env: { ...cluster.appEnv, PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"],
  });
  // the apps' output goes to the cluster's dir (and to the terminal with CLUSTER_VERBOSE=1)
  const logFile = path.join(cluster.dir, `app${index + 1}.log`);
  for (const stream of [child.stdout, child.stderr]) {
    stream.on("data", (chunk) => {
      appendFileSync(logFile, chunk);
      if (process.env.CLUSTER_VERBOSE) process.stderr.write(`[app ${index + 1}] ${chunk}`);
    });
  }
  cluster.apps[index] = child;
  return child;
}

export async function waitApp(cluster, index, timeoutMs = 120_000) {
  await waitFor(`app ${index + 1}`, async () => (await fetch(`${cluster.appUrl(index)}/login`)).ok, timeoutMs);
}

/** SIGKILL one app process (no shutdown hooks: open transactions are rolled back by PostgreSQL). */
export function killApp(cluster, index) {
  cluster.apps[index]?.kill("SIGKILL");
}

function startNginx(cluster) {
  const temp = path.join(cluster.dir, "nginx");
  mkdirSync(temp, { recursive: true });
  chmodSync(temp, 0o777);
  const conf = path.join(cluster.dir, "nginx.conf");
  // POSTs are passed to the other app only when the first could not be connected to (the request
  // never reached it); nginx never re-sends a request an app may have started (non_idempotent off)
  writeFileSync(conf, `
daemon off;
worker_processes 1;
pid ${path.join(cluster.dir, "nginx.pid")};
error_log ${path.join(cluster.dir, "nginx-error.log")} warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${temp}/body;
  proxy_temp_path ${temp}/proxy;
  fastcgi_temp_path ${temp}/fastcgi;
  uwsgi_temp_path ${temp}/uwsgi;
  scgi_temp_path ${temp}/scgi;
  upstream hearth {
    server 127.0.0.1:${cluster.ports.apps[0]} max_fails=1 fail_timeout=2s;
    server 127.0.0.1:${cluster.ports.apps[1]} max_fails=1 fail_timeout=2s;
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${cluster.ports.balancer};
    location / {
      proxy_pass http://hearth;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_set_header X-Forwarded-Proto http;
      proxy_connect_timeout 2s;
      proxy_read_timeout 60s;
      proxy_next_upstream error timeout;
      proxy_next_upstream_tries 2;
      add_header X-Hearth-Upstream $upstream_addr always;
    }
  }
}
`);
  const child = spawn(NGINX, ["-c", conf, "-p", cluster.dir, "-e", path.join(cluster.dir, "nginx-error.log")], { stdio: ["ignore", "ignore", "inherit"] });
  cluster.nginx = child;
}

/** Stops every process and removes the temp dir (idempotent; synchronous so it also runs on exit). */
export function stopCluster(cluster) {
  if (cluster.stopped) return;
  cluster.stopped = true;
  for (const child of cluster.apps) {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  // nginx: TERM to the master, which stops its workers (a SIGKILLed master leaves them listening)
  if (cluster.nginx && cluster.nginx.exitCode === null && cluster.nginx.signalCode === null) {
    const workers = spawnSync("pgrep", ["-P", String(cluster.nginx.pid)], { encoding: "utf8" }).stdout.split("\n").filter(Boolean).map(Number);
    cluster.nginx.kill("SIGTERM");
    // the master removes its pid file when it has stopped
    const pidFile = path.join(cluster.dir, "nginx.pid");
    const until = Date.now() + 3_000;
    while (Date.now() < until && existsSync(pidFile)) spawnSync("sleep", ["0.1"]);
    for (const pid of [cluster.nginx.pid, ...workers]) {
      try { process.kill(pid, "SIGKILL"); } catch {}
    }
  }
  for (const dataDir of [cluster.replicaDir, cluster.primaryDir]) {
    if (existsSync(path.join(dataDir, "postmaster.pid"))) pgRun("pg_ctl", ["-D", dataDir, "-w", "-t", "30", "-m", "immediate", "stop"], { allowFail: true });
  }
  if (process.env.CLUSTER_KEEP_DIR) {
    console.log(`cluster files kept in ${cluster.dir}`);
    return;
  }
  rmSync(cluster.dir, { recursive: true, force: true });
}

function installCleanup(cluster) {
  process.on("exit", () => stopCluster(cluster));
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(signal, () => {
      console.error(`\n${signal}: stopping the cluster`);
      stopCluster(cluster);
      process.exit(130);
    });
  }
}

/** Runs a TypeScript task (scripts/cluster-tasks.ts) against the cluster's primary; resolves to its JSON answer. */
export function runTask(cluster, ...args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/cluster-tasks.ts", ...args], {
      cwd: root, env: { ...cluster.appEnv, HEARTH_JOBS: "off" }, stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("exit", (code) => {
      if (code !== 0) reject(new Error(`cluster-tasks ${args.join(" ")} failed:\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split("\n").pop()));
    });
  });
}

/** An HTTP call with the demo API key; never throws on a status (network errors give status 0). */
export async function api(base, method, pathname, { body, idempotencyKey, timeoutMs = 30_000 } = {}) {
  const headers = { authorization: `Bearer ${KEY}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
  const started = performance.now();
  try {
    const response = await fetch(`${base}${pathname}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    return { status: response.status, text, headers: response.headers, ms: performance.now() - started };
  } catch (error) {
    return { status: 0, text: String(error?.cause?.code ?? error?.name ?? error), headers: new Headers(), ms: performance.now() - started };
  }
}

export function parse(text) {
  try { return JSON.parse(text); } catch { return null; }
}
