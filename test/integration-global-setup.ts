import { spawnSync } from "node:child_process";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { createTestDatabase, dropTestDatabase } from "./test-database";

// Creates one throwaway database for the integration run and migrates it with the same
// `prisma migrate deploy` production uses.
export default async function setup(project: TestProject) {
  const databaseUrl = await createTestDatabase("hearth_it");
  const script = path.resolve(__dirname, "../scripts/prisma.mjs");
  const result = spawnSync(process.execPath, [script, "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: "utf8",
  });
  if (result.status !== 0) {
    await dropTestDatabase(databaseUrl);
    throw new Error(`migrate deploy failed:\n${result.stdout}\n${result.stderr}`);
  }
  project.provide("databaseUrl", databaseUrl);
  return async () => {
    await dropTestDatabase(databaseUrl);
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
