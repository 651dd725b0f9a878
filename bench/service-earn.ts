// Earn through the service layer directly (no HTTP, no Next.js), to split where time goes.
// Run: DATABASE_URL=postgresql://... node --conditions=react-server --import tsx bench/service-earn.ts
import { prisma } from "@/lib/db/prisma";
import { getProgram } from "@/lib/services/program";
import { recordOrder } from "@/lib/services/record-order";

const CONCURRENCY = 16;
const TOTAL = 2000;

async function main() {
  const program = await getProgram();
  const members = (await prisma.customer.findMany({ where: { enrolledAt: { not: null } }, select: { externalId: true }, take: 500 })).map((c) => c.externalId);
  const run = `s${Date.now().toString(36)}`;
  const durations: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < TOTAL) {
        const index = next++;
        const t0 = performance.now();
        await recordOrder({
          program,
          externalId: `${run}-${index}`,
          member: { externalId: members[index % members.length] },
          currency: "USD",
          totalCents: 4250,
          placedAt: new Date(),
          lines: [{ sku: "MUG-1", category: "kitchen", quantity: 2, unitPriceCents: 2125 }],
        });
        durations.push(performance.now() - t0);
      }
    }),
  );
  const wall = performance.now() - started;
  durations.sort((a, b) => a - b);
  console.log(`service earn x${CONCURRENCY}: ${Math.round((TOTAL / wall) * 1000)}/s, p50 ${durations[Math.floor(TOTAL * 0.5)].toFixed(1)} ms, p95 ${durations[Math.floor(TOTAL * 0.95)].toFixed(1)} ms`);
  await prisma.$disconnect();
}

main();
