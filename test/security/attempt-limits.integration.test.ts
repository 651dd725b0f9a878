import { afterAll, describe, expect, test } from "vitest";
import { clearAttempts, clientAddress, countAttempt } from "@/lib/auth/attempt-limits";
import { prisma } from "@/lib/db/prisma";
import { uniqueId } from "@/test/fixtures";

// Login and join attempt limits, counted in PostgreSQL (shared by every app replica).

afterAll(async () => {
  await prisma.$disconnect();
});

describe("attempt limits", () => {
  test("an account gets 10 login attempts per quarter hour, whatever the address; a success forgets them", async () => {
    const email = `${uniqueId("victim")}@example.test`;
    for (let attempt = 0; attempt < 10; attempt += 1) await countAttempt([{ kind: "loginAccount", key: email }]);
    await expect(countAttempt([{ kind: "loginAccount", key: email.toUpperCase() }])).rejects.toMatchObject({ code: "RATE_LIMITED" });
    // another account is not affected
    await expect(countAttempt([{ kind: "loginAccount", key: `${uniqueId("other")}@example.test` }])).resolves.toBeUndefined();
    await clearAttempts("loginAccount", email);
    await expect(countAttempt([{ kind: "loginAccount", key: email }])).resolves.toBeUndefined();
    expect(await prisma.rateLimit.count({ where: { key: { startsWith: "auth-loginAccount" } } })).toBeGreaterThan(0);
  });

  test("sign-ups per address: over the limit, refused; another address is not", async () => {
    const address = `198.51.100.${Math.floor(Math.random() * 200)}-${uniqueId("t")}`;
    const limit = Number(process.env.HEARTH_JOIN_LIMIT_PER_IP ?? 20);
    for (let attempt = 0; attempt < limit; attempt += 1) await countAttempt([{ kind: "joinIp", key: address }]);
    await expect(countAttempt([{ kind: "joinIp", key: address }])).rejects.toMatchObject({ code: "RATE_LIMITED" });
    await expect(countAttempt([{ kind: "joinIp", key: `${address}-2` }])).resolves.toBeUndefined();
  });

  test.each([
    ["joinAccount", "confirmation emails to one address"],
    ["resetAccount", "reset links to one address"],
  ] as const)("%s: 5 per hour (%s), whatever the client address; other addresses are not affected", async (kind, _what) => {
    const email = `${uniqueId("inbox")}@example.test`;
    for (let attempt = 0; attempt < 5; attempt += 1) await countAttempt([{ kind, key: email }]);
    await expect(countAttempt([{ kind, key: email.toUpperCase() }])).rejects.toMatchObject({ code: "RATE_LIMITED" });
    await expect(countAttempt([{ kind, key: `${uniqueId("other")}@example.test` }])).resolves.toBeUndefined();
  });

  test("the client address is the nearest proxy's report", () => {
    expect(clientAddress(new Headers({ "x-forwarded-for": "203.0.113.7, 10.0.0.1" }))).toBe("203.0.113.7");
    expect(clientAddress(new Headers({ "x-real-ip": "203.0.113.8" }))).toBe("203.0.113.8");
    expect(clientAddress(new Headers())).toBe("unknown");
  });
});
