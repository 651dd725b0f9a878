import "server-only";
import PgBoss from "pg-boss";
import { env, isEmbeddedDatabase } from "@/lib/env";
import { jobs, type JobName } from "./tasks";

// Schedules the background jobs. On PostgreSQL, pg-boss keeps the schedule in the database
// so each periodic job runs once per tick across all replicas; webhook delivery also polls
// every few seconds in each process (deliveries are claimed with SKIP LOCKED, so that's safe),
// and so does the analytics fold (one process at a time per program, by an advisory lock).
// On the embedded database (a single process) a plain in-process timer runs everything.

const running = new Set<JobName>();
let started = false;

async function runGuarded(name: JobName) {
  if (running.has(name)) return; // never overlap the same job in one process
  running.add(name);
  try {
    await jobs[name].run();
  } catch (error) {
    console.error(`[jobs] ${name} failed`, error);
  } finally {
    running.delete(name);
  }
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
    for (const name of periodic) every(name, jobs[name].everySeconds);
    return;
  }
  const boss = new PgBoss({ connectionString: env.DATABASE_URL, max: 2, schema: "pgboss" });
  boss.on("error", (error) => console.error("[jobs] pg-boss", error));
  await boss.start();
  for (const name of periodic) {
    await boss.createQueue(name, { name, policy: "singleton" });
    await boss.schedule(name, jobs[name].cron);
    await boss.work(name, async () => {
      await runGuarded(name);
    });
  }
}
