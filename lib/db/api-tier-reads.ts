import "server-only";
import { prisma } from "./prisma";

/**
 * The program's tiers, lowest first, with what qualifies for each (basis and window), the earning
 * multiplier the spend rule gives it and its benefits, for GET /tiers.
 */
export async function getApiTiers(programId: number) {
  const [program, tiers, spend] = await Promise.all([
    prisma.program.findUniqueOrThrow({ where: { id: programId }, select: { tierBasis: true, tierWindow: true, tierGraceDays: true, currency: true } }),
    prisma.tier.findMany({
      where: { programId },
      orderBy: { rank: "asc" },
      select: { id: true, name: true, rank: true, description: true, minSpendCents: true, minPoints: true, freeShipping: true, earlyAccessHours: true, birthdayGiftPoints: true },
    }),
    prisma.earnRule.findFirst({ where: { programId, kind: "SPEND" }, select: { tierMultipliers: true } }),
  ]);
  const multipliers = (spend?.tierMultipliers ?? {}) as Record<string, number>;
  return {
    basis: program.tierBasis,
    window: program.tierWindow,
    graceDays: program.tierGraceDays,
    currency: program.currency,
    tiers: tiers.map((tier) => ({
      id: tier.id,
      name: tier.name,
      rank: tier.rank,
      description: tier.description,
      minSpend: tier.minSpendCents / 100,
      minPoints: tier.minPoints,
      multiplier: (multipliers[String(tier.id)] ?? 10_000) / 10_000,
      freeShipping: tier.freeShipping,
      earlyAccessHours: tier.earlyAccessHours,
      birthdayGiftPoints: tier.birthdayGiftPoints,
    })),
  };
}
