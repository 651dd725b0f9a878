import { z } from "zod";

const isTimeZone = (zone: string) => {
  try {
    return Boolean(new Intl.DateTimeFormat("en", { timeZone: zone }).resolvedOptions().timeZone);
  } catch {
    return false;
  }
};
const isCurrency = (code: string) => {
  try {
    return (Intl.supportedValuesOf("currency") as string[]).includes(code);
  } catch {
    return false;
  }
};

/** The first-run setup: the shop and its first admin (web page and `npm run setup`). */
export const setupSchema = z
  .object({
    shopName: z.string().trim().min(1).max(100),
    currency: z.string().trim().toUpperCase().refine(isCurrency, { error: "CURRENCY_UNKNOWN" }),
    timeZone: z.string().trim().min(1).max(64).refine(isTimeZone, { error: "TIME_ZONE_UNKNOWN" }),
    adminName: z.string().trim().min(1).max(100),
    adminEmail: z.email().max(254).transform((email) => email.trim().toLowerCase()),
    adminPassword: z.string().min(10, { error: "PASSWORD_TOO_SHORT" }).max(200),
  })
  .strict();
export type SetupInput = z.infer<typeof setupSchema>;

export const setupFormSchema = setupSchema.extend({ token: z.string().trim().min(1).max(100) }).strict();
