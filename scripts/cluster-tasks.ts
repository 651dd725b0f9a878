import { checkLedger } from "@/lib/db/check-ledger";
import { prisma } from "@/lib/db/prisma";
import { saveOffer } from "@/lib/services/offers";
import { saveEarnRule } from "@/lib/services/save-earn-rule";
import { saveEarnRuleSchema, saveOfferSchema } from "@/lib/validations/console";

// Tasks `npm run cluster` and `npm run soak` run against the cluster's primary through the
// product's own code (node --conditions=react-server --import tsx scripts/cluster-tasks.ts <task>).
// Each prints one JSON line.
//   check-ledger            the ledger invariants (lib/db/check-ledger.ts)
//   save-spend-rule <ppu>   the console's "Points on spend" save (a new rule version), caps lifted
//   schedule-offer <s>      a double-points offer for every member, starting in <s> seconds

type RuleConfig = {
  rounding?: "down" | "nearest" | "up";
  minOrderCents?: number;
  excludedCategories?: string[];
  excludedSkus?: string[];
  categoryMultipliers?: Record<string, number>;
};

async function saveSpendRule(pointsPerUnit: number) {
  const rule = await prisma.earnRule.findFirstOrThrow({ where: { kind: "SPEND" }, orderBy: { id: "asc" } });
  const admin = await prisma.user.findFirstOrThrow({ where: { role: "ADMIN" }, orderBy: { id: "asc" }, select: { id: true } });
  const config = (rule.config ?? {}) as RuleConfig;
  const multipliers = (rule.tierMultipliers ?? {}) as Record<string, number>;
  const input = saveEarnRuleSchema.parse({
    pointsPerUnit,
    tierMultipliers: Object.fromEntries(Object.entries(multipliers).map(([tier, value]) => [tier, value / 10_000])),
    rounding: config.rounding ?? "down",
    minOrder: (config.minOrderCents ?? 0) / 100,
    excludedCategories: config.excludedCategories ?? [],
    excludedSkus: config.excludedSkus ?? [],
    categoryMultipliers: Object.fromEntries(Object.entries(config.categoryMultipliers ?? {}).map(([category, value]) => [category, value / 10_000])),
    capPerMemberDay: null,
    capPerMemberMonth: null,
    startsAt: rule.startsAt?.toISOString(),
    endsAt: rule.endsAt?.toISOString(),
    isActive: true,
  });
  return saveEarnRule({ programId: rule.programId, actorUserId: admin.id, input });
}

async function scheduleOffer(startsInSeconds: number) {
  const program = await prisma.program.findFirstOrThrow({ orderBy: { id: "asc" }, select: { id: true } });
  const admin = await prisma.user.findFirstOrThrow({ where: { role: "ADMIN" }, orderBy: { id: "asc" }, select: { id: true } });
  const startsAt = new Date(Date.now() + startsInSeconds * 1000);
  const input = saveOfferSchema.parse({
    kind: "POINTS", title: "Cluster double points", multiplier: 2, audience: {},
    startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
  });
  const saved = await saveOffer({ programId: program.id, actorUserId: admin.id, input });
  return { saved, startsAt: startsAt.toISOString() };
}

async function main() {
  const [task, argument] = process.argv.slice(2);
  let result: unknown;
  if (task === "check-ledger") result = await checkLedger(prisma);
  else if (task === "save-spend-rule") result = await saveSpendRule(Number(argument));
  else if (task === "schedule-offer") result = await scheduleOffer(Number(argument));
  else throw new Error(`unknown task ${task}`);
  console.log(JSON.stringify(result));
  await prisma.$disconnect();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
