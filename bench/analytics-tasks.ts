import { prisma } from "@/lib/db/prisma";
import { refreshProgramImpact } from "@/lib/services/analytics-impact";
import { foldAnalytics, rebuildAnalytics } from "@/lib/services/analytics-rollups";

// Helpers for bench/analytics.mjs, run with the app's own code (node --conditions=react-server
// --import tsx bench/analytics-tasks.ts <task>):
//   rebuild            rebuild every rollup from raw rows (what `npm run analytics:rebuild` does), timed
//   impact             recompute the program-impact estimate (the daily job), timed
//   fold-loop          fold every 10 s until killed (what the fold-analytics job does in each process)
//   fold-at <iso>      one fold at another instant (a new local day re-anchors the trailing windows and the grid), timed
// Prints one JSON line per result.

async function program() {
  return (await prisma.program.findFirstOrThrow({ orderBy: { id: "asc" }, select: { id: true } })).id;
}

async function timed<T>(label: string, work: () => Promise<T>) {
  const started = performance.now();
  const result = await work();
  console.log(JSON.stringify({ task: label, ms: Math.round(performance.now() - started), result }));
  return result;
}

async function main() {
  const [task, argument] = process.argv.slice(2);
  const programId = await program();
  if (task === "rebuild") await timed("rebuild", () => rebuildAnalytics({ programId }));
  else if (task === "impact") await timed("impact", async () => { const impact = await refreshProgramImpact({ programId }); return { members: impact.members, treated: impact.orders.did?.matchedTreated ?? 0 }; });
  else if (task === "fold-at") await timed("fold-at", () => foldAnalytics({ programId, now: new Date(argument), budgetMs: 600_000 }));
  else if (task === "fold-loop") {
    for (;;) {
      const started = performance.now();
      const result = await foldAnalytics({ programId });
      if (result.folded > 0 || result.reanchored || result.rebuilt) console.log(JSON.stringify({ task: "fold", at: new Date().toISOString(), ms: Math.round(performance.now() - started), ...result }));
      await new Promise((resolve) => setTimeout(resolve, 10_000));
    }
  } else throw new Error(`unknown task ${task}`);
  await prisma.$disconnect();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
