import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { LOCALE_COOKIE, defaultLocale, isLocale, localeFromAcceptLanguage } from "./locales";

// Locale: the member's choice (cookie set by the language switcher), then the browser.
export default getRequestConfig(async () => {
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  const locale = isLocale(chosen) ? chosen : (localeFromAcceptLanguage((await headers()).get("accept-language")) ?? defaultLocale);
  const messages = (await import(`../../messages/${locale}.json`)).default;
  return { locale, messages, timeZone: "UTC" };
});
