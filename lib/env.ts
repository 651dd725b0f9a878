import { z } from "zod";

// The only reader of process.env. Every variable is documented in .env.example.
const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value ? value : undefined))
    .pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** optional streaming read replica of DATABASE_URL: analytics reads go there, everything else stays on the primary */
  DATABASE_REPLICA_URL: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value ? value : undefined))
    .pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  HEARTH_DATA_DIR: z.string().default(".data"),
  AUTH_SECRET: z.string().min(16).optional(),
  /** load the demo shop on first start: on by default only with the embedded database (see isDemoDataOn) */
  HEARTH_DEMO_DATA: z.enum(["on", "off"]).optional(),
  /** background jobs (expiry, birthdays, reminders, webhook delivery) in this process */
  HEARTH_JOBS: z.enum(["on", "off"]).default("on"),
  /** prepare the hot paths' statements once per connection (lib/db/prepared.ts); off for a PgBouncer older than 1.21 */
  HEARTH_PREPARED_STATEMENTS: z.enum(["on", "off"]).default("on"),
  HEARTH_DEMO_CUSTOMERS: z.coerce.number().int().min(10).max(100_000).default(2000),
  /** smtp(s)://user:pass@host:port; unset = emails stay in the console's outbox */
  SMTP_URL: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value ? value : undefined))
    .pipe(z.url({ protocol: /^smtps?$/ }).optional()),
  EMAIL_FROM: z.string().trim().min(3).default("Hearth <loyalty@localhost>"),
  /** login attempts per client address per 15 minutes, and sign-ups per address per hour */
  HEARTH_LOGIN_LIMIT_PER_IP: z.coerce.number().int().min(1).default(50),
  HEARTH_JOIN_LIMIT_PER_IP: z.coerce.number().int().min(1).default(20),
  /** comma-separated hosts exempt from the webhook target rules (https, public addresses): local testing only */
  HEARTH_WEBHOOK_ALLOW_HOSTS: z.string().optional(),
  /** `npm run setup` only: the first admin's password (else it is asked for on the terminal) */
  HEARTH_SETUP_PASSWORD: z.string().optional(),
  /** the portal's public address, for links in emails */
  HEARTH_PUBLIC_URL: z.url().default("http://localhost:3000"),
});

export type Env = z.infer<typeof envSchema>;

export const env: Env = envSchema.parse(process.env);

export const isEmbeddedDatabase = !env.DATABASE_URL;

/**
 * Whether the first start loads the demo shop (public demo logins and the demo API key): always
 * in the embedded quick start unless switched off, never against a real PostgreSQL database
 * unless asked for with HEARTH_DEMO_DATA=on.
 */
export const isDemoDataOn = env.HEARTH_DEMO_DATA ? env.HEARTH_DEMO_DATA === "on" : isEmbeddedDatabase;
