import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { getCurrentUser } from "@/lib/auth/current-user";
import { homePathFor } from "@/lib/auth/permissions";
import { isDemoShop } from "@/lib/db/demo-shop";
import { LoginForm } from "./login-form";

export async function generateMetadata() {
  return { title: (await getTranslations("auth"))("loginTitle") };
}

export default async function LoginPage() {
  const user = await getCurrentUser();
  if (user) redirect(homePathFor(user.role));
  const t = await getTranslations("auth");
  const isDemo = await isDemoShop();
  return (
    <Card className="space-y-4">
      <h1 className="text-2xl font-bold">{t("loginTitle")}</h1>
      <p className="text-stone-700">{t("loginIntro")}</p>
      {isDemo ? (
        <p role="note" data-testid="demo-notice" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-stone-900">{t("demoNotice")}</p>
      ) : null}
      <LoginForm />
      <p className="text-sm text-stone-700">
        {t("noAccount")}{" "}
        <Link href="/join" className="font-semibold text-brand-700 underline">
          {t("joinLink")}
        </Link>
      </p>
    </Card>
  );
}
