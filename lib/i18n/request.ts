import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { LOCALE_COOKIE, consoleLocales, defaultLocale, isLocale, localeFromAcceptLanguage } from "./locales";

// Locale: the member's choice (cookie set by the language switcher), then the browser.
export default getRequestConfig(async () => {
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  const locale = isLocale(chosen) ? chosen : (localeFromAcceptLanguage((await headers()).get("accept-language")) ?? defaultLocale);
  const messages = (await import(`../../messages/${locale}.json`)).default;
  if (consoleLocales.includes(locale)) return { locale, messages, timeZone: "UTC" };
  // the staff console's texts exist in en and ko only: English fills them in
  const english = (await import("../../messages/en.json")).default;
  return { locale, messages: { ...messages, admin: english.admin }, timeZone: "UTC" };
});
