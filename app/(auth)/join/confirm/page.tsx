import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Alert, Card } from "@/components/ui/card";
import { prisma } from "@/lib/db/prisma";
import { peekAccountTokenInTx } from "@/lib/services/account-tokens";
import { ConfirmJoinForm } from "./confirm-join-form";

export async function generateMetadata() {
  return { title: (await getTranslations("account"))("confirmJoinTitle") };
}

// The link only opens this page; the button makes the account (a mail scanner that follows the
// link can't use it up or join anyone).
export default async function ConfirmJoinPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const [t, { token }] = await Promise.all([getTranslations("account"), searchParams]);
  const found = token ? await peekAccountTokenInTx(prisma, { kind: "JOIN", token }) : null;
  return (
    <Card className="space-y-4">
      <h1 className="text-2xl font-bold">{t("confirmJoinTitle")}</h1>
      {found && token ? (
        <>
          <p className="text-stone-700">{t("confirmJoinIntro", { email: found.email })}</p>
          <ConfirmJoinForm token={token} />
        </>
      ) : (
        <>
          <Alert>{t("linkInvalid")}</Alert>
          <Link href="/join" className="font-semibold text-brand-700 underline">{t("joinAgain")}</Link>
        </>
      )}
    </Card>
  );
}
