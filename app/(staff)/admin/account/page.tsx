import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { ChangePasswordForm, SignOutEverywhereButton } from "@/components/account/password-forms";
import { Alert, Card } from "@/components/ui/card";
import { getCurrentUser } from "@/lib/auth/current-user";

export async function generateMetadata() {
  return { title: (await getTranslations("account"))("securityTitle") };
}

/** Any staff member's own account: password and sessions (the layout only lets staff in). */
export default async function StaffAccountPage({ searchParams }: { searchParams: Promise<{ password?: string }> }) {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  const [t, { password }] = await Promise.all([getTranslations("account"), searchParams]);
  return (
    <div className="max-w-xl space-y-4">
      <h1 className="text-2xl font-bold">{t("securityTitle")}</h1>
      <p className="text-stone-700">{user.email}</p>
      <Card className="space-y-4">
        {password === "changed" ? <Alert tone="success">{t("passwordChanged")}</Alert> : null}
        <ChangePasswordForm />
      </Card>
      <Card>
        <SignOutEverywhereButton />
      </Card>
    </div>
  );
}
