import { env } from "@/lib/env";
import { prisma } from "@/lib/db/prisma";
import { isDemoLoaded, loadDemoData } from "./demo-data";

// `npm run db:seed`: loads the demo shop into an empty database (either mode).
async function main() {
  if (await isDemoLoaded()) {
    console.log("demo data already loaded; nothing to do");
    return;
  }
  await loadDemoData({ customers: env.HEARTH_DEMO_CUSTOMERS, log: console.log });
}

main()
  .then(() => prisma.$disconnect())
  .catch(async (error) => {
    console.error(error);
    await prisma.$disconnect();
    process.exit(1);
  });
