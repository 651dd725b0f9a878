import { afterAll, describe, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { getMemberPoints } from "@/lib/db/member-points";
import { AppError } from "@/lib/domain/app-error";
import { enrollCustomer } from "@/lib/services/enroll-customer";
import { saveMemberProfile } from "@/lib/services/member-profile";
import { saveActionRule } from "@/lib/services/save-earn-rule";
import { createCustomer, createProgram, uniqueId } from "@/test/fixtures";

// The member profile: completing it pays the PROFILE rule once; the birthday is set once.

afterAll(async () => {
  await prisma.$disconnect();
});

async function setup() {
  const ctx = await createProgram();
  const actor = await prisma.user.create({ data: { email: `${uniqueId("a")}@example.test`, name: "A", role: "ADMIN", passwordHash: "x" } });
  await saveActionRule({ programId: ctx.program.id, actorUserId: actor.id, input: { kind: "PROFILE", points: 50, referrerPoints: 0, limit: 1, period: "lifetime", isActive: true } });
  const customer = await createCustomer(ctx.program.id);
  await enrollCustomer({ program: ctx.program, customerId: customer.id });
  return { ...ctx, customer };
}

describe("member profile", () => {
  test("an incomplete profile saves without a bonus; completing it pays once, however often it is saved (even concurrently)", async () => {
    const { program, customer } = await setup();
    const partial = await saveMemberProfile({ program, customerId: customer.id, input: { name: "Kim", birthday: "1990-05-04", categories: [], channels: ["email"] } });
    expect(partial).toEqual({ complete: false, bonus: 0 });
    const input = { name: "Kim", birthday: "1990-05-04", categories: ["kitchen"], channels: ["email" as const] };
    const results = await Promise.all(Array.from({ length: 5 }, () => saveMemberProfile({ program, customerId: customer.id, input })));
    expect(results.filter((result) => result.bonus === 50)).toHaveLength(1);
    expect((await getMemberPoints(customer.id)).balance).toBe(50);
    const saved = await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } });
    expect(saved.preferences).toEqual({ categories: ["kitchen"], channels: ["email"] });
    expect(saved.profileCompletedAt).not.toBeNull();
  });

  test("the birthday can't be changed once set, and nothing else is saved by that attempt", async () => {
    const { program, customer } = await setup();
    await saveMemberProfile({ program, customerId: customer.id, input: { name: "Kim", birthday: "1990-05-04", categories: [], channels: [] } });
    await expect(saveMemberProfile({ program, customerId: customer.id, input: { name: "Changed", birthday: "1990-11-23", categories: [], channels: [] } })).rejects.toBeInstanceOf(AppError);
    const saved = await prisma.customer.findUniqueOrThrow({ where: { id: customer.id } });
    expect(saved.name).toBe("Kim");
    expect(saved.birthday?.toISOString().slice(0, 10)).toBe("1990-05-04");
  });

  test("another program's member can't be reached", async () => {
    const { customer } = await setup();
    const other = await createProgram();
    await expect(saveMemberProfile({ program: other.program, customerId: customer.id, input: { name: "X", birthday: "", categories: [], channels: [] } })).rejects.toMatchObject({ code: "MEMBER_NOT_FOUND" });
  });
});
