import { prisma } from "@/lib/db/prisma";
import { reviewTiers } from "@/lib/services/tiers";

// One full tier review of the first program (what the nightly review-tiers job runs), timed:
// DATABASE_URL=… node --conditions=react-server --import tsx bench/review-tiers.ts
// On the scale database (bench/scale-data.mjs) it also leaves the kept amounts (TierAmount) the
// tier move preview reads, as a deployment's nightly review would have.
async function main() {
  const program = await prisma.program.findFirstOrThrow({ orderBy: { id: "asc" }, select: { id: true } });
  const started = performance.now();
  const result = await reviewTiers({ programId: program.id });
  const kept = await prisma.tierAmount.count({ where: { programId: program.id } });
  console.log(JSON.stringify({ task: "full tier review", seconds: Number(((performance.now() - started) / 1000).toFixed(1)), ...result, keptAmounts: kept }));
  await prisma.$disconnect();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
