import "server-only";
import { prisma, sharedPool } from "@/lib/db/prisma";
import { isAppError } from "@/lib/domain/app-error";
import { IMPORT_BATCH, IMPORT_BATCH_TARGET_MS, MAX_IMPORT_BATCH, MAX_STORED_ERRORS, importedMembers, importUnits, prepareImport, preparedFromStored, type ImportKind, type ImportContent, type ImportSlice } from "./bulk-import";
import { reviewTiers } from "./tiers";
import { TX_OPTIONS } from "./ledger-core";
import { getProgramById } from "./program";

// Imports run as jobs whose whole state is in the database: ImportJob (status, lease, checkpoint,
// counts) and ImportFile (the upload, until the job ends). A runner claims a job, then commits it
// batch by batch; each batch first re-checks the claim (fencing: a runner that lost its claim
// changes nothing) and commits its rows, the counts and the next checkpoint together, renewing
// the lease. A process that dies mid-import leaves the job RUNNING with a lease that runs out;
// the next claim resumes at the checkpoint. Rows are idempotent anyway (orders by external id,
// balances by member), so even a re-run from the start would double nothing.
//
// One import runs per program at a time (MAX_RUNNING_IMPORTS_PER_PROGRAM); further ones wait as
// QUEUED, in order. Who runs them: the job runner (lib/jobs/runner.ts): a pg-boss queue on
// PostgreSQL, woken when a job is queued and every minute (which also picks up a dead process's
// job), and the in-process timer on the embedded database.

export const MAX_RUNNING_IMPORTS_PER_PROGRAM = 1;
/**
 * How long a claim holds without a committed batch. Longer than a batch transaction may last
 * (300 s), and a batch locks the job row from its first statement, so a live runner never loses
 * its claim; a dead one's job is resumed at most this long after it died.
 */
export const IMPORT_LEASE_MS = 6 * 60_000;
const BATCH_TX = { ...TX_OPTIONS, timeout: 300_000 };
/** Unexpected failures (the database went away, say) are retried this often, 30 s apart, before the job stops. */
const MAX_ATTEMPTS = 3;
const RETRY_DELAY_MS = 30_000;
const STOPPED = "the import stopped unexpectedly; re-run the file to finish it (rows already imported are skipped)";
const NO_FILE = "the uploaded file is no longer stored; re-run the file to finish the import (rows already imported are skipped)";

export type ImportClaim = { id: number; programId: number; kind: ImportKind; attempts: number };
export type ImportOutcome = "done" | "paused" | "lost" | "failed";

class LostClaim extends Error {}

/**
 * Claims the oldest runnable import (QUEUED, or RUNNING with a lease that ran out) of a program
 * that is below its limit of running imports. A per-program advisory lock makes the count and
 * the claim one step, so racing claimers never start two imports of a program at once.
 */
export async function claimNextImport({ now = new Date() }: { now?: Date } = {}): Promise<ImportClaim | null> {
  const leaseUntil = new Date(now.getTime() + IMPORT_LEASE_MS);
  return prisma.$transaction(async (tx) => {
    const programs = await tx.$queryRaw<{ programId: number }[]>`
      SELECT "programId" FROM "ImportJob"
      WHERE "status" IN ('QUEUED', 'RUNNING') AND ("leaseUntil" IS NULL OR "leaseUntil" < ${now})
      GROUP BY "programId" ORDER BY MIN("id") LIMIT 50`;
    for (const { programId } of programs) {
      const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(hashtext('hearth.import'), ${programId}::int) AS "locked"`;
      if (!locked) continue; // another runner is claiming for this program right now
      const claimed = await tx.$queryRaw<ImportClaim[]>`
        UPDATE "ImportJob" SET "status" = 'RUNNING', "attempts" = "attempts" + 1, "leaseUntil" = ${leaseUntil}, "startedAt" = COALESCE("startedAt", ${now})
        WHERE "id" = (
            SELECT "id" FROM "ImportJob"
            WHERE "programId" = ${programId} AND "status" IN ('QUEUED', 'RUNNING') AND ("leaseUntil" IS NULL OR "leaseUntil" < ${now})
            ORDER BY ("status" = 'RUNNING') DESC, "id" LIMIT 1 FOR UPDATE SKIP LOCKED)
          AND (SELECT COUNT(*) FROM "ImportJob" WHERE "programId" = ${programId} AND "status" = 'RUNNING' AND "leaseUntil" >= ${now}) < ${MAX_RUNNING_IMPORTS_PER_PROGRAM}
        RETURNING "id", "programId", "kind", "attempts"`;
      if (claimed.length > 0) return claimed[0];
    }
    return null;
  }, TX_OPTIONS);
}

/**
 * Runs a claimed import from its checkpoint to the end (or `maxBatches` batches: "paused", the
 * claim kept). "lost": another runner holds the job now, nothing more was written. Never throws.
 */
export async function continueImport(claim: ImportClaim, { now = () => new Date(), maxBatches = Infinity }: { now?: () => Date; maxBatches?: number } = {}): Promise<ImportOutcome> {
  let prepared: ImportContent | undefined;
  // the next slice, read and planned while the current batch writes (see below)
  let next: Promise<ImportSlice> | null = null;
  try {
    const [job, file] = await Promise.all([
      prisma.importJob.findUniqueOrThrow({ where: { id: claim.id }, select: { kind: true, filename: true, checkpoint: true, totalRows: true } }),
      prisma.importFile.findUnique({ where: { jobId: claim.id }, select: { rows: true } }),
    ]);
    if (!file) return await stop(claim, NO_FILE);
    // the rows as validated at upload; the CSV is read and parsed again only for a job stored without them
    prepared = preparedFromStored({ kind: job.kind as ImportKind, rows: file.rows, totalRows: job.totalRows }) ?? undefined;
    if (!prepared) {
      const upload = await prisma.importFile.findUnique({ where: { jobId: claim.id }, select: { csv: true } });
      if (!upload) return await stop(claim, NO_FILE);
      prepared = prepareImport({ kind: job.kind as ImportKind, filename: job.filename, csv: upload.csv });
    }
    const program = await getProgramById(claim.programId);
    const units = await importUnits(prepared, program);
    // With a connection pool, the next slice is read and planned (on another connection, in
    // short chunks) while the current batch's statements run: the database and the runner work
    // at once. The embedded database has one connection, which the open batch transaction holds:
    // there each slice is planned before its transaction opens.
    const overlap = sharedPool() !== null;
    const plan = (from: number, size: number) => {
      const planning = units.prepare(from, Math.min(from + size, units.count));
      planning.catch(() => {}); // awaited below; a failure must not surface before that as unhandled
      return planning;
    };
    let size = IMPORT_BATCH;
    let batches = 0;
    for (let from = job.checkpoint; from < units.count;) {
      if (batches >= maxBatches) return "paused";
      const slice: ImportSlice = await (next ?? plan(from, size));
      // the following slice is sized from the batch before this one (this one's time isn't known yet)
      next = overlap && slice.to < units.count && batches + 1 < maxBatches ? plan(slice.to, size) : null;
      const started = performance.now();
      await prisma.$transaction(async (tx) => {
        // the claim first: this locks the job row for the batch, so nobody can take it meanwhile
        const held = await tx.$executeRaw`
          UPDATE "ImportJob" SET "leaseUntil" = ${new Date(now().getTime() + IMPORT_LEASE_MS)}
          WHERE "id" = ${claim.id} AND "attempts" = ${claim.attempts} AND "status" = 'RUNNING' AND "checkpoint" = ${slice.from}`;
        if (held === 0) throw new LostClaim();
        const done = await slice.write(tx);
        await tx.$executeRaw`
          UPDATE "ImportJob" SET "checkpoint" = ${slice.to}, "processedRows" = "processedRows" + ${done.processed}, "importedRows" = "importedRows" + ${done.imported},
            "skippedRows" = "skippedRows" + ${done.skipped}, "failedRows" = "failedRows" + ${done.failed},
            "errors" = (SELECT COALESCE(jsonb_agg(e), '[]'::jsonb) FROM (SELECT e FROM jsonb_array_elements("errors" || ${JSON.stringify(done.errors)}::jsonb) e LIMIT ${MAX_STORED_ERRORS}) x)
          WHERE "id" = ${claim.id}`;
      }, BATCH_TX);
      batches += 1;
      size = nextBatchSize(slice.to - slice.from, performance.now() - started);
      from = slice.to;
    }
    await placeImportedMembers(claim, prepared);
    await prisma.$transaction(async (tx) => {
      const finished = await tx.$executeRaw`
        UPDATE "ImportJob" SET "status" = 'DONE', "finishedAt" = ${now()}, "leaseUntil" = NULL
        WHERE "id" = ${claim.id} AND "attempts" = ${claim.attempts} AND "status" = 'RUNNING'`;
      if (finished === 0) throw new LostClaim();
      await tx.$executeRaw`DELETE FROM "ImportFile" WHERE "jobId" = ${claim.id}`;
    }, TX_OPTIONS);
    return "done";
  } catch (error) {
    if (error instanceof LostClaim) return "lost";
    console.error(`[import] job ${claim.id} failed (attempt ${claim.attempts})`, error);
    // a problem with the file itself won't go away; anything else is tried again a little later
    if (isAppError(error) || claim.attempts >= MAX_ATTEMPTS) {
      // the batches committed before the failure stay: their members are placed as on success
      if (prepared) await placeImportedMembers(claim, prepared).catch((placing) => console.error(`[import] job ${claim.id}: tiers not placed`, placing));
      return stop(claim, STOPPED).catch(() => "failed" as const);
    }
    await prisma.$executeRaw`
      UPDATE "ImportJob" SET "status" = 'QUEUED', "leaseUntil" = ${new Date(now().getTime() + RETRY_DELAY_MS)}
      WHERE "id" = ${claim.id} AND "attempts" = ${claim.attempts} AND "status" = 'RUNNING'`.catch(() => 0);
    return "failed";
  } finally {
    // a slice still being planned when the run ends (paused, lost, failed) is let finish first
    await next?.catch(() => {});
  }
}

/**
 * The next batch's size: batches hold their members' accounts locked (a live order of such a
 * member waits for the batch's commit), so they aim at about IMPORT_BATCH_TARGET_MS each. The
 * first is IMPORT_BATCH orders; each next one at most doubles, within [IMPORT_BATCH / 4, MAX_IMPORT_BATCH].
 * Fewer, larger batches spend less on commits and per-batch statements.
 */
export function nextBatchSize(size: number, tookMs: number): number {
  const aimed = Math.round((size * IMPORT_BATCH_TARGET_MS) / Math.max(tookMs, 1));
  return Math.max(Math.floor(IMPORT_BATCH / 4), Math.min(aimed, size * 2, MAX_IMPORT_BATCH));
}

/**
 * Tiers after an import: the members whose orders the file holds are placed once, at the end
 * (not after every batch, which re-summed each member's orders once per batch), the way an order
 * places its member: up only, with the tier change recorded and sent as tier.changed; a member's
 * VIP floor, the program's basis and window count as everywhere else. Run again on a resumed job,
 * it moves nobody twice.
 */
async function placeImportedMembers(claim: ImportClaim, prepared: ImportContent) {
  const customerIds = await importedMembers(claim.programId, prepared);
  if (customerIds.length > 0) await reviewTiers({ programId: claim.programId, customerIds, mode: "order" });
}

/** Ends a job as FAILED with a message for the console and the API, and drops its file. */
async function stop(claim: ImportClaim, message: string): Promise<"failed" | "lost"> {
  return prisma.$transaction(async (tx) => {
    const stopped = await tx.$executeRaw`
      UPDATE "ImportJob" SET "status" = 'FAILED', "finishedAt" = now(), "leaseUntil" = NULL,
        "errors" = "errors" || ${JSON.stringify([{ row: 0, message }])}::jsonb
      WHERE "id" = ${claim.id} AND "attempts" = ${claim.attempts} AND "status" = 'RUNNING'`;
    if (stopped === 0) return "lost" as const;
    await tx.$executeRaw`DELETE FROM "ImportFile" WHERE "jobId" = ${claim.id}`;
    return "failed" as const;
  }, TX_OPTIONS);
}

/** Claims and runs imports until none can start now (the job runner's task). */
export async function runQueuedImports({ now = () => new Date() }: { now?: () => Date } = {}) {
  let finished = 0;
  let failed = 0;
  for (;;) {
    const claim = await claimNextImport({ now: now() });
    if (!claim) return { finished, failed };
    const outcome = await continueImport(claim, { now });
    if (outcome === "done") finished += 1;
    if (outcome === "failed") failed += 1;
  }
}

/**
 * At the start of a single-process (embedded) server every RUNNING import belongs to a process
 * that is gone: its claim is released so the import resumes at once, not after the lease.
 */
export async function releaseImportClaims() {
  return prisma.$executeRaw`UPDATE "ImportJob" SET "leaseUntil" = NULL WHERE "status" = 'RUNNING'`;
}
