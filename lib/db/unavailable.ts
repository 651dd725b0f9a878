// Whether an error means "the database can't be reached right now" (restarting, failing over,
// out of connections), as opposed to a bug or a refused request. Callers answer those with 503
// and Retry-After, so clients and load balancers retry instead of treating the request as failed
// for good; whatever the request was doing was rolled back with its connection (issue 12, the
// soak's PostgreSQL restart window).

/** SQLSTATE classes and codes: 08 connection exceptions, 57P01-57P03 shutdown / starting up, 53300 too many connections. */
const SQLSTATES = new Set(["08000", "08001", "08003", "08004", "08006", "08007", "57P01", "57P02", "57P03", "53300"]);
/** Node socket errors. */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
/** Prisma: can't reach the server, timed out, closed connection, no connection from the pool in time. */
const PRISMA_CODES = new Set(["P1001", "P1002", "P1017", "P2024"]);
/** @prisma/adapter-pg's mapped error kinds. */
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
/** What node-postgres says when the server goes away mid-query, or a pool can't connect in time. */
const MESSAGES = /Can't reach database server|Connection terminated|Client has encountered a connection error|connection (?:is )?(?:closed|ended)|timeout exceeded when trying to connect|terminating connection due to administrator command|the database system is (?:starting up|shutting down|in recovery mode|not yet accepting connections)/i;

type Shape = { code?: unknown; kind?: unknown; originalCode?: unknown; message?: unknown; cause?: unknown; errors?: unknown; meta?: { driverAdapterError?: unknown } };

/**
 * Walks the error, its causes (adapter errors wrap the driver's), the driver adapter error a
 * Prisma error carries in `meta` (raw queries: code P2010), and an AggregateError's members.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 6) return false;
  const shape = error as Shape;
  if (typeof shape.code === "string" && (SQLSTATES.has(shape.code) || SOCKET_CODES.has(shape.code) || PRISMA_CODES.has(shape.code))) return true;
  if (typeof shape.originalCode === "string" && SQLSTATES.has(shape.originalCode)) return true;
  if (typeof shape.kind === "string" && ADAPTER_KINDS.has(shape.kind)) return true;
  if (typeof shape.message === "string" && MESSAGES.test(shape.message)) return true;
  if (shape.meta && typeof shape.meta === "object" && isDatabaseUnavailable(shape.meta.driverAdapterError, depth + 1)) return true;
  if (Array.isArray(shape.errors) && shape.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(shape.cause, depth + 1);
}

/** Seconds a client should wait before retrying: a PostgreSQL restart or failover takes a few. */
export const UNAVAILABLE_RETRY_SECONDS = 2;
