import { inject } from "vitest";

// Runs before each integration file imports the app: point lib/env at the throwaway database.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.DATABASE_POOL_MAX = "20";
