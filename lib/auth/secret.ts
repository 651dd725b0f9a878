import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";

/**
 * The secret that signs sessions: AUTH_SECRET when set, otherwise one generated once and kept
 * with the data (HEARTH_DATA_DIR/auth-secret, mode 600) — in every mode, development included,
 * exactly as `npm start` does, so no build of Hearth ever signs with a secret anyone can read.
 */
export function authSecret(): string {
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  const dir = path.resolve(env.HEARTH_DATA_DIR);
  const file = path.join(dir, "auth-secret");
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
    } catch (error) {
      // another process wrote it first: use theirs
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  return readFileSync(file, "utf8").trim();
}
