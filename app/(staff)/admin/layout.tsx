import Link from "next/link";
import { forbidden, redirect } from "next/navigation";
import type { ReactNode } from "react";
import { NextIntlClientProvider } from "next-intl";
import { getMessages, getTranslations } from "next-intl/server";
import { LanguageSwitcher } from "@/components/shared/language-switcher";
import { ConsoleNav } from "@/components/shared/site-nav";
import { SkipLink } from "@/components/shared/skip-link";
import { SignOutButton } from "@/components/shared/sign-out-button";
import { getCurrentUser } from "@/lib/auth/current-user";
import { isStaffRole } from "@/lib/auth/permissions";
import { consoleClientNamespaces, pickMessages } from "@/lib/i18n/client-messages";


// Navigation shows what the role may open; each page and action checks again on its own.
export default async function StaffLayout({ children }: { children: ReactNode }) {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  if (!isStaffRole(user.role)) forbidden();
  const t = await getTranslations("admin");
  const common = await getTranslations("common");
  const messages = await getMessages();
  return (
    <div className="min-h-dvh">
      <SkipLink />
      <header className="border-b border-stone-200 bg-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <div>
            <span className="text-xl font-bold text-brand-800">{common("appName")}</span>{" "}
            <span className="text-sm font-semibold text-stone-700">{t("console")}</span>
            <p className="text-xs text-stone-600">{t("signedInAs", { email: user.email, role: t(`roles.${user.role}`) })}</p>
          </div>
          <div className="flex flex-wrap items-center gap-3">
            <LanguageSwitcher />
            <Link href="/admin/account" className="text-sm font-semibold text-brand-700 underline">{t("nav.account")}</Link>
            <SignOutButton />
          </div>
        </div>
        <nav aria-label={common("mainNav")} className="mx-auto flex max-w-7xl gap-1 overflow-x-auto px-4 pb-2">
          <ConsoleNav role={user.role} />
        </nav>
      </header>
      <main id="main" className="mx-auto max-w-7xl px-4 py-6">
        <NextIntlClientProvider messages={pickMessages(messages, consoleClientNamespaces)}>{children}</NextIntlClientProvider>
      </main>
    </div>
  );
}
