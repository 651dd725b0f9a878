// @ts-check
// Security headers on every response, shared by next.config.js (pages, assets, API routes served
// by Next.js) and scripts/server.mjs (the API routes it hands straight to their handlers).
// Next.js inlines its bootstrap scripts and Recharts sets inline styles, so scripts and styles
// allow 'unsafe-inline' from this origin only; nothing may frame the app, load from another
// origin, or post a form elsewhere. HSTS only behind https.

/** @param {boolean} isDevelopment */
function contentSecurityPolicy(isDevelopment) {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${isDevelopment ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
}

/** @param {boolean} isDevelopment @returns {{ key: string, value: string }[]} */
function securityHeaders(isDevelopment) {
  return [
    { key: "Content-Security-Policy", value: contentSecurityPolicy(isDevelopment) },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  ];
}

/** Sent only when the request came through https (x-forwarded-proto: https from the proxy). */
const strictTransportSecurity = { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" };

module.exports = { securityHeaders, strictTransportSecurity };
