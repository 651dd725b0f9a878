import { prisma } from "@/lib/db/prisma";
import { emptyAudience, type Audience } from "@/lib/domain/offers";
import { previewAudience, refreshOfferCounts } from "@/lib/services/offers";
import { previewTierConfig } from "@/lib/services/save-tiers";
import type { TierConfigInput } from "@/lib/validations/console";

// Helpers for bench/pages.mjs, run with the app's own code (node --conditions=react-server
// --import tsx bench/pages-tasks.ts <n>): the console's "Count members" (offer audience preview),
// the offers list's stored counts (the count-audiences job) and "Preview member moves" (tier preview), the services their server actions call, n times each
// after one warm-up. Prints one JSON line per measurement: {task, ms: [..]}.

async function timed(label: string, n: number, work: () => Promise<unknown>) {
  await work();
  const ms: number[] = [];
  let result: unknown;
  for (let i = 0; i < n; i += 1) {
    const started = performance.now();
    result = await work();
    ms.push(performance.now() - started);
  }
  console.log(JSON.stringify({ task: label, ms, result }));
}

async function main() {
  const n = Number(process.argv[2] ?? 5);
  const program = await prisma.program.findFirstOrThrow({ orderBy: { id: "asc" }, select: { id: true, tierBasis: true, tierWindow: true, tierGraceDays: true } });
  const tiers = await prisma.tier.findMany({ where: { programId: program.id }, orderBy: { rank: "asc" } });
  const spend = await prisma.earnRule.findFirst({ where: { programId: program.id, kind: "SPEND" }, select: { tierMultipliers: true } });
  const multipliers = (spend?.tierMultipliers ?? {}) as Record<string, number>;
  const audiences: [string, Audience][] = [
    ["audience: every member", emptyAudience],
    ["audience: tier + category", { ...emptyAudience, tierIds: [tiers[1].id], preferredCategories: ["kitchen"] }],
    ["audience: joined within 30 days", { ...emptyAudience, joinedWithinDays: 30 }],
    ["audience: no order in 90 days (win-back)", { ...emptyAudience, inactiveDays: 90 }],
    ["audience: at least 3 orders", { ...emptyAudience, minOrders: 3 }],
    ["audience: birthday this month", { ...emptyAudience, birthdayMonth: true }],
  ];
  for (const [label, audience] of audiences) await timed(label, n, () => previewAudience({ programId: program.id, audience }));
  // what the count-audiences job (and "Count again") does: every running offer, one pass, stored
  await timed("audience counts: every running offer (count-audiences job)", n, () => refreshOfferCounts(program.id));
  // the current tiers with the top threshold raised by 10%: what a marketer previews before saving
  const input: TierConfigInput = {
    basis: program.tierBasis as TierConfigInput["basis"],
    window: program.tierWindow as TierConfigInput["window"],
    graceDays: program.tierGraceDays,
    tiers: tiers.map((tier, index) => ({
      id: tier.id, name: tier.name, description: tier.description,
      minSpend: (tier.minSpendCents / 100) * (index === tiers.length - 1 ? 1.1 : 1), minPoints: tier.minPoints,
      multiplier: (multipliers[String(tier.id)] ?? 10_000) / 10_000, freeShipping: tier.freeShipping, earlyAccessHours: tier.earlyAccessHours, birthdayGiftPoints: tier.birthdayGiftPoints,
    })),
  };
  await timed("tier move preview", n, async () => {
    const preview = await previewTierConfig({ programId: program.id, input });
    return { members: preview.members };
  });
  await prisma.$disconnect();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
