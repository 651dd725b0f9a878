import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Alert, Card } from "@/components/ui/card";
import { getCurrentUser } from "@/lib/auth/current-user";
import { homePathFor } from "@/lib/auth/permissions";
import { isDemoShop } from "@/lib/db/demo-shop";
import { needsSetup } from "@/lib/services/first-run";
import { LoginForm } from "./login-form";

export async function generateMetadata() {
  return { title: (await getTranslations("auth"))("loginTitle") };
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ joined?: string; reset?: string; signedOut?: string }> }) {
  const user = await getCurrentUser();
  if (user) redirect(homePathFor(user.role));
  const [t, account, query] = await Promise.all([getTranslations("auth"), getTranslations("account"), searchParams]);
  // one notice after the account flows that end here (the links say which)
  const notice = query.joined ? account("joinedNotice") : query.reset ? account("resetNotice") : query.signedOut === "everywhere" ? account("signedOutEverywhereNotice") : null;
  const [isDemo, isFirstRun] = await Promise.all([isDemoShop(), needsSetup()]);
  return (
    <Card className="space-y-4">
      <h1 className="text-2xl font-bold">{t("loginTitle")}</h1>
      <p className="text-stone-700">{t("loginIntro")}</p>
      {isDemo ? (
        <p role="note" data-testid="demo-notice" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-stone-900">{t("demoNotice")}</p>
      ) : null}
      {isFirstRun ? <Alert tone="info">{account("notSetUp")}</Alert> : null}
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      <LoginForm welcome={Boolean(query.joined)} />
      <p className="text-sm">
        <Link href="/forgot-password" className="font-semibold text-brand-700 underline">{account("forgotLink")}</Link>
      </p>
      <p className="text-sm text-stone-700">
        {t("noAccount")}{" "}
        <Link href="/join" className="font-semibold text-brand-700 underline">
          {t("joinLink")}
        </Link>
      </p>
    </Card>
  );
}
