import { inject } from "vitest";

// Runs before each integration file imports the app: point lib/env at the throwaway database.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.DATABASE_POOL_MAX = "20";
// the webhook tests deliver to local HTTP servers: exempt loopback from the webhook target rules
// (test/security/webhook-targets.integration.test.ts checks the rules themselves with no exemption)
process.env.HEARTH_WEBHOOK_ALLOW_HOSTS = "127.0.0.1";
