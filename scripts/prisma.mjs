#!/usr/bin/env node
// Runs the Prisma CLI. On machines that cannot download Prisma's native schema engine, the
// WebAssembly stand-in in ../shared/tools is used when present and nothing else is configured.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const shim = path.resolve(root, "../shared/tools/prisma-schema-engine/schema-engine");

export function prismaEnv(env = process.env) {
  const next = { ...env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
  if (!next.PRISMA_SCHEMA_ENGINE_BINARY && existsSync(shim)) next.PRISMA_SCHEMA_ENGINE_BINARY = shim;
  return next;
}

export function runPrisma(args, env = process.env) {
  const bin = path.join(root, "node_modules", ".bin", "prisma");
  const result = spawnSync(bin, args, { cwd: root, stdio: "inherit", env: prismaEnv(env) });
  return result.status ?? 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exit(runPrisma(process.argv.slice(2)));
}
