import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { NavLink } from "@/components/shared/nav-link";

const views = [
  { href: "/admin/analytics", key: "overview", isExact: true },
  { href: "/admin/analytics/cohorts", key: "cohorts", isExact: false },
  { href: "/admin/analytics/impact", key: "impact", isExact: false },
  { href: "/admin/analytics/customers", key: "customers", isExact: false },
  { href: "/admin/analytics/money", key: "money", isExact: false },
] as const;

/** A view's data as CSV (the same as GET /api/v1/analytics/*). */
export async function CsvLink({ href }: { href: string }) {
  const t = await getTranslations("admin.analytics");
  return (
    <a href={href} download className="inline-flex min-h-11 items-center rounded-lg border border-stone-300 bg-white px-4 text-sm font-semibold text-stone-900 hover:bg-stone-100">
      {t("downloadCsv")}
    </a>
  );
}

/** The analytics views; every one checks the analytics permission itself. */
export async function AnalyticsNav() {
  const t = await getTranslations("admin.analytics.views");
  return (
    <nav aria-label={t("label")} className="flex flex-wrap gap-1">
      {views.map((view) => (
        <NavLink key={view.href} href={view.href} isExact={view.isExact}>{t(view.key)}</NavLink>
      ))}
    </nav>
  );
}

/** The top of every analytics view: its title, the views' navigation and what it answers. */
export function AnalyticsHeader({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="space-y-2">
      <h1 className="text-2xl font-bold">{title}</h1>
      <AnalyticsNav />
      {children}
    </div>
  );
}

/** Where the figures were read and how far behind the primary (only when a read replica serves them). */
export async function DataSourceNote({ source, lagSeconds }: { source: "primary" | "replica"; lagSeconds: number }) {
  if (source !== "replica") return null;
  const t = await getTranslations("admin.analytics");
  return <span data-testid="replica-lag"> {t("replicaLag", { lag: Math.round(lagSeconds) })}</span>;
}
