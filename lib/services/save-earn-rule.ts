import "server-only";
import { prisma } from "@/lib/db/prisma";
import type { SaveEarnRuleInput } from "@/lib/validations/console";
import { writeAudit } from "./audit";

/**
 * Saves the spend rule as a new version. Ledger rows keep the version that produced them,
 * so a change applies to the next order and never rewrites history.
 */
export async function saveEarnRule({ programId, actorUserId, input }: { programId: number; actorUserId: number; input: SaveEarnRuleInput }) {
  const tierIds = new Set((await prisma.tier.findMany({ where: { programId }, select: { id: true } })).map((tier) => String(tier.id)));
  const tierMultipliers = Object.fromEntries(
    Object.entries(input.tierMultipliers)
      .filter(([tierId]) => tierIds.has(tierId))
      .map(([tierId, multiplier]) => [tierId, Math.round(multiplier * 10_000)]),
  );
  const data = {
    pointsPerUnitHundredths: Math.round(input.pointsPerUnit * 100),
    tierMultipliers,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    isActive: input.isActive,
  };
  return prisma.$transaction(async (tx) => {
    const rule = await tx.earnRule.upsert({
      where: { programId_kind: { programId, kind: "SPEND" } },
      create: { programId, kind: "SPEND", name: "Points on spend", ...data },
      update: { ...data, version: { increment: 1 } },
      select: { id: true, version: true },
    });
    await writeAudit(tx, { actorUserId, action: "earn_rule.updated", targetType: "earn_rule", targetId: rule.id, data: { ...data, version: rule.version } });
    return rule;
  });
}
