import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { LanguageSwitcher } from "@/components/shared/language-switcher";
import { buttonClass } from "@/components/ui/button";

export default async function LandingPage() {
  const t = await getTranslations();
  return (
    <div className="min-h-dvh bg-gradient-to-b from-brand-50 to-stone-50">
      <header className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 p-4">
        <span className="text-xl font-bold text-brand-800">{t("common.appName")}</span>
        <LanguageSwitcher />
      </header>
      <main id="main" className="mx-auto max-w-3xl space-y-6 px-4 py-16 text-center">
        <h1 className="text-4xl font-bold tracking-tight text-stone-900 sm:text-5xl">{t("landing.title")}</h1>
        <p className="text-lg text-stone-700">{t("landing.body")}</p>
        <div className="flex flex-col items-center justify-center gap-3 sm:flex-row">
          <Link href="/join" className={buttonClass("primary", "px-6 text-base")}>
            {t("landing.joinCta")}
          </Link>
          <Link href="/login" className={buttonClass("secondary", "px-6 text-base")}>
            {t("landing.loginCta")}
          </Link>
        </div>
        <p className="flex flex-wrap justify-center gap-4">
          <Link href="/program" className="text-sm font-semibold text-brand-800 underline">
            {t("landing.programLink")}
          </Link>
          <Link href="/login" className="text-sm text-stone-700 underline">
            {t("landing.staffLink")}
          </Link>
        </p>
      </main>
    </div>
  );
}
