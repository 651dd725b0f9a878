import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { ForgotPasswordForm } from "./forgot-password-form";

export async function generateMetadata() {
  return { title: (await getTranslations("account"))("forgotTitle") };
}

export default async function ForgotPasswordPage() {
  const t = await getTranslations("account");
  return (
    <Card className="space-y-4">
      <h1 className="text-2xl font-bold">{t("forgotTitle")}</h1>
      <p className="text-stone-700">{t("forgotIntro")}</p>
      <ForgotPasswordForm />
      <Link href="/login" className="text-sm font-semibold text-brand-700 underline">{t("backToLogin")}</Link>
    </Card>
  );
}
