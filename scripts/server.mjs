#!/usr/bin/env node
// The production server (`npm start`, the benches, the cluster and soak scripts, Playwright).
//
// Next.js serves everything, as `next start` does, except the API's hot routes (member and
// balance reads, orders, returns, events, redemptions): those requests go straight to the same
// route handlers, loaded from the same production build, skipping Next.js's router, its request
// and response adapters and its compression, and skipping the Fetch Request and Response too
// (each handler's `lean` form, lib/api/handle-api.ts). Same code, same answers, same headers (the
// security headers of next.config.js come from security-headers.cjs); about 60% less CPU per
// request on this machine (see the bench in README). HEARTH_FAST_API=off sends every request
// through Next.js.
//
// Usage: node scripts/server.mjs [-p PORT] [-H HOSTNAME]   (or PORT / HOSTNAME in the environment)
import http from "node:http";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { leanRequest } from "./lean-request.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

function option(flag, envName, fallback) {
  const index = process.argv.indexOf(flag);
  if (index !== -1 && process.argv[index + 1]) return process.argv[index + 1];
  return process.env[envName] || fallback;
}
const port = Number(option("-p", "PORT", "3000"));
const hostname = option("-H", "HOSTNAME", undefined);
process.env.NODE_ENV = "production";

const { securityHeaders, strictTransportSecurity } = require("../security-headers.cjs");
const apiSecurityHeaders = securityHeaders(false).map(({ key, value }) => [key.toLowerCase(), value]);

/** What next.config.js's headers() adds to every answer: the security headers, HSTS behind https. */
function withSecurityHeaders(req, headers) {
  for (const [key, value] of apiSecurityHeaders) if (!(key in headers)) headers[key] = value;
  if (req.headers["x-forwarded-proto"] === "https") headers[strictTransportSecurity.key.toLowerCase()] = strictTransportSecurity.value;
  return headers;
}

/** The hot routes: method, path pattern (its groups are the route's parameters) and built module. */
const segment = "([^/]+)";
const hotRoutes = [
  { method: "GET", pattern: new RegExp(`^/api/v1/members/${segment}$`), params: ["externalId"], module: "app/api/v1/members/[externalId]/route.js" },
  { method: "GET", pattern: new RegExp(`^/api/v1/members/${segment}/balance$`), params: ["externalId"], module: "app/api/v1/members/[externalId]/balance/route.js" },
  { method: "POST", pattern: /^\/api\/v1\/orders$/, params: [], module: "app/api/v1/orders/route.js" },
  { method: "POST", pattern: new RegExp(`^/api/v1/orders/${segment}/returns$`), params: ["externalId"], module: "app/api/v1/orders/[externalId]/returns/route.js" },
  { method: "POST", pattern: /^\/api\/v1\/events$/, params: [], module: "app/api/v1/events/route.js" },
  { method: "POST", pattern: new RegExp(`^/api/v1/members/${segment}/redemptions$`), params: ["externalId"], module: "app/api/v1/members/[externalId]/redemptions/route.js" },
];
const fastApi = process.env.HEARTH_FAST_API !== "off";

// A body larger than this is refused before it is read whole (the handlers refuse over 1 MB).
const MAX_BODY_BYTES = 2 * 1024 * 1024;

const next = require("next");
const app = next({ dev: false, dir: root, hostname, port });
const handleWithNext = app.getRequestHandler();
await app.prepare();
const distDir = path.join(root, ".next", "server");

/**
 * The route's handler for the method, from the build Next.js serves (the same module instance):
 * its `lean` form (lib/api/handle-api.ts), which takes a plain request object and answers a plain
 * object, so no Fetch Request, Headers or Response is built for the request.
 */
const handlers = new Map();
function handlerFor(route) {
  let loading = handlers.get(route);
  if (!loading) {
    loading = (async () => {
      const { routeModule } = require(path.join(distDir, route.module));
      await routeModule.ensureUserland();
      const handler = routeModule.userland[route.method];
      if (typeof handler?.lean !== "function") throw new Error(`${route.module} has no lean ${route.method} handler`);
      return handler.lean;
    })();
    loading.catch((error) => console.error(`[server] ${route.module}: serving it through Next.js (${error.message})`));
    handlers.set(route, loading);
  }
  return loading;
}

/**
 * What serves a request: a hot route with its decoded parameters, "malformed" for an API path
 * that isn't valid percent-encoding (Next.js answers those with a bare 500), or null for Next.js.
 */
function match(req) {
  const url = req.url ?? "";
  if (!url.startsWith("/api/")) return null;
  const queryAt = url.indexOf("?");
  const pathname = queryAt === -1 ? url : url.slice(0, queryAt);
  try {
    decodeURIComponent(pathname);
  } catch {
    return "malformed";
  }
  if (!fastApi || (req.method !== "GET" && req.method !== "POST")) return null;
  for (const route of hotRoutes) {
    if (route.method !== req.method) continue;
    const found = route.pattern.exec(pathname);
    if (!found) continue;
    const params = {};
    route.params.forEach((name, index) => { params[name] = decodeURIComponent(found[index + 1]); });
    return { route, params };
  }
  return null;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error("body too large"), { tooLarge: true }));
        req.pause();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function sendJson(req, res, status, body, extra = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, withSecurityHeaders(req, { "content-type": "application/json", "cache-control": "no-store, no-transform", ...extra, "content-length": Buffer.byteLength(text) }));
  res.end(text);
}

async function serveHot(req, res, { route, params }) {
  const handler = await handlerFor(route).catch(() => null);
  if (!handler) return handleWithNext(req, res);
  let body = null;
  if (req.method === "POST") {
    try {
      body = await readBody(req);
    } catch (error) {
      if (error.tooLarge) return sendJson(req, res, 413, { error: { code: "BAD_REQUEST", message: "body too large" } }, { connection: "close" });
      throw error;
    }
  }
  const answer = await handler(leanRequest(req, body), { params: Promise.resolve(params) });
  answer.headers["content-length"] = Buffer.byteLength(answer.text);
  res.writeHead(answer.status, withSecurityHeaders(req, answer.headers));
  res.end(answer.text);
}

const server = http.createServer((req, res) => {
  const hot = match(req);
  if (hot === "malformed") return sendJson(req, res, 400, { error: { code: "BAD_REQUEST", message: "the path is not valid percent-encoding" } });
  const served = hot ? serveHot(req, res, hot) : handleWithNext(req, res);
  Promise.resolve(served).catch((error) => {
    console.error("[server] unexpected error", error);
    if (!res.headersSent) sendJson(req, res, 500, { error: { code: "INTERNAL", message: "unexpected error" } });
    else res.destroy();
  });
});

// Behind a balancer, an idle keep-alive connection must outlive the balancer's own idle timeout
// (nginx upstream keepalive_timeout and cloud load balancers: 60 s). With Node's default of 5 s
// the app closes a connection just as the balancer reuses it: a reset, the balancer marks this
// replica down, and while another one is down too (a restart) every request gets a 502.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;

server.listen(port, hostname, () => {
  console.log(`[server] ready on http://${hostname ?? "localhost"}:${port}${fastApi ? "" : " (HEARTH_FAST_API=off: every request through Next.js)"}`);
});

let closing = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    // stop taking connections, let requests in flight finish (at most 10 s), then leave
    setTimeout(() => process.exit(0), 10_000).unref();
    server.close(() => process.exit(0));
    server.closeIdleConnections?.();
  });
}
