import { afterAll, describe, expect, test } from "vitest";
import { GET as getRewards } from "@/app/api/v1/rewards/route";
import { prisma } from "@/lib/db/prisma";
import { createApiKey, setStaffActive } from "@/lib/services/manage-staff";
import { jsonRequest } from "@/test/api-helpers";
import { createProgram, createStaffUser } from "@/test/fixtures";

// Staff accounts: never zero active admins, even when two admins deactivate each other at the
// same moment (real PostgreSQL, concurrent transactions); deactivating someone revokes the API
// keys they created and says which.

afterAll(async () => {
  await prisma.$disconnect();
});

/** Runs `work` with only the given admins active (integration files run one at a time), then restores the others. */
async function withOnlyAdmins(ids: number[], work: () => Promise<void>) {
  const others = await prisma.user.findMany({ where: { role: "ADMIN", isActive: true, id: { notIn: ids } }, select: { id: true } });
  await prisma.user.updateMany({ where: { id: { in: others.map((user) => user.id) } }, data: { isActive: false } });
  try {
    await work();
  } finally {
    await prisma.user.updateMany({ where: { id: { in: others.map((user) => user.id) } }, data: { isActive: true } });
  }
}

describe("active admins", () => {
  test("two admins deactivating each other at once: exactly one succeeds and one admin stays active", async () => {
    for (let round = 0; round < 5; round += 1) {
      const a = await createStaffUser("ADMIN");
      const b = await createStaffUser("ADMIN");
      await withOnlyAdmins([a.id, b.id], async () => {
        const results = await Promise.allSettled([
          setStaffActive({ actorUserId: a.id, userId: b.id, isActive: false }),
          setStaffActive({ actorUserId: b.id, userId: a.id, isActive: false }),
        ]);
        expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
        const refused = results.find((result) => result.status === "rejected") as PromiseRejectedResult;
        expect(["FORBIDDEN", "CONFLICT"]).toContain(refused.reason.code);
        expect(await prisma.user.count({ where: { id: { in: [a.id, b.id] }, isActive: true } })).toBe(1);
      });
      await prisma.user.updateMany({ where: { id: { in: [a.id, b.id] } }, data: { isActive: false } });
    }
  });

  test("the last active admin cannot be deactivated, and a deactivated admin can no longer act", async () => {
    const a = await createStaffUser("ADMIN");
    const b = await createStaffUser("ADMIN");
    const marketer = await createStaffUser("MARKETER");
    await withOnlyAdmins([a.id, b.id], async () => {
      await setStaffActive({ actorUserId: a.id, userId: b.id, isActive: false });
      await expect(setStaffActive({ actorUserId: b.id, userId: a.id, isActive: false })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(setStaffActive({ actorUserId: b.id, userId: marketer.id, isActive: false })).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect((await prisma.user.findUniqueOrThrow({ where: { id: a.id } })).isActive).toBe(true);
      expect((await prisma.user.findUniqueOrThrow({ where: { id: marketer.id } })).isActive).toBe(true);
    });
    await prisma.user.updateMany({ where: { id: { in: [a.id, b.id] } }, data: { isActive: false } });
  });
});

describe("deactivating staff", () => {
  test("revokes the API keys they created (named in the answer); the API refuses them at once", async () => {
    const setup = await createProgram();
    const creator = await createStaffUser("ADMIN");
    const other = await createStaffUser("ADMIN");
    const first = await createApiKey({ programId: setup.program.id, actorUserId: creator.id, name: "Shop sync" });
    const second = await createApiKey({ programId: setup.program.id, actorUserId: creator.id, name: "BI export" });
    const kept = await createApiKey({ programId: setup.program.id, actorUserId: other.id, name: "Other's key" });
    const call = (key: string) => getRewards(jsonRequest("/api/v1/rewards", { key, method: "GET" }));
    expect((await call(first.key)).status).toBe(200);
    const result = await setStaffActive({ actorUserId: other.id, userId: creator.id, isActive: false });
    expect(result.revokedKeys.map((key) => key.name).sort()).toEqual(["BI export", "Shop sync"]);
    expect((await call(first.key)).status).toBe(401);
    expect((await call(second.key)).status).toBe(401);
    expect((await call(kept.key)).status).toBe(200);
    // reactivating the account does not bring the keys back
    await setStaffActive({ actorUserId: other.id, userId: creator.id, isActive: true });
    expect((await call(first.key)).status).toBe(401);
    await prisma.user.updateMany({ where: { id: { in: [creator.id, other.id] } }, data: { isActive: false } });
  });
});
