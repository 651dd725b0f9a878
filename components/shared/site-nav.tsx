import type { ReactNode } from "react";
import { getTranslations } from "next-intl/server";
import { NavLink } from "@/components/shared/nav-link";
import type { Role } from "@/lib/db/generated/enums";
import { can, type Permission } from "@/lib/auth/permissions";

// The portal's and the console's navigation, shared by their layouts and by the 403 and 404
// pages (which render outside those layouts but must keep the signed-in user's header).

const consoleSections: { href: string; key: "analytics" | "rewards" | "rules" | "offers" | "challenges" | "tiers" | "messages" | "members" | "referrals" | "staff" | "apiKeys" | "webhooks" | "imports"; permission: Permission }[] = [
  { href: "/admin/analytics", key: "analytics", permission: "viewAnalytics" },
  { href: "/admin/rewards", key: "rewards", permission: "manageRewards" },
  { href: "/admin/rules", key: "rules", permission: "manageRules" },
  { href: "/admin/offers", key: "offers", permission: "manageRules" },
  { href: "/admin/challenges", key: "challenges", permission: "manageRules" },
  { href: "/admin/tiers", key: "tiers", permission: "manageRules" },
  { href: "/admin/messages", key: "messages", permission: "manageRules" },
  { href: "/admin/members", key: "members", permission: "lookupMembers" },
  { href: "/admin/referrals", key: "referrals", permission: "reviewReferrals" },
  { href: "/admin/staff", key: "staff", permission: "manageStaff" },
  { href: "/admin/api-keys", key: "apiKeys", permission: "manageApiKeys" },
  { href: "/admin/webhooks", key: "webhooks", permission: "manageWebhooks" },
  { href: "/admin/imports", key: "imports", permission: "importData" },
];

/** The console sections a staff role may open (each page and action checks again on its own). */
export async function ConsoleNav({ role }: { role: Role }) {
  const t = await getTranslations("admin");
  return consoleSections
    .filter((section) => can(role, section.permission))
    .map((section) => (
      <NavLink key={section.href} href={section.href}>
        {t(`nav.${section.key}`)}
      </NavLink>
    ));
}

/** The member portal's sections; `inboxBadge` is the unread count the layout shows. */
export async function MemberNav({ inboxBadge }: { inboxBadge?: ReactNode }) {
  const t = await getTranslations("nav");
  return (
    <>
      <NavLink href="/dashboard">{t("dashboard")}</NavLink>
      <NavLink href="/rewards">{t("rewards")}</NavLink>
      <NavLink href="/offers">{t("offers")}</NavLink>
      <NavLink href="/challenges">{t("challenges")}</NavLink>
      <NavLink href="/activity">{t("activity")}</NavLink>
      <NavLink href="/inbox">
        {t("inbox")}
        {inboxBadge}
      </NavLink>
      <NavLink href="/profile">{t("profile")}</NavLink>
    </>
  );
}
