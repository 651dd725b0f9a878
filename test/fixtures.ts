import { randomBytes } from "node:crypto";
import { prisma } from "@/lib/db/prisma";
import type { Role } from "@/lib/db/generated/client";
import { enrollCustomer } from "@/lib/services/enroll-customer";
import type { ProgramSettings } from "@/lib/services/program";

// Per-test data on the real database: every test makes its own program, so tests never
// depend on one another's rows.
export function uniqueId(prefix: string) {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
}

export async function createProgram({ welcomeBonus = 0, ...overrides }: Partial<Omit<ProgramSettings, "id">> & { welcomeBonus?: number } = {}) {
  const program = await prisma.program.create({
    data: {
      slug: uniqueId("program"),
      name: "Test program",
      currency: "USD",
      pendingDays: 0,
      expiryMonths: 12,
      ...overrides,
    },
  });
  const bronze = await prisma.tier.create({ data: { programId: program.id, name: "Bronze", rank: 1, minSpendCents: 0 } });
  const silver = await prisma.tier.create({ data: { programId: program.id, name: "Silver", rank: 2, minSpendCents: 50_000 } });
  const gold = await prisma.tier.create({ data: { programId: program.id, name: "Gold", rank: 3, minSpendCents: 150_000 } });
  const rule = await prisma.earnRule.create({
    data: {
      programId: program.id,
      name: "Points on spend",
      pointsPerUnitHundredths: 100,
      tierMultipliers: { [bronze.id]: 10_000, [silver.id]: 12_500, [gold.id]: 15_000 },
    },
  });
  if (welcomeBonus > 0) {
    await prisma.earnRule.create({ data: { programId: program.id, kind: "SIGNUP", name: "Sign-up bonus", config: { points: welcomeBonus, limit: 1, period: "lifetime" } } });
  }
  const settings: ProgramSettings = {
    id: program.id,
    name: program.name,
    currency: program.currency,
    pointValueMillis: program.pointValueMillis,
    pendingDays: program.pendingDays,
    expiryMonths: program.expiryMonths,
    expiryPolicy: program.expiryPolicy,
    expiringSoonDays: program.expiringSoonDays,
  };
  return { program: settings, tiers: { bronze, silver, gold }, rule };
}

/** A shop customer who has not joined yet; tests enroll through the enrollment service. */
export async function createCustomer(programId: number) {
  const externalId = uniqueId("cust");
  return prisma.customer.create({
    data: {
      programId,
      externalId,
      email: `${externalId}@example.test`,
      name: "Test Customer",
    },
  });
}

export async function createReward(programId: number, data: { costPoints: number; stock?: number | null; isActive?: boolean }) {
  return prisma.reward.create({
    data: { programId, name: uniqueId("reward"), kind: "FIXED_DISCOUNT", valueCents: 500, stock: null, ...data },
  });
}

/** A customer who joined the program at `enrolledAt`, through the enrollment service. */
export async function createMember(program: ProgramSettings, enrolledAt?: Date) {
  const customer = await createCustomer(program.id);
  await enrollCustomer({ program, customerId: customer.id, at: enrolledAt });
  return customer;
}

/** A staff user to act as in services that record who made a change. */
export async function createStaffUser(role: Role = "MARKETER") {
  return prisma.user.create({ data: { email: `${uniqueId(role.toLowerCase())}@example.test`, name: role, role, passwordHash: "x" } });
}
