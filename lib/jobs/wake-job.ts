import "server-only";

// Lets a request ask this process's job runner to run a job now instead of at its next tick
// (an import just queued, say). The runner registers itself when it starts; the registration
// lives on globalThis because route handlers and instrumentation may be bundled apart. Without a
// runner in this process (HEARTH_JOBS=off) nothing happens: the job's schedule on a process that
// runs jobs picks the work up.

export type WakeableJob = "import" | "count-audiences";

const registry = globalThis as unknown as { hearthWakeJob?: (name: WakeableJob) => void };

export function registerJobWaker(wake: (name: WakeableJob) => void) {
  registry.hearthWakeJob = wake;
}

export function wakeJob(name: WakeableJob) {
  registry.hearthWakeJob?.(name);
}
