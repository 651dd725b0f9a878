import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Alert, Card } from "@/components/ui/card";
import { prisma } from "@/lib/db/prisma";
import { peekAccountTokenInTx } from "@/lib/services/account-tokens";
import { ResetPasswordForm } from "./reset-password-form";

export async function generateMetadata() {
  return { title: (await getTranslations("account"))("resetTitle") };
}

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const [t, { token }] = await Promise.all([getTranslations("account"), searchParams]);
  const found = token ? await peekAccountTokenInTx(prisma, { kind: "RESET", token }) : null;
  return (
    <Card className="space-y-4">
      <h1 className="text-2xl font-bold">{t("resetTitle")}</h1>
      {found && token ? (
        <>
          <p className="text-stone-700">{t("resetIntro", { email: found.email })}</p>
          <ResetPasswordForm token={token} />
        </>
      ) : (
        <>
          <Alert>{t("linkInvalid")}</Alert>
          <Link href="/forgot-password" className="font-semibold text-brand-700 underline">{t("requestNewLink")}</Link>
        </>
      )}
    </Card>
  );
}
