import { z } from "zod";
import { locales } from "@/lib/i18n/locales";

export const loginSchema = z
  .object({
    email: z.email().max(254).transform((email) => email.trim().toLowerCase()),
    password: z.string().min(1).max(200),
    /** the first login after confirming a sign-up opens the dashboard's welcome */
    welcome: z.literal(true).optional(),
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

/**
 * The join form: no password yet. It is chosen on the page the emailed link opens, so whoever
 * types someone else's address can never set the password that address's owner will log in with.
 */
export const joinSchema = signUpSchema.omit({ password: true });
export type JoinInput = z.infer<typeof joinSchema>;

const newPassword = z.string().min(10, { error: "PASSWORD_TOO_SHORT" }).max(200);
const linkToken = z.string().trim().regex(/^[\w-]{20,100}$/);

export const changePasswordSchema = z
  .object({ currentPassword: z.string().min(1).max(200), newPassword })
  .strict();
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;

export const requestPasswordResetSchema = z
  .object({ email: z.email().max(254).transform((email) => email.trim().toLowerCase()), locale: z.enum(locales).optional() })
  .strict();

export const resetPasswordSchema = z.object({ token: linkToken, newPassword }).strict();

export const confirmJoinSchema = z.object({ token: linkToken, password: newPassword }).strict();

export const sendResetLinkSchema = z.object({ userId: z.number().int().positive() }).strict();

export const setMemberActiveSchema = z
  .object({ customerId: z.number().int().positive(), isActive: z.boolean(), note: z.string().trim().max(500).optional() })
  .strict();
