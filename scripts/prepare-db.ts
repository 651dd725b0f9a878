import { env, isEmbeddedDatabase } from "@/lib/env";
import { getEmbeddedDatabase } from "@/lib/db/embedded";
import { migrateEmbedded } from "@/lib/db/migrate-embedded";
import { prisma } from "@/lib/db/prisma";
import { isDemoLoaded, loadDemoData } from "@/prisma/demo-data";

// Run by `npm start` before the server: migrations (embedded mode; PostgreSQL is migrated
// with `prisma migrate deploy` just before), then the demo data on first start.
async function main() {
  if (isEmbeddedDatabase) {
    const applied = await migrateEmbedded(getEmbeddedDatabase());
    console.log(applied.length ? `embedded database: applied ${applied.join(", ")}` : "embedded database: up to date");
  }
  if (env.HEARTH_DEMO_DATA === "on" && !(await isDemoLoaded())) {
    console.log("first start: loading demo data (once)…");
    await loadDemoData({ customers: env.HEARTH_DEMO_CUSTOMERS, log: console.log });
  }
  await prisma.$disconnect();
  if (isEmbeddedDatabase) await getEmbeddedDatabase().close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
