import { describe, expect, test, vi } from "vitest";

vi.mock("@/lib/auth/secret", () => ({ authSecret: () => "unit-test-secret-0123456789abcdef" }));
vi.mock("@/lib/db/prisma", () => ({ prisma: {} }));
const { isSetupToken, setupToken } = await import("./first-run");

describe("the setup page's token", () => {
  test("is derived from the session secret: stable, 32 URL-safe characters", () => {
    expect(setupToken()).toMatch(/^[\w-]{32}$/);
    expect(setupToken()).toBe(setupToken());
  });
  test.each([
    ["missing", undefined],
    ["empty", ""],
    ["one character off", `${setupToken().slice(0, -1)}${setupToken().endsWith("A") ? "B" : "A"}`],
    ["a prefix", setupToken().slice(0, 16)],
    ["longer", `${setupToken()}x`],
  ])("refuses a token that is %s", (_name, candidate) => {
    expect(isSetupToken(candidate)).toBe(false);
  });
  test("accepts the printed one", () => {
    expect(isSetupToken(setupToken())).toBe(true);
  });
});
