import "server-only";
import { createTranslator } from "next-intl";
import { defaultLocale, isLocale, type Locale } from "@/lib/i18n/locales";

export const notificationKinds = ["welcome", "points_earned", "expiring_soon", "tier_up", "tier_down", "reward_redeemed"] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** The facts a notification carries; dates as ISO strings, rendered in the reader's language. */
export type NotificationData = {
  program?: string;
  points?: number;
  balance?: number;
  date?: string | null;
  /** expiring_soon: the last expiry day the reminder covers, when it covers several */
  until?: string | null;
  order?: string | null;
  tier?: string | null;
  reward?: string | null;
  code?: string | null;
};

type Messages = Record<string, unknown>;
const cache = new Map<Locale, Promise<Messages>>();

export function messagesFor(locale: Locale): Promise<Messages> {
  let hit = cache.get(locale);
  if (!hit) {
    hit = import(`../../messages/${locale}.json`).then((module) => module.default as Messages);
    cache.set(locale, hit);
  }
  return hit;
}

export type RenderedNotification = { title: string; body: string };

/** A notification's title and text in a language (the inbox renders at read time, emails once). */
export async function renderNotification({ kind, data, locale }: { kind: NotificationKind; data: NotificationData; locale: string }): Promise<RenderedNotification> {
  const lang = isLocale(locale) ? locale : defaultLocale;
  const t = createTranslator({ locale: lang, messages: await messagesFor(lang), namespace: "notifications" as never }) as unknown as (key: string, values?: Record<string, unknown>) => string;
  const date = data.date ? new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(data.date)) : "";
  const format = (iso: string) => new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(iso));
  const values = {
    until: data.until ? format(data.until) : "",
    program: data.program ?? "",
    points: data.points ?? 0,
    balance: data.balance ?? 0,
    date,
    order: data.order ?? "",
    tier: data.tier ?? "",
    reward: data.reward ?? "",
    code: data.code ?? "",
  };
  // points from an action (birthday, review…) have no order to name
  if (kind === "points_earned" && !data.order) return { title: t(`${kind}.title`, values), body: t("points_earned.bodyAction", values) };
  // one reminder covers every day with points expiring within the reminder window
  if (kind === "expiring_soon" && data.until && data.until !== data.date) return { title: t("expiring_soon.titleSeveral", values), body: t("expiring_soon.bodySeveral", values) };
  return { title: t(`${kind}.title`, values), body: t(`${kind}.body`, values) };
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The email for a notification: subject, plain text and a small inline-styled HTML page. */
export async function renderEmail({
  kind,
  data,
  locale,
  name,
  program,
  baseUrl,
}: {
  kind: NotificationKind;
  data: NotificationData;
  locale: string;
  name: string;
  program: string;
  baseUrl: string;
}) {
  const lang = isLocale(locale) ? locale : defaultLocale;
  const t = createTranslator({ locale: lang, messages: await messagesFor(lang), namespace: "notifications" as never }) as unknown as (key: string, values?: Record<string, unknown>) => string;
  const { title, body } = await renderNotification({ kind, data: { ...data, program }, locale: lang });
  const greeting = t("emailGreeting", { name });
  const cta = t("emailCta");
  const footer = t("emailFooter", { program });
  const link = `${baseUrl.replace(/\/$/, "")}/dashboard`;
  return renderEmailPage({ lang, program, title, greeting, body, cta, link, footer });
}

/** An email's plain text and small inline-styled HTML page: greeting, text, one button, footer. */
export function renderEmailPage({ lang, program, title, greeting, body, cta, link, footer }: {
  lang: string; program: string; title: string; greeting: string; body: string; cta: string; link: string; footer: string;
}) {
  const text = `${greeting}\n\n${body}\n\n${cta}: ${link}\n\n--\n${footer}\n`;
  const html = `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head>
<body style="margin:0;background:#f5f5f4;font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#1c1917">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:24px">
<table role="presentation" width="100%" style="max-width:560px;background:#ffffff;border-radius:12px;padding:24px" cellpadding="0" cellspacing="0">
<tr><td style="font-size:14px;font-weight:700;color:#9a3412">${escapeHtml(program)}</td></tr>
<tr><td><h1 style="font-size:22px;margin:12px 0">${escapeHtml(title)}</h1>
<p style="font-size:16px;line-height:1.5">${escapeHtml(greeting)}</p>
<p style="font-size:16px;line-height:1.5">${escapeHtml(body)}</p>
<p style="margin:24px 0"><a href="${escapeHtml(link)}" style="background:#9a3412;color:#ffffff;padding:12px 20px;border-radius:8px;text-decoration:none;font-weight:600">${escapeHtml(cta)}</a></p>
<p style="font-size:12px;color:#57534e;line-height:1.5">${escapeHtml(footer)}</p></td></tr>
</table></td></tr></table></body></html>`;
  return { subject: title, text, html };
}
