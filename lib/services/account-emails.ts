import "server-only";
import { createTranslator } from "next-intl";
import type { Tx } from "@/lib/db/prisma";
import { env } from "@/lib/env";
import { defaultLocale, isLocale } from "@/lib/i18n/locales";
import { messagesFor, renderEmailPage } from "./render-notification";

export const accountEmailKinds = ["join_confirm", "join_existing", "password_reset"] as const;
export type AccountEmailKind = (typeof accountEmailKinds)[number];

/** The path each kind of email links to (the token travels in the link, never stored in clear). */
const linkPath: Record<AccountEmailKind, (token: string) => string> = {
  join_confirm: (token) => `/join/confirm?token=${token}`,
  join_existing: (token) => `/reset-password?token=${token}`,
  password_reset: (token) => `/reset-password?token=${token}`,
};

export async function renderAccountEmail({ kind, locale, name, program, token }: { kind: AccountEmailKind; locale: string; name: string; program: string; token: string }) {
  const lang = isLocale(locale) ? locale : defaultLocale;
  const t = createTranslator({ locale: lang, messages: await messagesFor(lang), namespace: "accountEmails" as never }) as unknown as (key: string, values?: Record<string, unknown>) => string;
  const link = `${env.HEARTH_PUBLIC_URL.replace(/\/$/, "")}${linkPath[kind](token)}`;
  const title = t(`${kind}.subject`, { program });
  const page = renderEmailPage({
    lang, program, title, link,
    greeting: t("greeting", { name }),
    body: t(`${kind}.body`, { program }),
    cta: t(`${kind}.cta`),
    footer: t("footer", { program }),
  });
  return { subject: title, text: page.text, html: page.html };
}

/**
 * Queues an account email in the same transaction as the token it carries: sent by the email job
 * with SMTP, else kept in the console's outbox (Console → Messages) for the embedded quick start.
 */
export async function queueAccountEmailInTx(
  tx: Tx,
  { programId, customerId = null, kind, toEmail, locale, name, program, token }: {
    programId: number; customerId?: number | null; kind: AccountEmailKind; toEmail: string; locale: string; name: string; program: string; token: string;
  },
) {
  const rendered = await renderAccountEmail({ kind, locale, name, program, token });
  await tx.emailMessage.create({
    data: { programId, customerId, kind, toEmail, locale: isLocale(locale) ? locale : defaultLocale, ...rendered, status: env.SMTP_URL ? "PENDING" : "OUTBOX" },
  });
}
