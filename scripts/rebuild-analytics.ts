import { getEmbeddedDatabase } from "@/lib/db/embedded";
import { prisma } from "@/lib/db/prisma";
import { isEmbeddedDatabase } from "@/lib/env";
import { rebuildAnalytics } from "@/lib/services/analytics-rollups";

// `npm run analytics:rebuild`: recomputes every analytics rollup of every program from the raw
// orders (docs/analytics.md "Freshness and rebuilding"). Safe while the app runs: the rebuild
// takes the same per-program lock as the fold job, and readers see the old rollups until it commits.
async function main() {
  const programs = await prisma.program.findMany({ select: { id: true, slug: true }, orderBy: { id: "asc" } });
  for (const program of programs) {
    const started = Date.now();
    await rebuildAnalytics({ programId: program.id });
    const [{ facts }] = await prisma.$queryRaw<{ facts: number }[]>`SELECT COUNT(*)::int AS "facts" FROM "AnalyticsOrderFact" WHERE "programId" = ${program.id}`;
    console.log(`analytics: program ${program.slug}: ${facts} counted orders folded in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  }
  await prisma.$disconnect();
  if (isEmbeddedDatabase) await getEmbeddedDatabase().close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
