import "server-only";
import path from "node:path";
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { env } from "@/lib/env";

const globalForPglite = globalThis as unknown as { hearthPglite?: PGlite };

// One embedded PostgreSQL per process, stored under HEARTH_DATA_DIR (git-ignored).
export function getEmbeddedDatabase(): PGlite {
  if (!globalForPglite.hearthPglite) {
    const dir = path.resolve(env.HEARTH_DATA_DIR, "pglite");
    mkdirSync(dir, { recursive: true });
    globalForPglite.hearthPglite = new PGlite(dir);
  }
  return globalForPglite.hearthPglite;
}
