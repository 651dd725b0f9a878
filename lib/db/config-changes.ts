import "server-only";
import { Client } from "pg";
import { env, isEmbeddedDatabase } from "@/lib/env";

// Cross-process invalidation of config caches (the API key cache, the earning rules cache).
// The migration 20261202000000_config_version makes every change to rules, offers, tiers, API
// keys and program settings bump Program.configVersion and NOTIFY 'hearth_config' with the
// program's id at commit. Each process keeps one LISTEN session (DATABASE_LISTEN_URL, else
// DATABASE_URL: it must be a direct session, not a transaction-mode pooler) and drops what it
// cached for that program. While the session is down nothing may be served from a cache:
// `cachesTrusted()` is false, and every entry is dropped again once it is back.
// The embedded database is one process: there the savers drop their entries themselves.

export const CONFIG_CHANNEL = "hearth_config";

type Listener = (programId: number | null) => void;

type State = {
  listeners: Set<Listener>;
  client: Client | null;
  connected: boolean;
  starting: boolean;
  /** bumped by every notification: a read that began before one must not be cached after it */
  generation: number;
  /** the generation of the last change per program, and of the last "everything changed" */
  changedAt: Map<number, number>;
  allChangedAt: number;
  retryTimer: NodeJS.Timeout | null;
};

const store = globalThis as unknown as { hearthConfigChanges?: State };
const state: State = (store.hearthConfigChanges ??= {
  listeners: new Set(), client: null, connected: false, starting: false, generation: 0, changedAt: new Map(), allChangedAt: 0, retryTimer: null,
});

function dispatch(programId: number | null) {
  state.generation += 1;
  if (programId === null) {
    state.allChangedAt = state.generation;
    state.changedAt.clear();
  } else {
    state.changedAt.set(programId, state.generation);
  }
  for (const listener of state.listeners) {
    try {
      listener(programId);
    } catch (error) {
      console.error("[config] cache listener failed", error);
    }
  }
}

/** Called with a program id when its config changed, or null when every cache must go. */
export function onConfigChange(listener: Listener): () => void {
  state.listeners.add(listener);
  return () => state.listeners.delete(listener);
}

/** This process's count of config changes seen: take it before a read, then ask changedSince. */
export function configGeneration(): number {
  return state.generation;
}

/** Whether a change to this program (or to everything) was heard after `generation`. */
export function changedSince(programId: number, generation: number): boolean {
  return state.allChangedAt > generation || (state.changedAt.get(programId) ?? 0) > generation;
}

/** Drops the cached config of one program (or all) in this process, as a notification would. */
export function configChangedHere(programId: number | null) {
  dispatch(programId);
}

/**
 * Whether a cached config may be served: on PostgreSQL only while the LISTEN session is up
 * (it is started by the first call). Always false on the embedded database and in tests that
 * switch caching off (HEARTH_CONFIG_CACHE=off).
 */
export function cachesTrusted(): boolean {
  if (isEmbeddedDatabase || process.env.HEARTH_CONFIG_CACHE === "off") return false;
  if (!state.connected && !state.starting && !state.retryTimer) void connect();
  return state.connected;
}

async function connect() {
  state.starting = true;
  const client = new Client({ connectionString: process.env.DATABASE_LISTEN_URL || env.DATABASE_URL, application_name: "hearth-config-listener" });
  const lost = (error?: unknown) => {
    if (state.client !== client) return;
    if (error) console.error("[config] LISTEN session lost; caches off until it is back", error instanceof Error ? error.message : error);
    state.client = null;
    state.connected = false;
    dispatch(null);
    client.end().catch(() => undefined);
    scheduleRetry();
  };
  try {
    client.on("notification", (message) => {
      if (message.channel !== CONFIG_CHANNEL) return;
      const programId = Number(message.payload);
      dispatch(Number.isInteger(programId) ? programId : null);
    });
    client.on("error", lost);
    client.on("end", () => lost());
    await client.connect();
    await client.query(`LISTEN ${CONFIG_CHANNEL}`);
    state.client = client;
    // whatever was cached before the session existed may have missed a change
    dispatch(null);
    state.connected = true;
  } catch (error) {
    console.error("[config] could not LISTEN for config changes; caches off for now", error instanceof Error ? error.message : error);
    client.end().catch(() => undefined);
    scheduleRetry();
  } finally {
    state.starting = false;
  }
}

function scheduleRetry() {
  if (state.retryTimer) return;
  state.retryTimer = setTimeout(() => {
    state.retryTimer = null;
    void connect();
  }, 1_000);
  state.retryTimer.unref();
}

/** Tests: close the LISTEN session. */
export async function stopConfigListener() {
  const client = state.client;
  state.client = null;
  state.connected = false;
  if (state.retryTimer) clearTimeout(state.retryTimer);
  state.retryTimer = null;
  await client?.end().catch(() => undefined);
}
