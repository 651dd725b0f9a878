#!/usr/bin/env node
// `npm start`: one command from a fresh clone to a production server on http://localhost:3000.
// Generates the Prisma client, builds when sources changed, migrates, loads demo data once,
// then serves. Without DATABASE_URL everything lives in the embedded database under .data/.
import { spawnSync, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { prismaEnv, runPrisma } from "./prisma.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);
if (existsSync(".env")) process.loadEnvFile(".env");

const env = { ...prismaEnv(process.env), NEXT_TELEMETRY_DISABLED: "1" };
const dataDir = path.resolve(env.HEARTH_DATA_DIR ?? ".data");
mkdirSync(dataDir, { recursive: true });

// Sessions need a secret; keep a generated one with the data so restarts keep users signed in.
if (!env.AUTH_SECRET) {
  const secretFile = path.join(dataDir, "auth-secret");
  if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(32).toString("base64url"), { mode: 0o600 });
  env.AUTH_SECRET = readFileSync(secretFile, "utf8").trim();
}

function run(command, args, extraEnv = {}) {
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...env, ...extraEnv } });
  if (result.status !== 0) {
    console.error(`hearth: ${command} ${args.join(" ")} failed`);
    process.exit(result.status ?? 1);
  }
}

const bin = (name) => path.join(root, "node_modules", ".bin", name);

// 1. Prisma client (generated into lib/db/generated, git-ignored)
if (!existsSync("lib/db/generated/client.ts") || statSync("prisma/schema.prisma").mtimeMs > statSync("lib/db/generated/client.ts").mtimeMs) {
  if (runPrisma(["generate"], env) !== 0) process.exit(1);
}

// 2. Production build, redone when any source file changed since the last one
function sourceStamp() {
  const hash = createHash("sha256");
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (["node_modules", ".next", ".data", ".git", "test-results", "playwright-report"].includes(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(tsx?|jsx?|mjs|css|json|prisma|sql)$/.test(entry.name)) {
        const stat = statSync(full);
        hash.update(`${full}:${stat.size}:${stat.mtimeMs}\n`);
      }
    }
  };
  for (const dir of ["app", "components", "lib", "messages", "prisma", "public"]) if (existsSync(dir)) walk(dir);
  for (const file of ["next.config.js", "security-headers.cjs", "package.json", "postcss.config.mjs", "tsconfig.json"]) if (existsSync(file)) hash.update(`${file}:${statSync(file).mtimeMs}`);
  return hash.digest("hex");
}
const stampFile = path.join(".next", "hearth-build-stamp");
const stamp = sourceStamp();
if (!existsSync(path.join(".next", "BUILD_ID")) || !existsSync(stampFile) || readFileSync(stampFile, "utf8") !== stamp) {
  console.log("hearth: building the production bundle (first start or sources changed)…");
  run(bin("next"), ["build"]);
  writeFileSync(stampFile, stamp);
}

// 3. Database: PostgreSQL is migrated by Prisma; the embedded one by prepare-db. Then demo data.
if (env.DATABASE_URL) {
  if (runPrisma(["migrate", "deploy"], env) !== 0) process.exit(1);
}
run(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/prepare-db.ts"]);

// 4. Serve
const port = env.PORT ?? "3000";
console.log(`hearth: serving on http://localhost:${port} (${env.DATABASE_URL ? "PostgreSQL" : `embedded database in ${dataDir}`})`);
// scripts/server.mjs: Next.js, with the API's hot routes handed straight to their handlers
const server = spawn(process.execPath, ["scripts/server.mjs", "-p", port], { stdio: "inherit", env: { ...env, NODE_ENV: "production" } });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
