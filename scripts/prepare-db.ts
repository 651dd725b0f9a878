import { env, isDemoDataOn, isEmbeddedDatabase } from "@/lib/env";
import { getEmbeddedDatabase } from "@/lib/db/embedded";
import { migrateEmbedded } from "@/lib/db/migrate-embedded";
import { prisma } from "@/lib/db/prisma";
import { isDemoLoaded, loadDemoData } from "@/prisma/demo-data";
import { needsSetup, setupToken } from "@/lib/services/first-run";

// Run by `npm start` before the server: migrations (embedded mode; PostgreSQL is migrated
// with `prisma migrate deploy` just before), then the demo data on first start: in the embedded
// quick start, or with DATABASE_URL only when HEARTH_DEMO_DATA=on (a production database never
// gets the demo's public passwords and API key by accident).
async function main() {
  if (isEmbeddedDatabase) {
    const applied = await migrateEmbedded(getEmbeddedDatabase());
    console.log(applied.length ? `embedded database: applied ${applied.join(", ")}` : "embedded database: up to date");
  }
  if (isDemoDataOn && !(await isDemoLoaded())) {
    console.log("first start: loading demo data (once)…");
    await loadDemoData({ customers: env.HEARTH_DEMO_CUSTOMERS, log: console.log });
  }
  // an empty database: say how to create the shop and its first admin (the page needs the token)
  if (await needsSetup()) {
    console.log(`first run: no admin yet. Open ${env.HEARTH_PUBLIC_URL.replace(/\/$/, "")}/setup?token=${setupToken()} (this link works until an admin exists), or run \`npm run setup\`.`);
  }
  await prisma.$disconnect();
  if (isEmbeddedDatabase) await getEmbeddedDatabase().close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
