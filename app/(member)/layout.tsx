import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { LanguageSwitcher } from "@/components/shared/language-switcher";
import { MemberNav } from "@/components/shared/site-nav";
import { SkipLink } from "@/components/shared/skip-link";
import { SignOutButton } from "@/components/shared/sign-out-button";
import { requireMember } from "@/lib/auth/current-user";
import { prisma } from "@/lib/db/prisma";

export default async function MemberLayout({ children }: { children: ReactNode }) {
  const { member } = await requireMember();
  const [t, unread] = await Promise.all([getTranslations(), prisma.notification.count({ where: { customerId: member.id, readAt: null } })]);
  return (
    <div className="min-h-dvh">
      <SkipLink />
      <header className="border-b border-stone-200 bg-white">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <span className="text-xl font-bold text-brand-800">{t("common.appName")}</span>
          <div className="flex flex-wrap items-center gap-3">
            <LanguageSwitcher />
            <SignOutButton />
          </div>
        </div>
        <nav aria-label={t("common.mainNav")} className="mx-auto flex max-w-5xl gap-1 overflow-x-auto px-4 pb-2">
          <MemberNav
            inboxBadge={unread > 0 ? (
              <span className="ms-1 rounded-full bg-brand-700 px-2 text-xs font-bold text-white" data-testid="inbox-unread">
                {unread}
              </span>
            ) : null}
          />
        </nav>
      </header>
      <main id="main" className="mx-auto max-w-5xl px-4 py-6">
        {children}
      </main>
    </div>
  );
}
