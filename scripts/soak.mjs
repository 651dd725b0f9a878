#!/usr/bin/env node
// `npm run soak`: mixed traffic at a fixed rate through the balancer of a throwaway cluster
// (scripts/cluster-lib.mjs: own PostgreSQL primary + streaming replica, two app processes, nginx;
// loopback only), with faults: one app process killed with SIGKILL and restarted, and the
// PostgreSQL primary restarted once. Clients retry unanswered or failed writes with the same
// Idempotency-Key, as the API contract says. Afterwards it verifies that every acknowledged (2xx)
// write has its effect exactly once, that retries after the faults get the stored answer, that
// the ledger invariants hold and that no job is stuck; prints requests sent, answers by status,
// errors in each fault window and recovery times; exits 1 on any failed verification.
// SOAK_SECONDS (600), SOAK_RATE (requests per second, 40). Bounded: it gives up after
// SOAK_SECONDS + 15 minutes whatever happens. Not part of `npm test`.
import http from "node:http";
import { api, killApp, log, parse, query, restartPrimary, root, runTask, startApp, startCluster, stopCluster, waitApp } from "./cluster-lib.mjs";

process.chdir(root);
const SECONDS = Number(process.env.SOAK_SECONDS ?? 600);
const RATE = Number(process.env.SOAK_RATE ?? 40);
const MAX_IN_FLIGHT = 400;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const run = `s${Date.now().toString(36)}`;

const hardStop = setTimeout(() => {
  console.error(`soak: hard time limit (${SECONDS + 900} s) reached, stopping`);
  process.exit(2);
}, (SECONDS + 900) * 1000);
hardStop.unref();

// every HTTP attempt: [startedAtMs, finishedAtMs, status, kind]
const attempts = [];
const ops = [];
const faults = [];
const checks = [];
let inFlight = 0;
let skipped = 0;

function record(check, isOk, detail) {
  checks.push({ check, result: isOk ? "pass" : "FAIL", detail });
}

const isRetryable = (answer) =>
  answer.status === 0 || answer.status >= 500 || (answer.status === 409 && parse(answer.text)?.error?.code === "IDEMPOTENCY_IN_PROGRESS");

/** A write with an Idempotency-Key, retried with the same key until it gets a final answer (bounded). */
async function write(op, base, pathname, body) {
  op.attempts = 0;
  const deadline = Date.now() + 120_000;
  for (let delay = 200; ; delay = Math.min(delay * 2, 5_000)) {
    op.attempts += 1;
    const t0 = Date.now();
    const answer = await api(base, "POST", pathname, { body, idempotencyKey: op.key, timeoutMs: 30_000 });
    attempts.push([t0, Date.now(), answer.status, op.kind]);
    if (!isRetryable(answer) || Date.now() > deadline) {
      Object.assign(op, { status: answer.status, text: answer.text, pathname, body, at: t0 });
      return answer;
    }
    await sleep(delay);
  }
}

async function read(op, base, pathname) {
  const t0 = Date.now();
  const answer = await api(base, "GET", pathname, { timeoutMs: 30_000 });
  attempts.push([t0, Date.now(), answer.status, op.kind]);
  Object.assign(op, { status: answer.status, at: t0 });
}

const order = (id, member, total, placedAt = new Date()) => ({
  externalId: id, member: { externalId: member }, currency: "USD", total, placedAt: placedAt.toISOString(),
  lines: [{ sku: "SOAK-1", category: "kitchen", quantity: 2, unitPrice: total / 2 }],
});

let cluster;
let webhookSink;
let failed = 0;
try {
  cluster = await startCluster();
  const lb = cluster.balancer;

  // a webhook endpoint on loopback, so deliveries run through the faults too
  let webhooksReceived = 0;
  webhookSink = http.createServer((request, response) => {
    request.resume();
    request.on("end", () => { webhooksReceived += 1; response.writeHead(204).end(); });
  });
  await new Promise((resolve) => webhookSink.listen(0, "127.0.0.1", resolve));
  const endpoint = await api(lb, "POST", "/api/v1/webhook-endpoints", { body: { url: `http://127.0.0.1:${webhookSink.address().port}/hooks` }, idempotencyKey: `${run}-hook` });
  if (endpoint.status !== 201) log(`webhook endpoint not created (${endpoint.status} ${endpoint.text}); deliveries are not exercised`);

  // members with points available now, and a reward to redeem (as bench/run.mjs does)
  const [{ id: rewardId }] = await query(cluster, `SELECT "id" FROM "Reward" WHERE "kind" = 'FREE_SHIPPING' AND "stock" IS NULL ORDER BY "id" LIMIT 1`);
  // the demo's daily earning cap would leave the members short of points for a 10-minute run
  const [{ ppu }] = await query(cluster, `SELECT "pointsPerUnitHundredths"::int AS ppu FROM "EarnRule" WHERE "kind" = 'SPEND' ORDER BY "id" LIMIT 1`);
  await runTask(cluster, "save-spend-rule", String(ppu / 100));
  const members = [];
  for (let index = 0; index < 24; index += 1) {
    const externalId = `${run}-m${index}`;
    await api(lb, "POST", "/api/v1/members", { body: { externalId, email: `${externalId}@soak.test` }, idempotencyKey: `${externalId}-m` });
    members.push(externalId);
  }
  await query(cluster, `UPDATE "Customer" SET "enrolledAt" = now() - interval '60 days' WHERE "externalId" = ANY($1)`, [members]);
  for (const member of members) {
    await api(lb, "POST", "/api/v1/orders", { body: order(`${member}-seed`, member, 100_000, new Date(Date.now() - 30 * 86_400_000)), idempotencyKey: `${member}-seed` });
  }
  const readMembers = (await query(cluster, `SELECT "externalId" FROM "Customer" WHERE "enrolledAt" IS NOT NULL AND "externalId" IS NOT NULL ORDER BY "id" LIMIT 200`)).map((row) => row.externalId);
  log(`soak: ${SECONDS} s at ${RATE} requests/s through ${lb}`);

  const acknowledgedOrders = [];
  let sequence = 0;
  const pick = (list) => list[Math.floor(Math.random() * list.length)];
  function nextOp() {
    const index = sequence++;
    const roll = Math.random();
    const member = pick(members);
    if (roll < 0.3) {
      const op = { kind: "order", key: `${run}-o${index}`, externalId: `${run}-o${index}` };
      return [op, () => write(op, lb, "/api/v1/orders", order(op.externalId, member, 20 + (index % 80))).then((answer) => {
        if (answer.status === 201) acknowledgedOrders.push(op.externalId);
      })];
    }
    if (roll < 0.4 && acknowledgedOrders.length > 0) {
      // one return per order: quantity 1 of its 2
      const orderId = acknowledgedOrders.splice(Math.floor(Math.random() * acknowledgedOrders.length), 1)[0];
      const op = { kind: "return", key: `${run}-r${index}`, externalId: `${run}-r${index}`, orderId };
      return [op, () => write(op, lb, `/api/v1/orders/${orderId}/returns`, { externalId: op.externalId, lines: [{ sku: "SOAK-1", quantity: 1 }] })];
    }
    if (roll < 0.55) {
      const op = { kind: "redemption", key: `${run}-x${index}` };
      return [op, () => write(op, lb, `/api/v1/members/${member}/redemptions`, { rewardId })];
    }
    if (roll < 0.65) {
      const op = { kind: "event", key: `${run}-e${index}`, externalId: `${run}-e${index}` };
      return [op, () => write(op, lb, "/api/v1/events", { member: { externalId: member }, type: "review", externalId: op.externalId })];
    }
    if (roll < 0.9) {
      const op = { kind: "member read" };
      return [op, () => read(op, lb, `/api/v1/members/${pick(readMembers)}`)];
    }
    const op = { kind: "analytics read" };
    return [op, () => read(op, lb, "/api/v1/analytics/overview?period=t30")];
  }

  // the faults, at fixed points of the run
  async function faultPlan(startedAt) {
    const at = (fraction) => sleep(Math.max(0, startedAt + SECONDS * 1000 * fraction - Date.now()));
    await at(0.25);
    const kill = { fault: "SIGKILL app 1, restarted 5 s later", start: Date.now() };
    faults.push(kill);
    log(kill.fault);
    killApp(cluster, 0);
    await sleep(5_000);
    startApp(cluster, 0);
    await waitApp(cluster, 0);
    kill.end = Date.now();
    log(`app 1 back after ${((kill.end - kill.start) / 1000).toFixed(1)} s`);
    await at(0.6);
    const restart = { fault: "PostgreSQL primary restart (pg_ctl restart -m fast)", start: Date.now() };
    faults.push(restart);
    log(restart.fault);
    await restartPrimary(cluster, "fast");
    restart.end = Date.now();
    log(`primary back after ${((restart.end - restart.start) / 1000).toFixed(1)} s`);
  }

  const startedAt = Date.now();
  const plan = faultPlan(startedAt).catch((error) => record("faults injected", false, String(error)));
  const pending = new Set();
  for (let tick = 0; ; tick += 1) {
    const due = startedAt + (tick * 1000) / RATE;
    if (due >= startedAt + SECONDS * 1000) break;
    if (due > Date.now()) await sleep(due - Date.now());
    if (inFlight >= MAX_IN_FLIGHT) { skipped += 1; continue; }
    const [op, send] = nextOp();
    ops.push(op);
    inFlight += 1;
    const promise = send().finally(() => { inFlight -= 1; pending.delete(promise); });
    pending.add(promise);
  }
  log(`traffic stopped; waiting for ${pending.size} requests still retrying`);
  await Promise.all(pending);
  await plan;

  // --- verification ------------------------------------------------------------------------
  const writes = ops.filter((op) => op.key);
  const acknowledged = writes.filter((op) => op.status >= 200 && op.status < 300);
  const keys = writes.map((op) => op.key);
  const stored = new Map((await query(cluster, `SELECT "key", "statusCode", "responseBody" FROM "ApiIdempotency" WHERE "key" = ANY($1)`, [keys])).map((row) => [row.key, row]));
  const problems = [];
  for (const op of acknowledged) {
    const row = stored.get(op.key);
    if (!row || row.statusCode !== op.status || row.responseBody !== op.text) problems.push(`${op.kind} ${op.key}: stored answer differs`);
  }
  // orders: once, with at most one EARN transaction, and one when points were acknowledged
  const orderOps = acknowledged.filter((op) => op.kind === "order");
  const orderRows = new Map((await query(cluster, `
    SELECT o."externalId", COUNT(DISTINCT o."id")::int AS orders, COUNT(t."id") FILTER (WHERE t."kind" = 'EARN')::int AS earns
    FROM "Order" o LEFT JOIN "LedgerTransaction" t ON t."orderId" = o."id" WHERE o."externalId" = ANY($1) GROUP BY o."externalId"`, [orderOps.map((op) => op.externalId)])).map((row) => [row.externalId, row]));
  for (const op of orderOps) {
    const row = orderRows.get(op.externalId);
    const answer = parse(op.text);
    const points = (answer?.pointsEarned ?? 0) + (answer?.pointsPending ?? 0);
    if (!row || row.orders !== 1) problems.push(`order ${op.externalId}: ${row?.orders ?? 0} rows`);
    else if (row.earns > 1 || (points > 0 && row.earns !== 1)) problems.push(`order ${op.externalId}: ${row.earns} EARN transactions`);
  }
  const returnOps = acknowledged.filter((op) => op.kind === "return");
  const returnRows = new Map((await query(cluster, `SELECT "externalId", COUNT(*)::int AS n FROM "OrderReturn" WHERE "externalId" = ANY($1) GROUP BY 1`, [returnOps.map((op) => op.externalId)])).map((row) => [row.externalId, row.n]));
  for (const op of returnOps) if (returnRows.get(op.externalId) !== 1) problems.push(`return ${op.externalId}: ${returnRows.get(op.externalId) ?? 0} rows`);
  const redemptionOps = acknowledged.filter((op) => op.kind === "redemption");
  const codes = redemptionOps.map((op) => parse(op.text)?.code);
  const codeRows = new Map((await query(cluster, `SELECT "code", COUNT(*)::int AS n FROM "Redemption" WHERE "code" = ANY($1) GROUP BY 1`, [codes])).map((row) => [row.code, row.n]));
  for (const code of codes) if (codeRows.get(code) !== 1) problems.push(`redemption ${code}: ${codeRows.get(code) ?? 0} rows`);
  const eventOps = acknowledged.filter((op) => op.kind === "event");
  const eventRows = new Map((await query(cluster, `SELECT "externalId", COUNT(*)::int AS n FROM "MemberEvent" WHERE "externalId" = ANY($1) GROUP BY 1`, [eventOps.map((op) => op.externalId)])).map((row) => [row.externalId, row.n]));
  const awardedTx = eventOps.map((op) => parse(op.text)?.transactionId).filter(Boolean);
  const [{ awarded }] = await query(cluster, `SELECT COUNT(*)::int AS awarded FROM "LedgerTransaction" WHERE "id" = ANY($1)`, [awardedTx]);
  for (const op of eventOps) if (eventRows.get(op.externalId) !== 1) problems.push(`event ${op.externalId}: ${eventRows.get(op.externalId) ?? 0} rows`);
  if (awarded !== awardedTx.length) problems.push(`events: ${awarded} of ${awardedTx.length} awarded transactions found`);
  // nothing the clients never saw acknowledged may have been half-written either: every order row of this run is an acknowledged one
  const [{ orphanOrders }] = await query(cluster, `SELECT COUNT(*)::int AS "orphanOrders" FROM "Order" WHERE "externalId" LIKE $1 AND NOT ("externalId" = ANY($2))`, [`${run}-o%`, orderOps.map((op) => op.externalId)]);
  const unanswered = writes.filter((op) => !(op.status >= 200 && op.status < 500)).length;
  record("every 2xx write has its effect exactly once", problems.length === 0,
    `${acknowledged.length} acknowledged writes (orders ${orderOps.length}, returns ${returnOps.length}, redemptions ${redemptionOps.length}, events ${eventOps.length}); ${problems.length} problems${problems.length ? `: ${problems.slice(0, 5).join("; ")}` : ""}; orders written but never acknowledged: ${orphanOrders}; writes without a final answer: ${unanswered}`);

  // retries with the same key after the faults get the stored answer
  const sample = [...acknowledged.filter((op) => faults.some((fault) => op.at >= fault.start - 2_000 && op.at <= (fault.end ?? fault.start) + 10_000)), ...acknowledged.filter((_, index) => index % 10 === 0)];
  let same = 0;
  const differing = [];
  for (const op of sample) {
    const answer = await api(lb, "POST", op.pathname, { body: op.body, idempotencyKey: op.key });
    attempts.push([Date.now(), Date.now(), answer.status, "retry check"]);
    if (answer.status === op.status && answer.text === op.text && answer.headers.get("idempotent-replayed") === "true") same += 1;
    else differing.push(`${op.kind} ${op.key}: ${answer.status}`);
  }
  record("retries after the faults get the stored answer", differing.length === 0 && sample.length > 0, `${same}/${sample.length} replayed with the same status and body${differing.length ? `; ${differing.slice(0, 5).join("; ")}` : ""}`);

  const ledger = await runTask(cluster, "check-ledger");
  const isLedgerOk = ledger.unbalancedTransactions === 0 && ledger.mismatchedAccounts === 0 && ledger.negativeLots === 0 && ledger.entriesTotal === 0;
  record("ledger invariants", isLedgerOk, `${ledger.transactions} transactions, ${ledger.unbalancedTransactions} unbalanced, ${ledger.mismatchedAccounts} mismatched accounts, ${ledger.negativeLots} negative lots, entries sum ${ledger.entriesTotal}`);

  // give the jobs one more minute to finish what the faults interrupted, then look for stuck work
  log("waiting 70 s for jobs to catch up before the stuck-work check");
  await sleep(70_000);
  const [stuck] = await query(cluster, `
    SELECT (SELECT COUNT(*) FROM pgboss.job WHERE state = 'active' AND started_on < now() - interval '2 minutes')::int AS "activeJobs",
      (SELECT COUNT(*) FROM pgboss.job WHERE state IN ('created', 'retry') AND start_after < now() - interval '3 minutes')::int AS "overdueJobs",
      (SELECT COUNT(*) FROM "ImportJob" WHERE "status" = 'RUNNING' AND ("leaseUntil" IS NULL OR "leaseUntil" < now()))::int AS "stuckImports",
      (SELECT COUNT(*) FROM "WebhookDelivery" WHERE "status" = 'PENDING' AND "nextAttemptAt" < now() - interval '2 minutes')::int AS "overdueDeliveries",
      (SELECT COUNT(*) FROM "WebhookDelivery" WHERE "status" = 'SUCCEEDED')::int AS "deliveredWebhooks",
      (SELECT COUNT(*) FROM "WebhookEvent" WHERE NOT "fannedOut" AND "createdAt" < now() - interval '2 minutes')::int AS "unfannedEvents",
      (SELECT COUNT(*) FROM "AnalyticsChange")::int AS "unfoldedChanges"`);
  const isIdle = stuck.activeJobs === 0 && stuck.overdueJobs === 0 && stuck.stuckImports === 0 && stuck.overdueDeliveries === 0 && stuck.unfannedEvents === 0 && stuck.unfoldedChanges < 50;
  record("no job stuck", isIdle, `${Object.entries(stuck).map(([name, value]) => `${name} ${value}`).join(", ")}; webhook requests received by the sink: ${webhooksReceived}`);

  // --- report ------------------------------------------------------------------------------
  const byStatus = new Map();
  for (const [, , status] of attempts) byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  const byKind = new Map();
  for (const op of ops) {
    const entry = byKind.get(op.kind) ?? { operations: 0, ok: 0, attempts: 0 };
    entry.operations += 1;
    entry.attempts += op.attempts ?? 1;
    if (op.status >= 200 && op.status < 300) entry.ok += 1;
    byKind.set(op.kind, entry);
  }
  console.log(`\nsoak: ${SECONDS} s at ${RATE}/s; ${ops.length} operations, ${attempts.length} HTTP requests sent (retries and the retry check included), ${skipped} ticks skipped (more than ${MAX_IN_FLIGHT} in flight)`);
  console.log(`answered by status: ${[...byStatus].sort((a, b) => a[0] - b[0]).map(([status, count]) => `${status === 0 ? "no answer" : status}: ${count}`).join(", ")}`);
  console.table(Object.fromEntries([...byKind].map(([kind, entry]) => [kind, { ...entry, retries: entry.attempts - entry.operations }])));
  const faultRows = faults.map((fault) => {
    const end = fault.end ?? fault.start;
    const inWindow = attempts.filter(([t0, t1]) => t1 >= fault.start && t0 <= end + 5_000);
    const errors = inWindow.filter(([, , status]) => status === 0 || status >= 500);
    const firstOk = attempts.filter(([, t1, status]) => t1 >= fault.start && status >= 200 && status < 300 && t1 >= (errors.length ? Math.max(...errors.map((row) => row[1])) : fault.start)).map((row) => row[1]).sort((a, b) => a - b)[0];
    const writesOk = attempts.filter(([t0, t1, status, kind]) => t0 >= fault.start && status >= 200 && status < 300 && !kind.includes("read")).map((row) => row[1]).sort((a, b) => a - b)[0];
    return {
      fault: fault.fault,
      "fault lasted (s)": ((end - fault.start) / 1000).toFixed(1),
      "requests in window": inWindow.length,
      "errors (5xx / no answer)": errors.length,
      "recovery: last error -> next 2xx (s)": firstOk && errors.length ? ((firstOk - Math.max(...errors.map((row) => row[1]))) / 1000).toFixed(2) : "no errors",
      "fault start -> first 2xx write (s)": writesOk ? ((writesOk - fault.start) / 1000).toFixed(2) : "none",
    };
  });
  console.table(faultRows);
  if (faults.length < 2) record("faults injected", false, `${faults.length} of 2 faults injected`);
} catch (error) {
  record("soak", false, error instanceof Error ? error.stack ?? error.message : String(error));
} finally {
  webhookSink?.close();
  if (cluster) stopCluster(cluster);
}
console.table(checks);
failed = checks.filter((row) => row.result !== "pass").length;
console.log(failed ? `${failed} verification(s) failed` : "all verifications passed");
process.exit(failed ? 1 : 0);
