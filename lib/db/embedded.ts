import "server-only";
import path from "node:path";
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { env } from "@/lib/env";

const globalForPglite = globalThis as unknown as { hearthPglite?: PGlite };

// One embedded PostgreSQL per process, stored under HEARTH_DATA_DIR (git-ignored), with the
// extensions the migrations create (pg_trgm: the console's member search).
export function getEmbeddedDatabase(): PGlite {
  if (!globalForPglite.hearthPglite) {
    const dir = path.resolve(env.HEARTH_DATA_DIR, "pglite");
    mkdirSync(dir, { recursive: true });
    globalForPglite.hearthPglite = new PGlite(dir, { extensions: { pg_trgm } });
  }
  return globalForPglite.hearthPglite;
}
