import Link from "next/link";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Alert, Card } from "@/components/ui/card";
import { getCurrentUser } from "@/lib/auth/current-user";
import { homePathFor } from "@/lib/auth/permissions";
import { getReferralRule, getWelcomeBonus } from "@/lib/db/member-reads";
import { findReferrer } from "@/lib/services/referrals";
import { getProgram } from "@/lib/services/program";
import { env } from "@/lib/env";
import { needsSetup } from "@/lib/services/first-run";
import { JoinForm } from "./join-form";

export async function generateMetadata() {
  return { title: (await getTranslations("auth"))("joinTitle") };
}

export default async function JoinPage({ searchParams }: { searchParams: Promise<{ ref?: string }> }) {
  const user = await getCurrentUser();
  if (user) redirect(homePathFor(user.role));
  if (await needsSetup()) {
    const account = await getTranslations("account");
    return <Card><Alert tone="info">{account("notSetUp")}</Alert></Card>;
  }
  const [t, program, { ref }] = await Promise.all([getTranslations("auth"), getProgram(), searchParams]);
  const [bonus, referrer, referral] = await Promise.all([getWelcomeBonus(program.id), findReferrer(program.id, ref), getReferralRule(program.id)]);
  return (
    <Card className="space-y-4">
      <h1 className="text-2xl font-bold">{t("joinTitle")}</h1>
      <p className="text-stone-700">{t("joinIntro", { bonus })}</p>
      {referrer ? (
        <Alert tone="info">{referral && referral.points > 0 ? t("invitedByWithBonus", { name: referrer.name, count: referral.points }) : t("invitedBy", { name: referrer.name })}</Alert>
      ) : null}
      <JoinForm referralCode={referrer ? ref : undefined} outboxOnly={!env.SMTP_URL} />
      <p className="text-sm text-stone-700">
        {t("haveAccount")}{" "}
        <Link href="/login" className="font-semibold text-brand-700 underline">
          {t("loginLink")}
        </Link>
      </p>
    </Card>
  );
}
