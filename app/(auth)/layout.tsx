import Link from "next/link";
import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { LanguageSwitcher } from "@/components/shared/language-switcher";

export default async function AuthLayout({ children }: { children: ReactNode }) {
  const t = await getTranslations("common");
  return (
    <div className="min-h-dvh">
      <header className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 p-4">
        <Link href="/" className="text-xl font-bold text-brand-800">
          {t("appName")}
        </Link>
        <LanguageSwitcher />
      </header>
      <main className="mx-auto max-w-md px-4 pb-16">{children}</main>
    </div>
  );
}
