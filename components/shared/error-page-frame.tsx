import Link from "next/link";
import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { LanguageSwitcher } from "@/components/shared/language-switcher";
import { SignOutButton } from "@/components/shared/sign-out-button";
import { ConsoleNav, MemberNav } from "@/components/shared/site-nav";
import { SkipLink } from "@/components/shared/skip-link";
import { getCurrentUser } from "@/lib/auth/current-user";
import { isStaffRole } from "@/lib/auth/permissions";

/**
 * The 403 and 404 pages render outside the portal's and the console's layouts: this frame gives
 * them the same header and navigation for whoever is signed in (member, staff), or log in / join.
 */
export async function ErrorPageFrame({ children }: { children: ReactNode }) {
  const [user, t] = await Promise.all([getCurrentUser(), getTranslations()]);
  const isMember = user?.role === "MEMBER" && Boolean(user.customer?.enrolledAt);
  return (
    <div className="min-h-dvh">
      <SkipLink />
      <header className="border-b border-stone-200 bg-white">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <Link href={user ? "/start" : "/"} className="text-xl font-bold text-brand-800">{t("common.appName")}</Link>
          <div className="flex flex-wrap items-center gap-3">
            <LanguageSwitcher />
            {user ? (
              <SignOutButton />
            ) : (
              <>
                <Link href="/login" className="font-semibold text-brand-700 underline">{t("auth.loginLink")}</Link>
                <Link href="/join" className="font-semibold text-brand-700 underline">{t("auth.joinLink")}</Link>
              </>
            )}
          </div>
        </div>
        {user && (isMember || isStaffRole(user.role)) ? (
          <nav aria-label={t("common.mainNav")} className="mx-auto flex max-w-5xl gap-1 overflow-x-auto px-4 pb-2">
            {isStaffRole(user.role) ? <ConsoleNav role={user.role} /> : <MemberNav />}
          </nav>
        ) : null}
      </header>
      <main id="main" className="mx-auto max-w-lg space-y-4 p-8 text-center">
        {children}
      </main>
    </div>
  );
}
