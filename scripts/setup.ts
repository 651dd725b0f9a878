import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { getEmbeddedDatabase } from "@/lib/db/embedded";
import { migrateEmbedded } from "@/lib/db/migrate-embedded";
import { prisma } from "@/lib/db/prisma";
import { isAppError } from "@/lib/domain/app-error";
import { env, isEmbeddedDatabase } from "@/lib/env";
import { needsSetup, setUpInstallation } from "@/lib/services/first-run";
import { setupSchema } from "@/lib/validations/setup";
import { runPrisma } from "./prisma.mjs";

// `npm run setup -- --shop "My shop" --currency EUR --time-zone Europe/Berlin --admin-name "Ada" --admin-email ada@shop.example`
// First run on an empty database: the shop and its first admin. The password comes from
// HEARTH_SETUP_PASSWORD or is asked for (never a command-line flag: shells keep history).
// Missing flags are asked for on a terminal. Once an admin exists it refuses and changes nothing.
const usage = `usage: npm run setup -- --shop NAME --currency CODE --time-zone IANA_ZONE --admin-name NAME --admin-email EMAIL
       (password: HEARTH_SETUP_PASSWORD, or typed when asked)`;

async function main() {
  const { values } = parseArgs({
    options: {
      shop: { type: "string" }, currency: { type: "string" }, "time-zone": { type: "string" },
      "admin-name": { type: "string" }, "admin-email": { type: "string" }, help: { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  // the database schema first: an empty database gets every migration
  if (isEmbeddedDatabase) await migrateEmbedded(getEmbeddedDatabase());
  else if (runPrisma(["migrate", "deploy"]) !== 0) return 1;
  if (!(await needsSetup())) {
    console.error("hearth setup: an admin already exists; nothing changed. Log in, or ask an admin for an account.");
    return 1;
  }
  const ask = process.stdin.isTTY ? createInterface({ input: process.stdin, output: process.stdout }) : null;
  const value = async (given: string | undefined, question: string) => given ?? (ask ? (await ask.question(`${question}: `)).trim() : undefined);
  const input = {
    shopName: await value(values.shop, "Shop name"),
    currency: await value(values.currency, "Currency (ISO 4217, e.g. EUR)"),
    timeZone: await value(values["time-zone"], "Time zone (IANA, e.g. Europe/Berlin)"),
    adminName: await value(values["admin-name"], "First admin's name"),
    adminEmail: await value(values["admin-email"], "First admin's email"),
    adminPassword: env.HEARTH_SETUP_PASSWORD ?? (ask ? await ask.question("First admin's password (10+ characters; shown as you type): ") : undefined),
  };
  ask?.close();
  const parsed = setupSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) console.error(`hearth setup: ${issue.path.join(".") || "input"}: ${issue.message}`);
    console.error(usage);
    return 2;
  }
  const result = await setUpInstallation(parsed.data);
  console.log(`hearth setup: "${parsed.data.shopName}" (${parsed.data.currency}, ${parsed.data.timeZone}) is ready; admin ${parsed.data.adminEmail} can log in (program ${result.programId}).`);
  return 0;
}

main()
  .then(async (code) => {
    await prisma.$disconnect();
    if (isEmbeddedDatabase) await getEmbeddedDatabase().close();
    process.exit(code);
  })
  .catch(async (error) => {
    console.error(isAppError(error) ? `hearth setup: ${error.message}` : error);
    await prisma.$disconnect().catch(() => {});
    process.exit(1);
  });
