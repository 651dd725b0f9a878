import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { checkLedger } from "@/lib/db/check-ledger";
import { getMemberPoints } from "@/lib/db/member-points";
import { addDays } from "@/lib/domain/dates";
import { IMPORT_BATCH, MAX_IMPORT_BATCH, MAX_IMPORT_BYTES, importUnits, prepareImport, preparedFromStored, startImport, storedUnits } from "@/lib/services/bulk-import";
import { enrollCustomer } from "@/lib/services/enroll-customer";
import { IMPORT_LEASE_MS, claimNextImport, continueImport, nextBatchSize, runQueuedImports } from "@/lib/services/import-jobs";
import { getProgramById } from "@/lib/services/program";
import { POST as postImport } from "@/app/api/v1/imports/[kind]/route";
import { createCustomer, createProgram, uniqueId } from "@/test/fixtures";
import { createApiKey } from "@/test/api-helpers";

// Imports are jobs whose state lives in ImportJob (and the file in ImportFile): a process that
// dies mid-import leaves a job another process resumes after its lease, without doubling a row;
// one import runs per program at a time; an upload over the limit is refused while it streams.

const header = "order_id,member_id,member_email,placed_at,currency,total,shipping,sku,category,quantity,unit_price";
const day = (offset: number) => addDays(new Date(), offset).toISOString().slice(0, 10);

afterAll(async () => {
  await prisma.$disconnect();
});

beforeEach(async () => {
  // imports queued by other files' tests would otherwise take part in these
  await runQueuedImports();
});

async function memberOf(programId: number) {
  const program = await prisma.program.findUniqueOrThrow({ where: { id: programId } });
  const customer = await createCustomer(programId);
  await enrollCustomer({ program: { ...program, expiryMonths: program.expiryMonths }, customerId: customer.id, at: addDays(new Date(), -400) });
  return customer;
}

function ordersCsv(externalId: string, count: number, prefix = "q") {
  return [header, ...Array.from({ length: count }, (_, index) => `${prefix}-${externalId}-${index},${externalId},,${day(-60 + (index % 50))},USD,10,,S,,1,10`)].join("\n");
}

describe("imports run as jobs", () => {
  test("a process that dies after the first batch: another run resumes after the lease, nothing doubled", async () => {
    const setup = await createProgram();
    const member = await memberOf(setup.program.id);
    const started = await startImport({ programId: setup.program.id, kind: "ORDERS", filename: "big.csv", csv: ordersCsv(member.externalId, 2500), actorUserId: null });
    expect(await prisma.importJob.findUniqueOrThrow({ where: { id: started.id }, select: { status: true } })).toEqual({ status: "QUEUED" });

    const claim = await claimNextImport();
    expect(claim?.id).toBe(started.id);
    // the first batch commits, then the process "dies": no more batches, the lease is not released
    expect(await continueImport(claim!, { maxBatches: 1 })).toBe("paused");
    expect(await prisma.importJob.findUniqueOrThrow({ where: { id: started.id } })).toMatchObject({ status: "RUNNING", processedRows: 1000, importedRows: 1000 });

    // while the lease runs, nobody else takes the job
    expect(await runQueuedImports()).toMatchObject({ finished: 0 });
    // after it, a run (another process, or this one restarted) resumes from the second batch
    const later = new Date(Date.now() + IMPORT_LEASE_MS + 1000);
    expect(await runQueuedImports({ now: () => later })).toMatchObject({ finished: 1 });
    const job = await prisma.importJob.findUniqueOrThrow({ where: { id: started.id } });
    expect(job).toMatchObject({ status: "DONE", totalRows: 2500, processedRows: 2500, importedRows: 2500, skippedRows: 0, failedRows: 0 });
    expect(await prisma.order.count({ where: { programId: setup.program.id } })).toBe(2500);
    expect((await getMemberPoints(member.id)).balance).toBe(25_000);
    expect(await checkLedger(prisma, [member.id])).toMatchObject({ unbalancedTransactions: 0, mismatchedAccounts: 0 });
    // the uploaded file is kept only while the job can still need it
    expect(await prisma.importFile.count({ where: { jobId: started.id } })).toBe(0);
  });

  test("a stale runner that lost its lease cannot commit another batch", async () => {
    const setup = await createProgram();
    const member = await memberOf(setup.program.id);
    const started = await startImport({ programId: setup.program.id, kind: "ORDERS", filename: "f.csv", csv: ordersCsv(member.externalId, 1500), actorUserId: null });
    const stale = await claimNextImport();
    expect(stale?.id).toBe(started.id);
    const later = new Date(Date.now() + IMPORT_LEASE_MS + 1000);
    const fresh = await claimNextImport({ now: later });
    expect(fresh?.id).toBe(started.id);
    expect(await continueImport(stale!, { maxBatches: 1 })).toBe("lost");
    expect(await prisma.order.count({ where: { programId: setup.program.id } })).toBe(0);
    expect(await continueImport(fresh!, { now: () => later })).toBe("done");
    expect(await prisma.importJob.findUniqueOrThrow({ where: { id: started.id } })).toMatchObject({ status: "DONE", importedRows: 1500 });
    expect((await getMemberPoints(member.id)).balance).toBe(15_000);
  });

  test("one running import per program: a second one waits in the queue; another program's runs beside it", async () => {
    const a = await createProgram();
    const b = await createProgram();
    const memberA = await memberOf(a.program.id);
    const memberB = await memberOf(b.program.id);
    const a1 = await startImport({ programId: a.program.id, kind: "ORDERS", filename: "a1.csv", csv: ordersCsv(memberA.externalId, 10), actorUserId: null });
    const a2 = await startImport({ programId: a.program.id, kind: "ORDERS", filename: "a2.csv", csv: ordersCsv(memberA.externalId, 10, "r"), actorUserId: null });
    const b1 = await startImport({ programId: b.program.id, kind: "ORDERS", filename: "b1.csv", csv: ordersCsv(memberB.externalId, 10), actorUserId: null });
    // racing claimers: each job at most once, and never two of program A at a time
    const claims = await Promise.all(Array.from({ length: 5 }, () => claimNextImport()));
    const claimed = claims.flatMap((claim) => (claim ? [claim.id] : [])).sort((x, y) => x - y);
    expect(claimed).toEqual([a1.id, b1.id]);
    expect(await prisma.importJob.findUniqueOrThrow({ where: { id: a2.id }, select: { status: true } })).toEqual({ status: "QUEUED" });
    // when A's first import ends, its second one can start
    await continueImport(claims.find((claim) => claim?.id === a1.id)!);
    const next = await claimNextImport();
    expect(next?.id).toBe(a2.id);
    await continueImport(next!);
    await continueImport(claims.find((claim) => claim?.id === b1.id)!);
    expect((await getMemberPoints(memberA.id)).balance).toBe(200);
    expect((await getMemberPoints(memberB.id)).balance).toBe(100);
  });

  test("an import whose batches keep failing stops after a few attempts and says why", async () => {
    const setup = await createProgram();
    const started = await startImport({ programId: setup.program.id, kind: "ORDERS", filename: "f.csv", csv: ordersCsv("someone", 3), actorUserId: null });
    // the file is gone (as for a job queued by an older version): every attempt fails the same way
    await prisma.importFile.delete({ where: { jobId: started.id } });
    await runQueuedImports();
    await runQueuedImports({ now: () => new Date(Date.now() + 10 * IMPORT_LEASE_MS) });
    const job = await prisma.importJob.findUniqueOrThrow({ where: { id: started.id } });
    expect(job.status).toBe("FAILED");
    expect((job.errors as { message: string }[]).at(-1)?.message).toMatch(/re-run the file/);
  });
});

describe("batches", () => {
  test("sized by time: the first is IMPORT_BATCH orders, each next one aims at the target, at most doubling, within bounds", () => {
    expect(nextBatchSize(IMPORT_BATCH, 100)).toBe(2 * IMPORT_BATCH); // fast: at most doubled
    expect(nextBatchSize(2000, 400)).toBe(2000); // on target
    expect(nextBatchSize(2000, 800)).toBe(1000); // slow: halved
    expect(nextBatchSize(MAX_IMPORT_BATCH, 10)).toBe(MAX_IMPORT_BATCH);
    expect(nextBatchSize(1000, 60_000)).toBe(IMPORT_BATCH / 4);
  });

  test("a large file in growing batches: every row once, counts and checkpoint exact", async () => {
    const setup = await createProgram();
    const member = await memberOf(setup.program.id);
    const started = await startImport({ programId: setup.program.id, kind: "ORDERS", filename: "big.csv", csv: ordersCsv(member.externalId, 7000), actorUserId: null });
    await runQueuedImports();
    expect(await prisma.importJob.findUniqueOrThrow({ where: { id: started.id } })).toMatchObject({ status: "DONE", checkpoint: 7000, processedRows: 7000, importedRows: 7000, failedRows: 0 });
    expect((await getMemberPoints(member.id)).balance).toBe(70_000);
    expect(await checkLedger(prisma, [member.id])).toMatchObject({ unbalancedTransactions: 0, mismatchedAccounts: 0 });
  });

  test("planned before its transaction: a member with debt then, or who took on debt since, is repaid first; one deactivated since earns nothing (checked again under the batch's locks)", async () => {
    const setup = await createProgram();
    const before = await memberOf(setup.program.id);
    const since = await memberOf(setup.program.id);
    const clear = await memberOf(setup.program.id);
    const gone = await memberOf(setup.program.id);
    // an account for each, so all four are locked by the batch
    for (const member of [before, since, clear, gone]) await prisma.ledgerAccount.upsert({ where: { customerId: member.id }, create: { programId: setup.program.id, kind: "MEMBER", customerId: member.id }, update: {} });
    await prisma.ledgerAccount.updateMany({ where: { customerId: before.id }, data: { debt: 4 } });
    const csv = [header, ...[before, since, clear, gone].flatMap((member, m) => [0, 1].map((index) => `debt-${m}-${index}-${uniqueId("o")},${member.externalId},,${day(-30)},USD,10,,S,,1,10`))].join("\n");
    const prepared = prepareImport({ kind: "ORDERS", filename: "f.csv", csv });
    const units = await importUnits(prepared, await getProgramById(setup.program.id));
    const slice = await units.prepare(0, units.count);
    // between planning and writing, another member's return leaves a debt on their account, and a
    // fourth member is deactivated
    await prisma.ledgerAccount.updateMany({ where: { customerId: since.id }, data: { debt: 3 } });
    await prisma.customer.update({ where: { id: gone.id }, data: { deactivatedAt: new Date() } });
    const done = await prisma.$transaction((tx) => slice.write(tx));
    expect(done).toMatchObject({ processed: 8, imported: 8, failed: 0 });
    expect((await getMemberPoints(before.id)).balance).toBe(16);
    expect((await getMemberPoints(since.id)).balance).toBe(17);
    expect((await getMemberPoints(clear.id)).balance).toBe(20);
    expect((await getMemberPoints(gone.id)).balance).toBe(0);
    const accounts = await prisma.ledgerAccount.findMany({ where: { customerId: { in: [before.id, since.id] } }, select: { debt: true } });
    expect(accounts.map((account) => account.debt)).toEqual([0, 0]);
    expect(await prisma.order.count({ where: { programId: setup.program.id } })).toBe(8);
    expect(await prisma.order.count({ where: { customerId: gone.id, pointsEarned: 0 } })).toBe(2);
    expect(await checkLedger(prisma, [before.id, since.id, clear.id, gone.id])).toMatchObject({ unbalancedTransactions: 0, mismatchedAccounts: 0 });
  });
});

describe("the rows validated at upload", () => {
  const fullHeader = "order_id,member_id,member_email,placed_at,currency,total,shipping,tax,discount,sku,category,quantity,unit_price,line_discount";

  test("stored with the file, they round-trip exactly to what parsing the CSV gives", () => {
    const csv = [fullHeader,
      "r-1,m-1,,2026-03-01T10:30:00Z,USD,95.50,5.00,3.50,10.00,A,shoes,2,40.00,2.00",
      "r-1,m-1,,2026-03-01T10:30:00Z,USD,95.50,5.00,3.50,10.00,B,,1,19.00,",
      "r-2,,Mixed.Case@Example.test,2026-03-02,USD,10,,,,C,toys,1,10,",
      "r-3,m-3,,not-a-date,USD,10,,,,C,,1,10,"].join("\n");
    const prepared = prepareImport({ kind: "ORDERS", filename: "f.csv", csv });
    const restored = preparedFromStored({ kind: "ORDERS", rows: storedUnits(prepared.parsed), totalRows: prepared.totalRows });
    expect(restored && "orders" in restored.parsed && restored.parsed.orders).toEqual("orders" in prepared.parsed && prepared.parsed.orders);
    const balancesCsv = "member_id,points,note,as_of\nm-1,500,welcome,2026-01-01\nm-2,20,,";
    const balances = prepareImport({ kind: "BALANCES", filename: "b.csv", csv: balancesCsv });
    const back = preparedFromStored({ kind: "BALANCES", rows: storedUnits(balances.parsed), totalRows: balances.totalRows });
    expect(back && "balances" in back.parsed && back.parsed.balances).toEqual("balances" in balances.parsed && balances.parsed.balances);
    // another format, or none: the runner parses the CSV
    expect(preparedFromStored({ kind: "ORDERS", rows: JSON.stringify({ v: 99, orders: [] }), totalRows: 4 })).toBeNull();
    expect(preparedFromStored({ kind: "ORDERS", rows: null, totalRows: 4 })).toBeNull();
    expect(preparedFromStored({ kind: "ORDERS", rows: "{not json", totalRows: 4 })).toBeNull();
  });

  test("a job run from its stored rows writes exactly what a job parsed from its CSV writes", async () => {
    const outcome = async (useStored: boolean) => {
      const setup = await createProgram();
      const member = await memberOf(setup.program.id);
      const csv = [fullHeader,
        ...Array.from({ length: 30 }, (_, index) => `s-${index},${member.externalId},,${day(-40 + index)},USD,${index % 3 === 0 ? "57.00" : "20.00"},${index % 3 === 0 ? "5.00" : ""},${index % 3 === 0 ? "2.00" : ""},,A,shoes,1,${index % 3 === 0 ? "50.00" : "20.00"},`),
        `s-bad,${member.externalId},,2099-01-01,USD,10,,,,A,,1,10,`].join("\n");
      const started = await startImport({ programId: setup.program.id, kind: "ORDERS", filename: "s.csv", csv, actorUserId: null });
      const file = await prisma.importFile.findUniqueOrThrow({ where: { jobId: started.id } });
      expect(file.rows).not.toBeNull();
      if (!useStored) await prisma.importFile.update({ where: { jobId: started.id }, data: { rows: null } });
      expect(await runQueuedImports()).toMatchObject({ finished: 1 });
      const job = await prisma.importJob.findUniqueOrThrow({ where: { id: started.id }, select: { status: true, totalRows: true, processedRows: true, importedRows: true, failedRows: true, errors: true } });
      const orders = await prisma.order.findMany({
        where: { programId: setup.program.id }, orderBy: { externalId: "asc" },
        select: { externalId: true, totalCents: true, shippingCents: true, taxCents: true, placedAt: true, pointsEarned: true, isMemberOrder: true, lines: { select: { sku: true, quantity: true, unitPriceCents: true, discountCents: true, pointsEarned: true } } },
      });
      return { job, orders, balance: (await getMemberPoints(member.id)).balance };
    };
    const stored = await outcome(true);
    const parsed = await outcome(false);
    expect(stored.job).toMatchObject({ status: "DONE", totalRows: 31, processedRows: 31, importedRows: 30, failedRows: 1 });
    expect(stored).toEqual(parsed);
  });
});

describe("uploads over the API", () => {
  test("a body over the limit is refused with 413 while it streams: the rest is never read and nothing is stored", async () => {
    const setup = await createProgram();
    const { key } = await createApiKey(setup.program.id);
    const chunk = new TextEncoder().encode(`${"x".repeat(1023)}\n`.repeat(1024)); // 1 MiB
    let pulled = 0;
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        if (pulled === 1) controller.enqueue(new TextEncoder().encode(`${header}\n`));
        else if (pulled > 400) controller.close();
        else controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    }, { highWaterMark: 0 });
    const idempotencyKey = uniqueId("big");
    const request = new Request("http://localhost/api/v1/imports/orders", {
      method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "text/csv", "idempotency-key": idempotencyKey }, body, duplex: "half",
    } as RequestInit);
    const response = await postImport(request, { params: Promise.resolve({ kind: "orders" }) });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
    expect(pulled).toBeLessThanOrEqual(Math.ceil(MAX_IMPORT_BYTES / chunk.byteLength) + 3);
    expect(cancelled).toBe(true);
    expect(await prisma.importJob.count({ where: { programId: setup.program.id } })).toBe(0);
    expect(await prisma.apiIdempotency.count({ where: { key: idempotencyKey } })).toBe(0);
  });

  test("a declared Content-Length over the limit is refused before reading", async () => {
    const setup = await createProgram();
    const { key } = await createApiKey(setup.program.id);
    const response = await postImport(new Request("http://localhost/api/v1/imports/orders", {
      method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "text/csv", "idempotency-key": uniqueId("k"), "content-length": String(MAX_IMPORT_BYTES + 1) }, body: header,
    }), { params: Promise.resolve({ kind: "orders" }) });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
  });

  test("202 with the job QUEUED; the queue runs it", async () => {
    const setup = await createProgram();
    const { key } = await createApiKey(setup.program.id);
    const member = await memberOf(setup.program.id);
    const response = await postImport(new Request("http://localhost/api/v1/imports/orders", {
      method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "text/csv", "idempotency-key": uniqueId("k") }, body: ordersCsv(member.externalId, 20),
    }), { params: Promise.resolve({ kind: "orders" }) });
    expect(response.status).toBe(202);
    const { importId, status } = await response.json();
    expect(status).toBe("QUEUED");
    await runQueuedImports();
    expect(await prisma.importJob.findUniqueOrThrow({ where: { id: importId } })).toMatchObject({ status: "DONE", importedRows: 20 });
  });
});
