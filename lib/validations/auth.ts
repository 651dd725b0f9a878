import { z } from "zod";
import { locales } from "@/lib/i18n/locales";

export const loginSchema = z
  .object({
    email: z.email().max(254).transform((email) => email.trim().toLowerCase()),
    password: z.string().min(1).max(200),
  })
  .strict();

export const signUpSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    email: z.email().max(254).transform((email) => email.trim().toLowerCase()),
    password: z.string().min(10, { error: "PASSWORD_TOO_SHORT" }).max(200),
    acceptTerms: z.literal(true, { error: "TERMS_REQUIRED" }),
    locale: z.enum(locales).optional(),
    /** from an invitation link; an unknown or refused code never blocks the sign-up */
    referralCode: z.string().trim().max(20).optional(),
  })
  .strict();

export type SignUpInput = z.infer<typeof signUpSchema>;
