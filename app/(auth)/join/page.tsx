import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { getCurrentUser } from "@/lib/auth/current-user";
import { homePathFor } from "@/lib/auth/permissions";
import { getWelcomeBonus } from "@/lib/db/member-reads";
import { getProgram } from "@/lib/services/program";
import { JoinForm } from "./join-form";

export async function generateMetadata() {
  return { title: (await getTranslations("auth"))("joinTitle") };
}

export default async function JoinPage() {
  const user = await getCurrentUser();
  if (user) redirect(homePathFor(user.role));
  const [t, program] = await Promise.all([getTranslations("auth"), getProgram()]);
  const bonus = await getWelcomeBonus(program.id);
  return (
    <Card className="space-y-4">
      <h1 className="text-2xl font-bold">{t("joinTitle")}</h1>
      <p className="text-stone-700">{t("joinIntro", { bonus })}</p>
      <JoinForm />
      <p className="text-sm text-stone-700">
        {t("haveAccount")}{" "}
        <Link href="/login" className="font-semibold text-brand-700 underline">
          {t("loginLink")}
        </Link>
      </p>
    </Card>
  );
}
