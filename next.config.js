// @ts-check
const createNextIntlPlugin = require("next-intl/plugin");

const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

const { securityHeaders, strictTransportSecurity } = require("./security-headers.cjs");

// Security headers on every response (security-headers.cjs; scripts/server.mjs sends the same).
const isDevelopment = process.env.NODE_ENV !== "production";

/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: securityHeaders(isDevelopment),
      },
      {
        source: "/:path*",
        has: [{ type: "header", key: "x-forwarded-proto", value: "https" }],
        headers: [strictTransportSecurity],
      },
    ];
  },
  // Native and WebAssembly packages are loaded by Node at run time, not bundled.
  serverExternalPackages: ["@node-rs/argon2", "@electric-sql/pglite", "pglite-prisma-adapter", "@prisma/adapter-pg", "pg", "pg-boss", "rate-limiter-flexible", "undici"],
  // console CSV imports are sent to a server action (the API takes larger files)
  experimental: { authInterrupts: true, serverActions: { bodySizeLimit: "21mb" } },
};

module.exports = withNextIntl(nextConfig);
