"use client";

import { useLocale, useTranslations } from "next-intl";
import { useAction } from "next-safe-action/hooks";
import { useRouter } from "next/navigation";
import { setLocaleAction } from "@/lib/actions/set-locale";
import { localeNames, locales, type Locale } from "@/lib/i18n/locales";

export function LanguageSwitcher() {
  const t = useTranslations("common");
  const locale = useLocale();
  const router = useRouter();
  const { execute, isPending } = useAction(setLocaleAction, { onSuccess: () => router.refresh() });
  return (
    <div className="flex items-center gap-2">
      <label htmlFor="language" className="text-sm text-stone-700">
        {t("language")}
      </label>
      <select
        id="language"
        value={locale}
        disabled={isPending}
        onChange={(event) => execute({ locale: event.target.value as Locale })}
        className="min-h-11 rounded-lg border border-stone-400 bg-white px-2 text-sm"
      >
        {locales.map((code) => (
          <option key={code} value={code} lang={code}>
            {localeNames[code]}
          </option>
        ))}
      </select>
    </div>
  );
}
