import "server-only";
import PgBoss from "pg-boss";
import { env, isEmbeddedDatabase } from "@/lib/env";
import { releaseImportClaims } from "@/lib/services/import-jobs";
import { retryOnDeadlock } from "@/lib/api/idempotency";
import { jobs, type JobName } from "./tasks";
import { registerJobWaker } from "./wake-job";

// Schedules the background jobs. On PostgreSQL, pg-boss keeps the schedule in the database
// so each periodic job runs once per tick across all replicas; webhook delivery also polls
// every few seconds in each process (deliveries are claimed with SKIP LOCKED, so that's safe),
// and so does the analytics fold (one process at a time per program, by an advisory lock).
// Imports are a pg-boss queue too, woken when one is queued (wakeJob) and every minute; their
// state is in ImportJob, so any replica can run or resume one.
// On the embedded database (a single process) a plain in-process timer runs everything.

const running = new Set<JobName>();
/** a wake-up that came while the job was running: it runs once more right after */
const again = new Set<JobName>();
const rerunWhenBusy = new Set<JobName>(["import"]);
let started = false;

async function runGuarded(name: JobName) {
  if (running.has(name)) {
    // never overlap the same job in one process
    if (rerunWhenBusy.has(name)) again.add(name);
    return;
  }
  running.add(name);
  try {
    await jobs[name].run();
  } catch (error) {
    console.error(`[jobs] ${name} failed`, error);
  } finally {
    running.delete(name);
  }
  if (again.delete(name)) await runGuarded(name);
}

function every(name: JobName, seconds: number) {
  setTimeout(() => void runGuarded(name), 5_000).unref();
  setInterval(() => void runGuarded(name), seconds * 1000).unref();
}

export async function startJobRunner() {
  if (started || env.HEARTH_JOBS === "off") return;
  started = true;
  const polled: JobName[] = ["deliver-webhooks", "fold-analytics"];
  for (const name of polled) every(name, jobs[name].everySeconds);
  const periodic = (Object.keys(jobs) as JobName[]).filter((name) => !polled.includes(name));
  if (isEmbeddedDatabase) {
    // one process owns the embedded database: an import RUNNING now was left by a process that is gone
    await releaseImportClaims();
    registerJobWaker((name) => void runGuarded(name));
    for (const name of periodic) every(name, jobs[name].everySeconds);
    return;
  }
  const boss = new PgBoss({ connectionString: env.DATABASE_URL, max: 2, schema: "pgboss" });
  boss.on("error", (error) => console.error("[jobs] pg-boss", error));
  await boss.start();
  for (const name of periodic) {
    // imports: any number of wake-ups may wait (each runs the queue until nothing can start);
    // the other jobs run once per tick across replicas
    // replicas starting together on a new database create the same queues at once, and pg-boss's
    // create_queue (a partition table per queue) can deadlock against itself: PostgreSQL aborts
    // one side, which simply tries again
    await retryOnDeadlock(() => boss.createQueue(name, name === "import" ? { name, policy: "standard", retryLimit: 0, expireInSeconds: 23 * 3600 } : { name, policy: "singleton" }), 5);
    await retryOnDeadlock(() => boss.schedule(name, jobs[name].cron), 5);
    // a queued import should start within a second or so, whichever process picks it up
    await boss.work(name, { pollingIntervalSeconds: name === "import" ? 1 : 2 }, async () => {
      await runGuarded(name);
    });
  }
  registerJobWaker((name) => {
    boss.send(name, {}).catch((error: unknown) => console.error(`[jobs] could not wake ${name}`, error));
  });
}
