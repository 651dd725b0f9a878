#!/usr/bin/env node
// `npm run cluster`: proves the scale-out topology on this machine, loopback only. Starts its own
// PostgreSQL primary and a pg_basebackup streaming replica (temp dirs, ports 5440/5441), two
// production app processes (3341, 3342) with jobs on and analytics reading the replica, and nginx
// (3340) in front; runs the checks below over HTTP; prints a table; exits 1 if any check fails.
// Everything it started is stopped and its temp dir removed on exit, failure or Ctrl-C.
// Not part of `npm test`. Builds .next first when the checkout has no production build.
import { api, killApp, log, parse, query, root, runTask, startCluster, stopCluster } from "./cluster-lib.mjs";

process.chdir(root);
const results = [];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const run = `c${Date.now().toString(36)}`;

function record(check, isOk, detail) {
  results.push({ check, result: isOk ? "pass" : "FAIL", detail });
  log(`${isOk ? "pass" : "FAIL"}  ${check}: ${detail}`);
}

async function step(check, body) {
  try {
    await body();
  } catch (error) {
    record(check, false, `error: ${error instanceof Error ? error.message : error}`);
  }
}

const order = (id, member, total, placedAt = new Date(), sku = "MUG-1") => ({
  externalId: id, member: { externalId: member }, currency: "USD", total, placedAt: placedAt.toISOString(),
  lines: [{ sku, category: "kitchen", quantity: 1, unitPrice: total }],
});

/** A member who joined 60 days ago with points available now (an order placed 30 days ago). */
async function richMember(cluster, base, name, total = 5_000) {
  const externalId = `${run}-${name}`;
  const created = await api(base, "POST", "/api/v1/members", { body: { externalId, email: `${externalId}@cluster.test` }, idempotencyKey: `${externalId}-m` });
  if (created.status !== 201) throw new Error(`member: ${created.status} ${created.text}`);
  await query(cluster, `UPDATE "Customer" SET "enrolledAt" = now() - interval '60 days' WHERE "externalId" = $1`, [externalId]);
  const earned = await api(base, "POST", "/api/v1/orders", { body: order(`${externalId}-seed`, externalId, total, new Date(Date.now() - 30 * 86_400_000)), idempotencyKey: `${externalId}-seed` });
  if (earned.status !== 201) throw new Error(`seed order: ${earned.status} ${earned.text}`);
  return externalId;
}

const ledgerOk = (check) =>
  check.unbalancedTransactions === 0 && check.mismatchedAccounts === 0 && check.negativeLots === 0 && check.entriesTotal === 0;

const started = Date.now();
let cluster;
try {
  cluster = await startCluster();
  const appsUpAt = Date.now();
  const [app1, app2] = [cluster.appUrl(0), cluster.appUrl(1)];
  const lb = cluster.balancer;
  // a reward without stock or per-member limit (as bench/run.mjs uses)
  const [{ id: rewardId }] = await query(cluster, `SELECT "id" FROM "Reward" WHERE "kind" = 'FREE_SHIPPING' AND "stock" IS NULL ORDER BY "id" LIMIT 1`);

  // (a1) the same Idempotency-Key sent at once to both app processes directly: one effect, one answer
  await step("idempotency across replicas", async () => {
    const member = await richMember(cluster, lb, "idem");
    const problems = [];
    let sent = 0;
    for (let round = 0; round < 5; round += 1) {
      const key = `${run}-idem-order-${round}`;
      const body = order(key, member, 30);
      const answers = await Promise.all([app1, app2, app1, app2].map((base) => api(base, "POST", "/api/v1/orders", { body, idempotencyKey: key })));
      sent += answers.length;
      const bodies = new Set(answers.map((answer) => answer.text));
      if (answers.some((answer) => answer.status !== 201) || bodies.size !== 1) problems.push(`order ${round}: ${answers.map((answer) => answer.status).join("/")}, ${bodies.size} distinct bodies`);
      const [{ orders, earns }] = await query(cluster, `SELECT (SELECT COUNT(*) FROM "Order" WHERE "externalId" = $1)::int AS orders, (SELECT COUNT(*) FROM "LedgerTransaction" t JOIN "Order" o ON o."id" = t."orderId" WHERE o."externalId" = $1 AND t."kind" = 'EARN')::int AS earns`, [key]);
      if (orders !== 1 || earns !== 1) problems.push(`order ${round}: ${orders} orders, ${earns} earn transactions`);
      const redeemKey = `${run}-idem-redeem-${round}`;
      const redeemed = await Promise.all([app1, app2, app1, app2].map((base) => api(base, "POST", `/api/v1/members/${member}/redemptions`, { body: { rewardId }, idempotencyKey: redeemKey })));
      sent += redeemed.length;
      const codes = new Set(redeemed.map((answer) => answer.text));
      if (redeemed.some((answer) => answer.status !== 201) || codes.size !== 1) problems.push(`redemption ${round}: ${redeemed.map((answer) => answer.status).join("/")}, ${codes.size} distinct bodies`);
      const retry = await api(app2, "POST", `/api/v1/members/${member}/redemptions`, { body: { rewardId }, idempotencyKey: redeemKey });
      if (retry.text !== redeemed[0].text || retry.status !== redeemed[0].status) problems.push(`redemption ${round}: a later retry got another answer`);
    }
    const [{ redemptions }] = await query(cluster, `SELECT COUNT(*)::int AS redemptions FROM "Redemption" r JOIN "Customer" c ON c."id" = r."customerId" WHERE c."externalId" = $1`, [member]);
    if (redemptions !== 5) problems.push(`${redemptions} redemptions for 5 keys`);
    record("idempotency across replicas", problems.length === 0, problems.length ? problems.join("; ") : `${sent} requests (4 copies per key, 2 per app), 5 orders + 5 redemptions, each once; retries answered the stored response`);
  });

  // (a2) concurrent orders, returns and redemptions for one member through the balancer
  await step("concurrent writes through the balancer", async () => {
    const member = await richMember(cluster, lb, "race", 20_000);
    const upstreams = new Map();
    const statuses = new Map();
    const ops = [];
    for (let index = 0; index < 60; index += 1) ops.push({ kind: "order", index });
    for (let index = 0; index < 40; index += 1) ops.push({ kind: "redeem", index });
    await Promise.all(Array.from({ length: 30 }, (_, index) => api(lb, "POST", "/api/v1/orders", { body: order(`${run}-race-pre-${index}`, member, 40, new Date(Date.now() - 20 * 86_400_000), "RET-1"), idempotencyKey: `${run}-race-pre-${index}` })));
    for (let index = 0; index < 30; index += 1) ops.push({ kind: "return", index });
    ops.sort(() => Math.random() - 0.5);
    let next = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < ops.length) {
        const op = ops[next++];
        const answer = op.kind === "order"
          ? await api(lb, "POST", "/api/v1/orders", { body: order(`${run}-race-${op.index}`, member, 25), idempotencyKey: `${run}-race-o-${op.index}` })
          : op.kind === "redeem"
            ? await api(lb, "POST", `/api/v1/members/${member}/redemptions`, { body: { rewardId }, idempotencyKey: `${run}-race-r-${op.index}` })
            : await api(lb, "POST", `/api/v1/orders/${run}-race-pre-${op.index}/returns`, { body: { externalId: `${run}-race-ret-${op.index}`, lines: [{ sku: "RET-1", quantity: 1 }] }, idempotencyKey: `${run}-race-ret-${op.index}` });
        const upstream = answer.headers.get("x-hearth-upstream") ?? "?";
        upstreams.set(upstream, (upstreams.get(upstream) ?? 0) + 1);
        const label = `${op.kind} ${answer.status}`;
        statuses.set(label, (statuses.get(label) ?? 0) + 1);
        op.status = answer.status;
      }
    }));
    const ok = (kind) => ops.filter((op) => op.kind === kind && op.status === 201).length;
    const [counts] = await query(cluster, `
      SELECT (SELECT COUNT(*) FROM "Order" o JOIN "Customer" c ON c."id" = o."customerId" WHERE c."externalId" = $1 AND o."externalId" LIKE $2)::int AS orders,
        (SELECT COUNT(*) FROM "Redemption" r JOIN "Customer" c ON c."id" = r."customerId" WHERE c."externalId" = $1)::int AS redemptions,
        (SELECT a."balance" FROM "LedgerAccount" a JOIN "Customer" c ON c."id" = a."customerId" WHERE c."externalId" = $1)::int AS balance,
        (SELECT COALESCE(SUM(e."amount"), 0) FROM "LedgerEntry" e JOIN "LedgerAccount" a ON a."id" = e."accountId" JOIN "Customer" c ON c."id" = a."customerId" WHERE c."externalId" = $1)::int AS entries`,
    [member, `${run}-race-%`]);
    const ledger = await runTask(cluster, "check-ledger");
    const isSpread = [...upstreams.keys()].filter((key) => key !== "?").length === 2;
    const problems = [];
    if (!ledgerOk(ledger)) problems.push(`ledger ${JSON.stringify(ledger)}`);
    if (counts.balance !== counts.entries) problems.push(`balance ${counts.balance} != entries ${counts.entries}`);
    // + 30 orders to return and the seed order
    if (counts.orders !== ok("order") + 31) problems.push(`${counts.orders} orders for ${ok("order")} + 31 acknowledged`);
    if (counts.redemptions !== ok("redeem")) problems.push(`${counts.redemptions} redemptions for ${ok("redeem")} acknowledged`);
    if (!isSpread) problems.push(`served by ${[...upstreams.keys()].join(", ")} only`);
    if (ops.some((op) => op.status >= 500 || op.status === 0)) problems.push("5xx or unanswered requests");
    record("concurrent writes through the balancer", problems.length === 0,
      `${ops.length} concurrent requests, 16 at a time (${[...statuses].map(([label, count]) => `${label}: ${count}`).join(", ")}); per app ${[...upstreams].map(([key, count]) => `${key}=${count}`).join(", ")}; balance ${counts.balance} = entries ${counts.entries}; ledger ${ledger.transactions} tx, 0 unbalanced/mismatched/negative${problems.length ? `; PROBLEMS: ${problems.join("; ")}` : ""}`);
  });

  // (b) a rule saved elsewhere applies to the very next order app 2 takes: app 2 takes orders every
  // 100 ms while the save runs (its config cache stays warm), and the first order sent after the
  // save has committed must earn at the new rate, on app 2 and on app 1
  await step("rule change reaches the other replica", async () => {
    const member = await richMember(cluster, lb, "rule", 20);
    const warm = await richMember(cluster, lb, "rule-warm", 20);
    const before = parse((await api(app2, "POST", "/api/v1/orders", { body: order(`${run}-rule-1`, member, 20), idempotencyKey: `${run}-rule-1` })).text);
    const [{ ppu }] = await query(cluster, `SELECT "pointsPerUnitHundredths"::int AS ppu FROM "EarnRule" WHERE "kind" = 'SPEND' ORDER BY "id" LIMIT 1`);
    let saving = true;
    let warmOrders = 0;
    const warming = (async () => {
      while (saving) {
        await api(app2, "POST", "/api/v1/orders", { body: order(`${run}-rule-w${warmOrders}`, warm, 20), idempotencyKey: `${run}-rule-w${warmOrders}` });
        warmOrders += 1;
        await sleep(100);
      }
    })();
    const saved = await runTask(cluster, "save-spend-rule", String((ppu / 100) * 3)).finally(() => { saving = false; });
    await warming;
    const afterOther = parse((await api(app2, "POST", "/api/v1/orders", { body: order(`${run}-rule-2`, member, 20), idempotencyKey: `${run}-rule-2` })).text);
    const afterFirst = parse((await api(app1, "POST", "/api/v1/orders", { body: order(`${run}-rule-3`, member, 20), idempotencyKey: `${run}-rule-3` })).text);
    const isApplied = afterOther?.pointsEarned >= 2.5 * before?.pointsEarned && afterFirst?.pointsEarned === afterOther?.pointsEarned;
    record("rule change reaches the other replica", isApplied,
      `spend rule v${saved.version} (${ppu / 100} -> ${(ppu / 100) * 3} points per unit) saved by another process while app 2 took ${warmOrders} orders; the next order on app 2 earned ${afterOther?.pointsEarned} (before: ${before?.pointsEarned}), then on app 1 ${afterFirst?.pointsEarned}`);
    // back to the demo's rate for the checks that follow
    await runTask(cluster, "save-spend-rule", String(ppu / 100));
  });

  // (c') a scheduled offer starts once, on both processes: orders before its start earn the base
  // rate, every order after it earns double (not more) whichever process takes it, and the start
  // writes no new rule version (it is a window the earn path reads, not a job that fires)
  await step("scheduled offer applies once", async () => {
    const member = await richMember(cluster, lb, "offer", 20);
    const versionsBefore = (await query(cluster, `SELECT COUNT(*)::int AS n FROM "EarnRuleVersion"`))[0].n;
    const { startsAt } = await runTask(cluster, "schedule-offer", "8");
    const versionsSaved = (await query(cluster, `SELECT COUNT(*)::int AS n FROM "EarnRuleVersion"`))[0].n;
    const earn = async (base, index) => parse((await api(base, "POST", "/api/v1/orders", { body: order(`${run}-offer-${index}`, member, 20), idempotencyKey: `${run}-offer-${index}` })).text)?.pointsEarned;
    const before = [await earn(app1, 0), await earn(app2, 1)];
    await sleep(Math.max(0, new Date(startsAt).getTime() - Date.now() + 500));
    const after = [];
    for (let index = 2; index < 8; index += 1) after.push(await earn(index % 2 ? app2 : app1, index));
    const versionsAfter = (await query(cluster, `SELECT COUNT(*)::int AS n FROM "EarnRuleVersion"`))[0].n;
    const isOk = before.every((points) => points === before[0]) && after.every((points) => points === 2 * before[0]) && versionsAfter === versionsSaved;
    record("scheduled offer applies once", isOk,
      `double-points offer saved (${versionsSaved - versionsBefore} rule version) to start 8 s later; orders before: ${before.join(", ")} points; after, alternating app 1 / app 2: ${after.join(", ")}; rule versions written at the start: ${versionsAfter - versionsSaved}`);
  });

  // (d) analytics from the replica: the lag is the replica's apply delay, and both the API and the console say so
  await step("analytics read from the replica", async () => {
    const member = await richMember(cluster, lb, "lag", 100);
    const [{ lsn }] = await query(cluster, `SELECT pg_current_wal_lsn()::text AS lsn`);
    const t0 = Date.now();
    for (;;) {
      const [{ replayed }] = await query(cluster, `SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS replayed`, [lsn], { replica: true });
      if (replayed) break;
      if (Date.now() - t0 > 30_000) throw new Error("the replica did not replay the order within 30 s");
      await sleep(50);
    }
    const visibleMs = Date.now() - t0;
    const [{ seen }] = await query(cluster, `SELECT COUNT(*)::int AS seen FROM "Customer" WHERE "externalId" = $1`, [member], { replica: true });
    // read right after a write, while the replica is still applying it
    await api(lb, "POST", "/api/v1/orders", { body: order(`${run}-lag-1`, member, 10), idempotencyKey: `${run}-lag-1` });
    const response = await api(lb, "GET", "/api/v1/analytics/overview?period=t30");
    const source = response.headers.get("hearth-data-source");
    const lag = Number(response.headers.get("hearth-replica-lag"));
    const page = await consolePage(lb, "manager@hearth.test", "/admin/analytics");
    const note = (page.match(/data-testid="replica-lag"[^>]*>([\s\S]*?)<\/span>/)?.[1] ?? "").replace(/<!--.*?-->/g, "").trim();
    const delay = cluster.replicaDelayMs;
    // the figure shown is the age of the last replayed commit while WAL waits to be applied: an
    // upper bound that also counts the primary's idle time before that commit (jobs commit every 10 s)
    // the delay runs from the commit on the primary, a few ms before t0 (the commit's answer and
    // the LSN query come first), so the replay may be seen up to that much before the delay
    const isOk = response.status === 200 && source === "replica" && seen === 1 && visibleMs >= delay - 100 && visibleMs <= delay + 2_000 && lag <= delay / 1000 + 12 && note.length > 0;
    record("analytics read from the replica", isOk,
      `apply delay ${delay} ms; a commit became visible on the replica after ${visibleMs} ms; GET /api/v1/analytics/overview ${response.status}, hearth-data-source=${source}, hearth-replica-lag=${lag.toFixed(3)} s; console: "${note}"`);
  });

  // (c) periodic jobs: once per tick across both processes (every-minute jobs, over at least two ticks)
  await step("periodic jobs once per tick", async () => {
    const waitMs = Math.max(0, appsUpAt + 150_000 - Date.now());
    if (waitMs) log(`waiting ${Math.round(waitMs / 1000)} s so the every-minute jobs tick at least twice`);
    await sleep(waitMs);
    // pg-boss turns each cron tick into one "__pgboss__send-it" job per schedule (singleton per
    // minute), whose worker queues the job itself: one tick = one send-it row = one job
    const jobs = ["notify", "import"];
    const rows = await query(cluster, `
      WITH j AS (SELECT name, data, singleton_on, state::text AS state FROM pgboss.job UNION ALL SELECT name, data, singleton_on, state::text FROM pgboss.archive)
      SELECT q.name,
        (SELECT COUNT(DISTINCT singleton_on) FROM j WHERE j.name = '__pgboss__send-it' AND j.data->>'name' = q.name)::int AS ticks,
        (SELECT COUNT(*) FROM j WHERE j.name = '__pgboss__send-it' AND j.data->>'name' = q.name)::int AS "sendIts",
        (SELECT COUNT(*) FROM j WHERE j.name = q.name)::int AS jobs,
        (SELECT COUNT(*) FROM j WHERE j.name = q.name AND j.state = 'completed')::int AS completed
      FROM unnest($1::text[]) AS q(name)`, [jobs]);
    const [{ active }] = await query(cluster, `SELECT COUNT(*)::int AS active FROM pgboss.job WHERE state = 'active' AND started_on < now() - interval '5 minutes'`);
    const minutes = (Date.now() - appsUpAt) / 60_000;
    const isOk = rows.every((row) => row.ticks >= 2 && row.sendIts === row.ticks && row.jobs <= row.ticks && row.jobs >= row.ticks - 1 && row.ticks <= Math.ceil(minutes) + 1) && active === 0;
    record("periodic jobs once per tick", isOk,
      `${minutes.toFixed(1)} min with 2 processes: ${rows.map((row) => `${row.name}: ${row.ticks} ticks, ${row.sendIts} tick jobs, ${row.jobs} runs (${row.completed} completed)`).join("; ")}; stuck active: ${active}`);
  });

  // a replica dies: the balancer keeps answering from the other one
  await step("balancer routes around a dead replica", async () => {
    killApp(cluster, 0);
    await sleep(300);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, index) => api(lb, "GET", `/api/v1/members/demo-member?${index}`)));
    const ok = answers.filter((answer) => answer.status === 200).length;
    record("balancer routes around a dead replica", ok === answers.length, `${ok}/${answers.length} member reads answered 200 with app 1 killed (SIGKILL)`);
  });
} catch (error) {
  record("cluster", false, error instanceof Error ? error.message : String(error));
} finally {
  if (cluster) stopCluster(cluster);
}

console.log(`\nnpm run cluster: ${Math.round((Date.now() - started) / 1000)} s`);
console.table(results);
const failed = results.filter((row) => row.result !== "pass").length;
console.log(failed ? `${failed} check(s) failed` : "all checks passed");
process.exit(failed ? 1 : 0);

/** Signs in through the balancer (next-auth credentials) and returns a console page's HTML. */
async function consolePage(base, email, pathname) {
  const jar = new Map();
  const keep = (response) => {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const at = pair.indexOf("=");
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
  };
  const cookie = () => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
  const csrf = await fetch(`${base}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = await csrf.json();
  const signIn = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST", redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email, password: "hearth-demo", callbackUrl: `${base}${pathname}` }),
  });
  keep(signIn);
  const page = await fetch(`${base}${pathname}`, { headers: { cookie: cookie() }, redirect: "manual" });
  return page.text();
}
