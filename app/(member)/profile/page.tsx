import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { requireMember } from "@/lib/auth/current-user";
import { prisma } from "@/lib/db/prisma";
import { getActiveActionConfig } from "@/lib/db/member-reads";
import { listShopCategories, readPreferences } from "@/lib/services/member-profile";
import { channelsOf } from "@/lib/services/notify";
import { ChangePasswordForm, SignOutEverywhereButton } from "@/components/account/password-forms";
import { Alert } from "@/components/ui/card";
import { ProfileForm } from "./profile-form";

export async function generateMetadata() {
  return { title: (await getTranslations("profile"))("title") };
}

export default async function ProfilePage({ searchParams }: { searchParams: Promise<{ password?: string }> }) {
  const { member } = await requireMember();
  const { password } = await searchParams;
  const [t, account, customer, categories, rule] = await Promise.all([
    getTranslations("profile"),
    getTranslations("account"),
    prisma.customer.findUniqueOrThrow({ where: { id: member.id }, select: { name: true, birthday: true, preferences: true, profileCompletedAt: true } }),
    listShopCategories(member.programId),
    getActiveActionConfig(member.programId, "PROFILE"),
  ]);
  const preferences = readPreferences(customer.preferences);
  // until the member chooses, both channels are on (lib/services/notify channelsOf): show that
  const channelsNow = channelsOf(customer.preferences as { channels?: unknown } | null);
  const channels = (["email", "inbox"] as const).filter((channel) => channelsNow[channel]);
  const bonus = rule?.points ?? 0;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="max-w-3xl text-stone-700">{t("intro")}</p>
      {bonus > 0 && !customer.profileCompletedAt ? <p className="font-semibold text-brand-800">{t("bonus", { count: bonus })}</p> : null}
      <Card>
        <ProfileForm
          birthdayLocked={customer.birthday !== null}
          categories={[...new Set([...categories, ...preferences.categories])]}
          initial={{ name: customer.name, birthday: customer.birthday?.toISOString().slice(0, 10) ?? "", categories: preferences.categories, channels }}
        />
      </Card>
      <Card className="space-y-4">
        <h2 className="text-lg font-semibold">{account("securityTitle")}</h2>
        {password === "changed" ? <Alert tone="success">{account("passwordChanged")}</Alert> : null}
        <ChangePasswordForm />
        <SignOutEverywhereButton />
      </Card>
    </div>
  );
}
