// @ts-check
const createNextIntlPlugin = require("next-intl/plugin");

const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native and WebAssembly packages are loaded by Node at run time, not bundled.
  serverExternalPackages: ["@node-rs/argon2", "@electric-sql/pglite", "pglite-prisma-adapter", "@prisma/adapter-pg", "pg", "pg-boss", "rate-limiter-flexible"],
  // console CSV imports are sent to a server action (the API takes larger files)
  experimental: { authInterrupts: true, serverActions: { bodySizeLimit: "21mb" } },
};

module.exports = withNextIntl(nextConfig);
