import { getTranslations } from "next-intl/server";
import { ChallengeCard } from "@/components/member/challenge-card";
import { Card } from "@/components/ui/card";
import { requireMember } from "@/lib/auth/current-user";
import { badgeSymbol } from "@/lib/domain/challenges";
import { getMemberChallenges } from "@/lib/services/challenges";
import { getProgram } from "@/lib/services/program";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("challenges") };
}

export default async function ChallengesPage() {
  const { member } = await requireMember();
  const [t, program, challenges] = await Promise.all([getTranslations("challenges"), getProgram(), getMemberChallenges({ programId: member.programId, customerId: member.id })]);
  const badges = challenges.filter((challenge) => challenge.completedAt);
  const open = challenges.filter((challenge) => !challenge.completedAt);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="text-stone-700">{t("intro")}</p>
      </div>
      <section aria-labelledby="badges-heading" className="space-y-3">
        <h2 id="badges-heading" className="text-xl font-semibold">{t("badgesTitle", { count: badges.length })}</h2>
        {badges.length === 0 ? (
          <p className="text-stone-700">{t("noBadges")}</p>
        ) : (
          <ul className="flex flex-wrap gap-3" data-testid="badges">
            {badges.map((badge) => (
              <li key={badge.id} className="flex items-center gap-2 rounded-full border border-brand-700 bg-brand-50 py-1 pe-4 ps-1">
                <span aria-hidden="true" className="flex h-9 w-9 items-center justify-center rounded-full bg-brand-700 text-lg text-white">{badgeSymbol(badge.badgeIcon)}</span>
                <span className="font-semibold">{badge.badgeName}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="open-heading" className="space-y-3">
        <h2 id="open-heading" className="text-xl font-semibold">{t("openTitle")}</h2>
        {open.length === 0 ? (
          <Card><p>{t("none")}</p></Card>
        ) : (
          <ul className="grid gap-4 md:grid-cols-2">
            {open.map((challenge) => <li key={challenge.id}><ChallengeCard challenge={challenge} currency={program.currency} /></li>)}
          </ul>
        )}
      </section>
      {badges.length > 0 ? (
        <section aria-labelledby="done-heading" className="space-y-3">
          <h2 id="done-heading" className="text-xl font-semibold">{t("doneTitle")}</h2>
          <ul className="grid gap-4 md:grid-cols-2">
            {badges.map((challenge) => <li key={challenge.id}><ChallengeCard challenge={challenge} currency={program.currency} /></li>)}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
