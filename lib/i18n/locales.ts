// The portal speaks six languages. The staff console is written in en and ko; in the other
// locales its texts fall back to English (lib/i18n/request.ts).
export const locales = ["en", "ko", "ja", "ru", "hu", "pt-BR"] as const;
/** Locales whose message files cover the staff console too. */
export const consoleLocales: readonly Locale[] = ["en", "ko"];
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "en";
export const LOCALE_COOKIE = "NEXT_LOCALE";

export const localeNames: Record<Locale, string> = { en: "English", ko: "한국어", ja: "日本語", ru: "Русский", hu: "Magyar", "pt-BR": "Português (Brasil)" };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

/** Picks the best supported locale from an Accept-Language header. */
export function localeFromAcceptLanguage(header: string | null): Locale | null {
  if (!header) return null;
  const ranked = header
    .split(",")
    .map((part) => {
      const [tag, q] = part.trim().split(";q=");
      return { tag: tag.toLowerCase(), q: q ? Number(q) : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const exact = locales.find((locale) => locale.toLowerCase() === tag);
    if (exact) return exact;
    const base = tag.split("-")[0];
    // a language we speak in one regional variant: pt, pt-PT -> pt-BR
    const variant = locales.find((locale) => locale.toLowerCase() === base || locale.toLowerCase().startsWith(`${base}-`));
    if (variant) return variant;
  }
  return null;
}
