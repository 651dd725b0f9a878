#!/usr/bin/env node
// Builds a large throwaway program for `npm run bench:pages` (issue 12): the demo shop's
// configuration (tiers, rules, rewards, offers, challenges, staff and the demo API key) plus
// SCALE_CUSTOMERS customers and SCALE_ORDERS orders written with set-based SQL, each member order
// with its EARN transaction, two entries and a lot; some lots redeemed (REDEEM + consumption +
// Redemption), the expired ones expired (EXPIRE + consumption), a tier change per member with a
// tier. Two members with logins (password hearth-demo): scale-typical@scale.test (10 orders) and
// scale-heavy@scale.test (1,500 orders).
//
//   SCALE_CUSTOMERS=20000 SCALE_ORDERS=200000 node bench/scale-data.mjs
//   SCALE_DB=hearth_scale_x node bench/scale-data.mjs   # reuse (or build under) that name
//
// The database is kept (it takes long to build) and reused when it exists and is complete;
// SCALE_REBUILD=1 drops and builds it again. Prints the database URL on the last line.
//
// Loading runs with session_replication_role = replica, so row triggers (the deferred zero-sum
// check, foreign keys, the analytics rollups' queue) are off for the bulk rows; CHECK constraints
// stay on, and afterwards one set-based query per invariant checks what the triggers would have
// (entries sum to zero per transaction, balance = sum of lots' remaining, lots' consumption, FKs).
// Analytics rollups are left as the demo left them (member pages and console lists don't read them;
// run `npm run analytics:rebuild` with DATABASE_URL set if a dashboard is wanted on this data).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { prismaEnv, runPrisma } from "../scripts/prisma.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);

const CUSTOMERS = Number(process.env.SCALE_CUSTOMERS ?? 1_000_000);
const ORDERS = Number(process.env.SCALE_ORDERS ?? 10_000_000);
const admin = new URL(process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
if (!["127.0.0.1", "localhost", "::1"].includes(admin.hostname)) throw new Error("scale data is built on a local database only");
const dbName = process.env.SCALE_DB ?? `hearth_scale_${CUSTOMERS}_${ORDERS}`;
if (!/^[a-z0-9_]+$/.test(dbName)) throw new Error("SCALE_DB: lower-case letters, digits and _ only");
const dbUrl = new URL(admin.toString());
dbUrl.pathname = `/${dbName}`;
export const TYPICAL_EMAIL = "scale-typical@scale.test";
export const HEAVY_EMAIL = "scale-heavy@scale.test";

const started = performance.now();
const since = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
const log = (message) => console.log(`[scale ${since()}] ${message}`);

async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try { return await fn(client); } finally { await client.end(); }
}

const exists = await withClient(admin, async (client) => (await client.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [dbName])).rowCount > 0);
if (exists && process.env.SCALE_REBUILD !== "1") {
  const done = await withClient(dbUrl, async (client) => {
    const table = await client.query(`SELECT to_regclass('public.scale_meta') AS t`);
    if (!table.rows[0].t) return null;
    return (await client.query(`SELECT * FROM scale_meta`)).rows[0] ?? null;
  });
  if (done?.finished_at) {
    log(`reusing ${dbName} (built ${done.finished_at.toISOString()} in ${done.seconds} s: ${done.customers} customers, ${done.orders} orders)`);
    // migrations added since it was built (new indexes are built on the kept rows)
    if (runPrisma(["migrate", "deploy"], { ...prismaEnv(process.env), DATABASE_URL: dbUrl.toString() }) !== 0) throw new Error("migrate failed");
    console.log(dbUrl.toString());
    process.exit(0);
  }
  log(`${dbName} exists but is incomplete: building it again`);
}
if (exists) await withClient(admin, (client) => client.query(`DROP DATABASE "${dbName}" WITH (FORCE)`));
await withClient(admin, (client) => client.query(`CREATE DATABASE "${dbName}"`));

const env = { ...prismaEnv(process.env), DATABASE_URL: dbUrl.toString(), NEXT_TELEMETRY_DISABLED: "1", HEARTH_DEMO_DATA: "on", HEARTH_DEMO_CUSTOMERS: "100", HEARTH_JOBS: "off" };
if (runPrisma(["migrate", "deploy"], env) !== 0) throw new Error("migrate failed");
log("migrated; loading the demo shop's configuration (100 demo customers)");
const prepared = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/prepare-db.ts"], { env, stdio: "inherit" });
if (prepared.status !== 0) throw new Error("demo data failed");
log("demo loaded; bulk load starts");

const BIG_TABLES = ["Customer", "User", "LedgerAccount", "Order", "OrderLine", "LedgerTransaction", "LedgerEntry", "PointLot", "LotConsumption", "Redemption", "TierChange"];

await withClient(dbUrl, async (db) => {
  const step = async (label, sql, params = []) => {
    const t0 = performance.now();
    const result = await db.query(sql, params);
    log(`${label}: ${result.rowCount ?? "-"} rows, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return result;
  };
  await db.query(`CREATE TABLE scale_meta (customers int, orders int, started_at timestamptz DEFAULT now(), finished_at timestamptz, seconds int)`);
  await db.query(`INSERT INTO scale_meta (customers, orders) VALUES ($1, $2)`, [CUSTOMERS, ORDERS]);
  const program = (await db.query(`SELECT "id", "pendingDays", "expiryMonths" FROM "Program" ORDER BY "id" LIMIT 1`)).rows[0];
  const system = Object.fromEntries((await db.query(`SELECT "kind", "id" FROM "LedgerAccount" WHERE "customerId" IS NULL AND "programId" = $1`, [program.id])).rows.map((row) => [row.kind, row.id]));
  const tiers = (await db.query(`SELECT "id", "name" FROM "Tier" WHERE "programId" = $1 ORDER BY "rank"`, [program.id])).rows;
  const spendRule = (await db.query(`SELECT "id", "version" FROM "EarnRule" WHERE "programId" = $1 AND "kind" = 'SPEND'`, [program.id])).rows[0];
  const rewardIds = (await db.query(`SELECT "id" FROM "Reward" WHERE "programId" = $1 AND "isActive" AND "kind" <> 'VOUCHER' ORDER BY "id"`, [program.id])).rows.map((row) => row.id);
  const passwordHash = (await db.query(`SELECT "passwordHash" FROM "User" WHERE "email" = 'member@hearth.test'`)).rows[0].passwordHash;
  const next = async (table) => Number((await db.query(`SELECT COALESCE(MAX("id"), 0) + 1 AS n FROM "${table}"`)).rows[0].n);
  const base = { customer: await next("Customer"), account: await next("LedgerAccount"), order: await next("Order"), tx: await next("LedgerTransaction"), lot: await next("PointLot"), user: await next("User") };

  // bulk load without secondary indexes (rebuilt at the end, as a restore would), triggers off
  const indexes = (await db.query(`
    SELECT i.indexname, i.indexdef FROM pg_indexes i
    WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`, [BIG_TABLES])).rows;
  for (const index of indexes) await db.query(`DROP INDEX "${index.indexname}"`);
  log(`dropped ${indexes.length} secondary indexes for the load`);
  await db.query(`SET session_replication_role = replica`);
  await db.query(`SET work_mem = '256MB'`);
  await db.query(`SELECT setseed(0.12)`);

  const C = CUSTOMERS;
  // customer g (1..C+2): created/enrolled d(g) days ago, 70% members; C+1 typical and C+2 heavy
  // are members for 800 days with logins
  await step("staging customers", `
    CREATE UNLOGGED TABLE scale_customer AS
    SELECT g, $1::int + g - 1 AS id, $2::int + g - 1 AS account,
      (g > $3 OR g % 10 < 7) AS member,
      CASE WHEN g > $3 THEN 800 ELSE 1 + (g::bigint * 7919) % 900 END AS days
    FROM generate_series(1, $3 + 2) g`, [base.customer, base.account, C]);
  await step("Customer", `
    INSERT INTO "Customer" ("id", "programId", "externalId", "email", "name", "locale", "birthday", "enrolledAt", "termsAcceptedAt", "tierId", "preferences", "createdAt", "updatedAt")
    SELECT s.id, $1, 'scale-' || s.g, 'scale-' || s.g || '@scale.test', 'Customer ' || s.g,
      (ARRAY['en','en','en','en','ko','ja','ru','hu','pt-BR'])[1 + s.g % 9],
      CASE WHEN s.g % 4 = 0 THEN date '1970-01-01' + (s.g % 12000) END,
      CASE WHEN s.member THEN now() - s.days * interval '1 day' END,
      CASE WHEN s.member THEN now() - s.days * interval '1 day' END,
      CASE WHEN s.member THEN ($2::int[])[CASE WHEN s.g % 100 < 60 THEN 1 WHEN s.g % 100 < 88 THEN 2 ELSE 3 END] END,
      CASE WHEN s.g % 3 = 0 THEN jsonb_build_object('categories', jsonb_build_array((ARRAY['apparel','kitchen','beauty','accessories'])[1 + s.g % 4])) ELSE '{}'::jsonb END,
      now() - s.days * interval '1 day', now() - s.days * interval '1 day'
    FROM scale_customer s`, [program.id, tiers.map((tier) => tier.id)]);
  await step("User (typical, heavy)", `
    INSERT INTO "User" ("id", "email", "passwordHash", "name", "role")
    VALUES ($1, $3, $5, 'Typical Member', 'MEMBER'), ($2, $4, $5, 'Heavy Member', 'MEMBER')`, [base.user, base.user + 1, TYPICAL_EMAIL, HEAVY_EMAIL, passwordHash]);
  await db.query(`UPDATE "Customer" SET "userId" = $1, "email" = $2, "name" = 'Typical Member', "externalId" = 'scale-typical' WHERE "id" = $3`, [base.user, TYPICAL_EMAIL, base.customer + C]);
  await db.query(`UPDATE "Customer" SET "userId" = $1, "email" = $2, "name" = 'Heavy Member', "externalId" = 'scale-heavy' WHERE "id" = $3`, [base.user + 1, HEAVY_EMAIL, base.customer + C + 1]);
  await step("LedgerAccount", `
    INSERT INTO "LedgerAccount" ("id", "programId", "kind", "customerId") SELECT account, $1, 'MEMBER', id FROM scale_customer WHERE member`, [program.id]);

  // order o: a random customer (the typical and heavy members' orders appended), placed within
  // the customer's life (at most 730 days ago); member orders earn 1 point per currency unit
  await step("staging orders", `
    CREATE UNLOGGED TABLE scale_order AS
    SELECT o, $1::int + o - 1 AS id, customer, account, member, placed, total, total / 100 AS points,
      placed + $4::int * interval '1 day' AS available, placed + $5::int * interval '1 month' AS expires, random() AS rnd
    FROM (
      SELECT o, s.id AS customer, s.account, s.member, now() - interval '1 hour' - random() * least(s.days, 730) * interval '1 day' AS placed,
        1500 + floor(random() * 15000)::int AS total
      FROM (
        SELECT o, CASE WHEN o <= $2 THEN 1 + floor(random() * $3)::int WHEN o <= $2 + 10 THEN $3 + 1 ELSE $3 + 2 END AS cg
        FROM generate_series(1, $2 + 10 + 1500) o) x
      JOIN scale_customer s ON s.g = x.cg) y`, [base.order, ORDERS, C, program.pendingDays, program.expiryMonths ?? 12]);
  await step("Order", `
    INSERT INTO "Order" ("id", "programId", "externalId", "customerId", "currency", "totalCents", "placedAt", "isMemberOrder", "pointsEarned", "createdAt")
    SELECT id, $1, 'scale-o-' || o, customer, 'USD', total, placed, member, CASE WHEN member THEN points ELSE 0 END, placed FROM scale_order`, [program.id]);
  await step("OrderLine", `
    INSERT INTO "OrderLine" ("orderId", "lineNo", "sku", "category", "quantity", "unitPriceCents", "pointsEarned")
    SELECT id, 1, (ARRAY['APP-001','KIT-002','BEA-001','ACC-003'])[1 + o % 4], (ARRAY['apparel','kitchen','beauty','accessories'])[1 + o % 4], 1, total,
      CASE WHEN member THEN points ELSE 0 END FROM scale_order`);

  // each member order's lot: expired (expiresAt passed), redeemed whole (one in nine spendable
  // lots, a few days after it became available) or still held
  await step("staging lots", `
    CREATE UNLOGGED TABLE scale_lot AS
    SELECT o, id AS "orderId", customer, account, points, placed, available, expires,
      $1::int + o - 1 AS tx, $2::int + o - 1 AS lot,
      CASE WHEN expires <= now() THEN 'expired' WHEN available <= now() - interval '3 days' AND o % 9 = 0 THEN 'redeemed' ELSE 'held' END AS state,
      least(available + (1 + rnd * 60) * interval '1 day', now() - interval '1 hour') AS redeemed_at
    FROM scale_order WHERE member AND points > 0`, [base.tx, base.lot]);
  await step("LedgerTransaction EARN", `
    INSERT INTO "LedgerTransaction" ("id", "programId", "kind", "source", "idempotencyKey", "requestHash", "customerId", "reason", "ruleId", "ruleVersion", "orderId", "points", "createdAt")
    SELECT tx, $1, 'EARN', 'order', 'order:' || "orderId", 'scale', customer, 'order', $2, $3, "orderId", points, placed FROM scale_lot`, [program.id, spendRule.id, spendRule.version]);
  await step("LedgerEntry EARN", `
    INSERT INTO "LedgerEntry" ("transactionId", "accountId", "amount")
    SELECT tx, $1, -points FROM scale_lot UNION ALL SELECT tx, account, points FROM scale_lot`, [system.ISSUED]);
  await step("PointLot", `
    INSERT INTO "PointLot" ("id", "accountId", "transactionId", "amount", "remaining", "availableAt", "expiresAt", "createdAt")
    SELECT lot, account, tx, points, CASE WHEN state = 'held' THEN points ELSE 0 END, available, expires, placed FROM scale_lot`);
  // redemptions and expiries: transaction ids after the earns' range
  const spendBase = base.tx + ORDERS + 1510;
  await step("LedgerTransaction REDEEM/EXPIRE", `
    INSERT INTO "LedgerTransaction" ("id", "programId", "kind", "source", "idempotencyKey", "requestHash", "customerId", "reason", "rewardId", "points", "createdAt")
    SELECT $1::int + o - 1, $2, CASE WHEN state = 'redeemed' THEN 'REDEEM' ELSE 'EXPIRE' END::"TxKind",
      CASE WHEN state = 'redeemed' THEN 'redemption:scale' ELSE 'expiry' END, 'lot:' || lot, 'scale', customer,
      CASE WHEN state = 'redeemed' THEN 'reward' ELSE 'expiry' END,
      CASE WHEN state = 'redeemed' THEN ($3::int[])[1 + o % cardinality($3::int[])] END, 0,
      CASE WHEN state = 'redeemed' THEN redeemed_at ELSE expires END
    FROM scale_lot WHERE state <> 'held'`, [spendBase, program.id, rewardIds]);
  await step("LedgerEntry REDEEM/EXPIRE", `
    INSERT INTO "LedgerEntry" ("transactionId", "accountId", "amount")
    SELECT $1::int + o - 1, account, -points FROM scale_lot WHERE state <> 'held'
    UNION ALL
    SELECT $1::int + o - 1, CASE WHEN state = 'redeemed' THEN $2::int ELSE $3::int END, points FROM scale_lot WHERE state <> 'held'`, [spendBase, system.REDEEMED, system.EXPIRED]);
  await step("LotConsumption", `
    INSERT INTO "LotConsumption" ("lotId", "transactionId", "amount") SELECT lot, $1::int + o - 1, points FROM scale_lot WHERE state <> 'held'`, [spendBase]);
  await step("Redemption", `
    INSERT INTO "Redemption" ("customerId", "rewardId", "transactionId", "code", "pointsSpent", "createdAt", "expiresAt", "status", "usedAt")
    SELECT customer, ($2::int[])[1 + o % cardinality($2::int[])], $1::int + o - 1, 'SCALE-' || o, points, redeemed_at, redeemed_at + interval '90 days',
      CASE WHEN o % 2 = 0 THEN 'USED' ELSE 'ACTIVE' END, CASE WHEN o % 2 = 0 THEN redeemed_at + interval '2 days' END
    FROM scale_lot WHERE state = 'redeemed'`, [spendBase, rewardIds]);
  await step("LedgerAccount balances", `
    UPDATE "LedgerAccount" a SET "balance" = s.b FROM (SELECT account, SUM(points)::int AS b FROM scale_lot WHERE state = 'held' GROUP BY account) s WHERE a."id" = s.account`);
  await step("TierChange", `
    INSERT INTO "TierChange" ("programId", "customerId", "fromTierId", "toTierId", "fromTier", "toTier", "reason", "detail", "createdAt")
    SELECT $1, c."id", NULL, c."tierId", NULL, t."name", 'qualified', '{}'::jsonb, c."enrolledAt" + interval '20 days'
    FROM "Customer" c JOIN "Tier" t ON t."id" = c."tierId" WHERE c."id" >= $2`, [program.id, base.customer]);
  // what the "Order_stats" trigger keeps for each customer (off during the load)
  await step("CustomerOrderStats", `
    INSERT INTO "CustomerOrderStats" ("customerId", "programId", "paidOrders", "lastPaidAt")
    SELECT o."customerId", $1, COUNT(*), MAX(o."placedAt") FROM "Order" o
    WHERE o."customerId" >= $2 AND o."cancelledAt" IS NULL AND o."totalCents" > 0 GROUP BY o."customerId"`, [program.id, base.customer]);
  await db.query(`SET session_replication_role = origin`);
  for (const table of ["Customer", "User", "LedgerAccount", "Order", "OrderLine", "LedgerTransaction", "LedgerEntry", "PointLot", "LotConsumption", "Redemption", "TierChange"]) {
    await db.query(`SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), (SELECT MAX("id") FROM "${table}"))`);
  }
  await db.query(`SET maintenance_work_mem = '1GB'`);
  for (const index of indexes) await step(`index ${index.indexname}`, index.indexdef);

  // what the disabled triggers and foreign keys would have enforced, checked set-based
  const checks = {
    "transactions whose entries don't sum to zero": `SELECT COUNT(*) FROM (SELECT "transactionId" FROM "LedgerEntry" GROUP BY 1 HAVING SUM("amount") <> 0) x`,
    "member accounts whose balance <> their entries": `SELECT COUNT(*) FROM "LedgerAccount" a LEFT JOIN (SELECT "accountId", SUM("amount") s FROM "LedgerEntry" GROUP BY 1) e ON e."accountId" = a."id" WHERE a."kind" = 'MEMBER' AND a."balance" <> COALESCE(e.s, 0)`,
    "member accounts whose balance <> their lots' remaining": `SELECT COUNT(*) FROM "LedgerAccount" a LEFT JOIN (SELECT "accountId", SUM("remaining") s FROM "PointLot" GROUP BY 1) l ON l."accountId" = a."id" WHERE a."kind" = 'MEMBER' AND a."balance" <> COALESCE(l.s, 0)`,
    "lots whose amount <> remaining + consumed": `SELECT COUNT(*) FROM "PointLot" l LEFT JOIN (SELECT "lotId", SUM("amount") s FROM "LotConsumption" GROUP BY 1) c ON c."lotId" = l."id" WHERE l."amount" <> l."remaining" + COALESCE(c.s, 0)`,
    "entries without a transaction or account": `SELECT COUNT(*) FROM "LedgerEntry" e WHERE NOT EXISTS (SELECT 1 FROM "LedgerTransaction" t WHERE t."id" = e."transactionId") OR NOT EXISTS (SELECT 1 FROM "LedgerAccount" a WHERE a."id" = e."accountId")`,
    "customers whose paid-order summary differs from their orders": `SELECT COUNT(*) FROM "Customer" c
      LEFT JOIN (SELECT "customerId", COUNT(*) n, MAX("placedAt") last FROM "Order" WHERE "cancelledAt" IS NULL AND "totalCents" > 0 GROUP BY 1) o ON o."customerId" = c."id"
      LEFT JOIN "CustomerOrderStats" s ON s."customerId" = c."id"
      WHERE COALESCE(s."paidOrders", 0) <> COALESCE(o.n, 0) OR s."lastPaidAt" IS DISTINCT FROM o.last`,
    "orders without a customer": `SELECT COUNT(*) FROM "Order" o WHERE NOT EXISTS (SELECT 1 FROM "Customer" c WHERE c."id" = o."customerId")`,
  };
  for (const [label, sql] of Object.entries(checks)) {
    const count = Number((await step(`check: ${label}`, sql)).rows[0].count);
    if (count !== 0) throw new Error(`scale data broken: ${count} ${label}`);
  }
  await db.query(`DROP TABLE scale_customer, scale_order, scale_lot`);
  await step("VACUUM ANALYZE", `VACUUM (ANALYZE)`);
  await db.query(`UPDATE scale_meta SET finished_at = now(), seconds = $1`, [Math.round((performance.now() - started) / 1000)]);
  const sizes = (await db.query(`SELECT relname AS table, n_live_tup AS rows, pg_size_pretty(pg_total_relation_size(relid)) AS size FROM pg_stat_user_tables WHERE relname = ANY($1) ORDER BY pg_total_relation_size(relid) DESC`, [BIG_TABLES])).rows;
  console.table(sizes);
  log(`database size ${(await db.query(`SELECT pg_size_pretty(pg_database_size(current_database())) AS s`)).rows[0].s}`);
});
log(`generation took ${since()} (${CUSTOMERS} customers, ${ORDERS} orders) in ${dbName}`);
console.log(dbUrl.toString());
