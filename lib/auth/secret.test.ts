import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test, vi } from "vitest";

// No hard-coded session secret in any mode: without AUTH_SECRET a random one is generated once
// and kept with the data, in development as in production.

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

async function secretWith(vars: Record<string, string | undefined>) {
  for (const [key, value] of Object.entries(vars)) vi.stubEnv(key, value);
  vi.resetModules();
  return (await import("./secret")).authSecret();
}

describe("authSecret", () => {
  test("development without AUTH_SECRET: a random secret kept in the data folder, the same on the next start", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "hearth-secret-"));
    const first = await secretWith({ NODE_ENV: "development", AUTH_SECRET: undefined, HEARTH_DATA_DIR: dir });
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first).not.toContain("hearth");
    expect(readFileSync(path.join(dir, "auth-secret"), "utf8").trim()).toBe(first);
    expect(statSync(path.join(dir, "auth-secret")).mode & 0o077).toBe(0);
    expect(await secretWith({ NODE_ENV: "development", AUTH_SECRET: undefined, HEARTH_DATA_DIR: dir })).toBe(first);
    const other = mkdtempSync(path.join(tmpdir(), "hearth-secret-"));
    expect(await secretWith({ NODE_ENV: "development", AUTH_SECRET: undefined, HEARTH_DATA_DIR: other })).not.toBe(first);
  });

  test("AUTH_SECRET wins when set", async () => {
    expect(await secretWith({ AUTH_SECRET: "a-secret-of-at-least-16", HEARTH_DATA_DIR: mkdtempSync(path.join(tmpdir(), "hearth-secret-")) })).toBe("a-secret-of-at-least-16");
  });
});
