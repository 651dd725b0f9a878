import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { LanguageSwitcher } from "@/components/shared/language-switcher";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { getPublicProgram } from "@/lib/db/program-reads";
import type { ChallengeMetric } from "@/lib/domain/challenges";
import { getProgram } from "@/lib/services/program";

export async function generateMetadata() {
  return { title: (await getTranslations("program"))("title") };
}

// Rendered per request from the live configuration: it always says what the engine does.
export const dynamic = "force-dynamic";

export default async function ProgramPage() {
  const program = await getProgram();
  const [t, common, dash, format, info, challengesT] = await Promise.all([
    getTranslations("program"),
    getTranslations("common"),
    getTranslations("dashboard"),
    getFormatter(),
    getPublicProgram(program.id),
    getTranslations("challenges"),
  ]);
  const money = (cents: number) => format.number(cents / 100, { style: "currency", currency: program.currency, maximumFractionDigits: cents % 100 === 0 ? 0 : 2 });
  const multiplier = (bps: number) => format.number(bps / 10_000, { maximumFractionDigits: 2 });
  const date = (value: Date) => format.dateTime(value, { dateStyle: "medium", timeZone: "UTC" });
  const signup = info.actions.find((action) => action.kind === "SIGNUP");
  return (
    <div className="min-h-dvh bg-stone-50">
      <header className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 p-4">
        <Link href="/" className="text-xl font-bold text-brand-800">{common("appName")}</Link>
        <LanguageSwitcher />
      </header>
      <main id="main" className="mx-auto max-w-5xl space-y-6 px-4 pb-16">
        <div className="space-y-2">
          <h1 className="text-3xl font-bold">{t("heading", { name: program.name })}</h1>
          <p className="max-w-3xl text-stone-700">{t("intro")}</p>
        </div>

        <Card className="space-y-3">
          <h2 className="text-xl font-semibold">{t("joinTitle")}</h2>
          <p>{signup ? t("joinBonus", { count: signup.config.points }) : t("joinFree")}</p>
          <Link href="/join" className={buttonClass("primary")}>{t("joinCta")}</Link>
        </Card>

        <section aria-labelledby="earn-title" className="space-y-3">
          <h2 id="earn-title" className="text-xl font-semibold">{t("earnTitle")}</h2>
          <Card>
            <ul className="list-disc space-y-1 pl-5">
              {info.spend ? (
                <>
                  <li>{t("earnSpend", { points: info.spend.pointsPerUnit, currency: program.currency })}</li>
                  {info.spend.config.minOrderCents > 0 ? <li>{t("earnMinimum", { amount: money(info.spend.config.minOrderCents) })}</li> : null}
                  <li>{t("earnShipping")}</li>
                  {info.spend.config.excludedCategories.length > 0 ? <li>{t("earnExcluded", { categories: info.spend.config.excludedCategories.join(", ") })}</li> : null}
                  {Object.entries(info.spend.config.categoryMultipliers).map(([category, bps]) => (
                    <li key={category}>{t("earnCategory", { category, multiplier: multiplier(bps) })}</li>
                  ))}
                  {info.spend.config.capPerMemberDay ? <li>{t("earnCapDay", { count: info.spend.config.capPerMemberDay })}</li> : null}
                  {info.spend.config.capPerMemberMonth ? <li>{t("earnCapMonth", { count: info.spend.config.capPerMemberMonth })}</li> : null}
                </>
              ) : (
                <li>{t("earnNoSpend")}</li>
              )}
              {info.actions.filter((action) => action.kind !== "SIGNUP").map(({ kind, config }) => (
                <li key={kind}>
                  {(() => {
                    const text = kind === "REFERRAL" ? t("earnReferral", { friend: config.points, referrer: config.referrerPoints }) : t(`actions.${kind}` as "actions.REVIEW", { count: config.points });
                    return config.limit === null
                      ? t("sentence", { text })
                      : t("sentenceWithLimit", { text, limit: t(`limits.${config.period}` as "limits.month", { count: config.limit }) });
                  })()}
                </li>
              ))}
            </ul>
          </Card>
          {info.promotions.length > 0 ? (
            <Card>
              <h3 className="font-semibold">{t("promotionsTitle")}</h3>
              <ul className="mt-2 list-disc space-y-1 pl-5">
                {info.promotions.map((promotion) => (
                  <li key={promotion.id}>
                    {t("promotion", {
                      name: promotion.name,
                      multiplier: multiplier(promotion.multiplierBps),
                      scope: promotion.categories.length ? promotion.categories.join(", ") : t("everything"),
                      from: promotion.startsAt ? date(promotion.startsAt) : "—",
                      until: promotion.endsAt ? date(promotion.endsAt) : "—",
                    })}
                    {promotion.targeted ? ` ${t("forSomeMembers")}` : ""}
                  </li>
                ))}
              </ul>
            </Card>
          ) : null}
          {info.challenges.length > 0 ? (
            <Card>
              <h3 className="font-semibold">{t("challengesTitle")}</h3>
              <ul className="mt-2 list-disc space-y-1 pl-5" data-testid="program-challenges">
                {info.challenges.map((challenge) => {
                  const target = challenge.metric === "SPEND" ? format.number(challenge.target / 100, { style: "currency", currency: program.currency, maximumFractionDigits: 0 }) : format.number(challenge.target);
                  const goal = challenge.windowDays === null
                    ? challengesT(`goal.${challenge.metric as ChallengeMetric}`, { target, count: challenge.target })
                    : challengesT(`goalWindow.${challenge.metric as ChallengeMetric}`, { target, count: challenge.target, days: challenge.windowDays });
                  return (
                    <li key={challenge.id}>
                      {challenge.name}: {goal}.{" "}
                      {challenge.rewardPoints > 0 ? challengesT("reward", { points: challenge.rewardPoints, badge: challenge.badgeName }) : challengesT("rewardBadge", { badge: challenge.badgeName })}
                    </li>
                  );
                })}
              </ul>
            </Card>
          ) : null}
        </section>

        <section aria-labelledby="tiers-title" className="space-y-3">
          <h2 id="tiers-title" className="text-xl font-semibold">{t("tiersTitle")}</h2>
          <p className="max-w-3xl text-stone-700">{t("tiersIntro", { basis: info.tierPolicy.basis, window: info.tierPolicy.window })}</p>
          <p className="max-w-3xl text-stone-700">{t("tiersGrace", { days: info.tierPolicy.graceDays })}</p>
          <ul className="grid gap-3 sm:grid-cols-3">
            {info.tiers.map((tier) => (
              <li key={tier.id}>
                <Card className="h-full">
                  <h3 className="text-lg font-semibold">{tier.name}</h3>
                  {(info.tierPolicy.basis === "POINTS" ? tier.minPoints : tier.minSpendCents) === 0 ? (
                    <p className="text-sm text-stone-700">{t("tierEntry")}</p>
                  ) : (
                    <p className="text-sm text-stone-700">
                      {t("tierThreshold", { amount: info.tierPolicy.basis === "POINTS" ? dash("pointsAmount", { count: tier.minPoints }) : money(tier.minSpendCents) })}
                    </p>
                  )}
                  {tier.description ? <p className="mt-1 text-sm">{tier.description}</p> : null}
                  <ul className="mt-2 list-disc space-y-0.5 ps-5 text-sm">
                    <li>{t("tierMultiplier", { multiplier: multiplier(tier.multiplierBps) })}</li>
                    {tier.freeShipping ? <li>{dash("benefitFreeShipping")}</li> : null}
                    {tier.earlyAccessHours > 0 ? <li>{dash("benefitEarlyAccess", { hours: tier.earlyAccessHours })}</li> : null}
                    {tier.birthdayGiftPoints > 0 ? <li>{dash("benefitBirthdayGift", { count: tier.birthdayGiftPoints })}</li> : null}
                    {tier.exclusiveRewards > 0 ? <li>{dash("benefitExclusive", { count: tier.exclusiveRewards, tier: tier.name })}</li> : null}
                  </ul>
                </Card>
              </li>
            ))}
          </ul>
        </section>

        <section aria-labelledby="rewards-title" className="space-y-3">
          <h2 id="rewards-title" className="text-xl font-semibold">{t("rewardsTitle")}</h2>
          <ul className="grid gap-3 sm:grid-cols-2">
            {info.rewards.map((reward) => (
              <li key={reward.id}>
                <Card className="h-full">
                  <h3 className="font-semibold">{reward.name}</h3>
                  <p className="text-sm text-stone-700">{reward.description}</p>
                  <p className="mt-1 font-semibold text-brand-800">{common("points", { count: reward.costPoints })}</p>
                </Card>
              </li>
            ))}
          </ul>
        </section>

        <section aria-labelledby="rules-title" className="space-y-3">
          <h2 id="rules-title" className="text-xl font-semibold">{t("rulesTitle")}</h2>
          <Card>
            <ul className="list-disc space-y-1 pl-5">
              <li>{t("rulePending", { days: program.pendingDays })}</li>
              <li>
                {program.expiryMonths === null
                  ? t("ruleNoExpiry")
                  : program.expiryPolicy === "INACTIVITY"
                    ? t("ruleExpiryInactivity", { months: program.expiryMonths })
                    : t("ruleExpiryAfterEarning", { months: program.expiryMonths })}
              </li>
              <li>{t("ruleSoonest")}</li>
              <li>{t("ruleReminder", { days: program.expiringSoonDays })}</li>
              <li>{t("ruleReturns")}</li>
              <li>{t("ruleTiers")}</li>
            </ul>
          </Card>
        </section>

        <section aria-labelledby="terms-title" className="space-y-3">
          <h2 id="terms-title" className="text-xl font-semibold">{t("termsTitle")}</h2>
          <p className="max-w-3xl text-stone-700">{t("terms")}</p>
        </section>
      </main>
    </div>
  );
}
