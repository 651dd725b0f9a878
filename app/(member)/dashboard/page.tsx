import { headers } from "next/headers";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { ActivityList } from "@/components/member/activity-list";
import { buttonClass } from "@/components/ui/button";
import { Alert, Card } from "@/components/ui/card";
import { requireMember } from "@/lib/auth/current-user";
import { getExpirySchedule } from "@/lib/db/member-points";
import { getMemberActivity, getMemberOverview, getReferralRule } from "@/lib/db/member-reads";
import { ensureReferralCode, getReferralStats } from "@/lib/services/referrals";
import { InviteLink } from "@/components/member/invite-card";
import { TierCard } from "@/components/member/tier-card";
import { OfferCard } from "@/components/member/offer-card";
import { ChallengeCard } from "@/components/member/challenge-card";
import { getMemberChallenges } from "@/lib/services/challenges";
import { getMemberOffers } from "@/lib/services/offers";
import { getProgram } from "@/lib/services/program";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("dashboard") };
}

export default async function DashboardPage({ searchParams }: { searchParams: Promise<{ welcome?: string }> }) {
  const { member } = await requireMember();
  const [t, format, overview, activity, program, schedule, offers, challenges, referral, { welcome }] = await Promise.all([
    getTranslations("dashboard"),
    getFormatter(),
    getMemberOverview(member.id),
    getMemberActivity(member.id, { limit: 8 }),
    getProgram(),
    getExpirySchedule(member.id, new Date(), 4),
    getMemberOffers({ programId: member.programId, customerId: member.id }),
    getMemberChallenges({ programId: member.programId, customerId: member.id }),
    getReferralRule(member.programId),
    searchParams,
  ]);
  const [referralCode, referralStats, origin] = referral
    ? await Promise.all([ensureReferralCode(member.id), getReferralStats(member.id), requestOrigin()])
    : [null, null, ""];
  const day = (date: Date) => format.dateTime(date, { dateStyle: "medium", timeZone: "UTC" });
  const { customer, points } = overview;
  // the soonest expiry inside the program's reminder window (the same window as the reminder emails)
  const reminderUntil = Date.now() + program.expiringSoonDays * 86_400_000;
  const expiringFirst = schedule.expiring.find((row) => row.date.getTime() <= reminderUntil && row.points > 0) ?? null;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">{welcome ? t("welcomeNew", { name: customer.name }) : t("welcomeBack", { name: customer.name })}</h1>
      {points.debt > 0 ? <Alert tone="info">{t("debt", { count: points.debt })}</Alert> : null}
      {expiringFirst ? (
        <Alert tone="info">
          <span data-testid="expiring-notice">{t("expiringNotice", { points: expiringFirst.points, date: day(expiringFirst.date) })}</span>{" "}
          <Link href="/rewards" className="font-semibold underline">
            {t("useNow")}
          </Link>
        </Alert>
      ) : null}
      <div className="grid gap-4 md:grid-cols-3">
        <Card className="md:col-span-1">
          <h2 className="text-sm font-semibold uppercase tracking-wide text-stone-600">{t("available")}</h2>
          <p className="mt-1 text-4xl font-bold tabular-nums text-brand-800" data-testid="available-points">
            {format.number(points.available)}
          </p>
          <dl className="mt-4 space-y-2 text-sm">
            <div className="flex justify-between gap-2">
              <dt>{t("pending")}</dt>
              <dd className="font-semibold tabular-nums" data-testid="pending-points">{format.number(points.pending)}</dd>
            </div>
            <div className="flex justify-between gap-2">
              <dt>{t("expiringSoon")}</dt>
              <dd className="font-semibold tabular-nums">{format.number(points.expiringSoon)}</dd>
            </div>
          </dl>
          <p className="mt-3 text-xs text-stone-600">{t("pendingHelp")}</p>
          {points.nextExpiry ? <p className="mt-1 text-xs text-stone-600">{t("nextExpiry", { date: format.dateTime(points.nextExpiry, { dateStyle: "medium" }) })}</p> : null}
        </Card>
        <TierCard overview={overview} currency={program.currency} />
      </div>
      {offers.some((offer) => offer.phase !== "scheduled") ? (
        <section aria-labelledby="offers-heading" className="space-y-3">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 id="offers-heading" className="text-lg font-semibold">{t("offersTitle")}</h2>
            <Link href="/offers" className="font-semibold text-brand-800 underline">{t("seeAllOffers", { count: offers.length })}</Link>
          </div>
          <ul className="grid gap-4 md:grid-cols-2">
            {offers.filter((offer) => offer.phase !== "scheduled").slice(0, 2).map((offer) => (
              <li key={offer.id}><OfferCard offer={offer} currency={program.currency} /></li>
            ))}
          </ul>
        </section>
      ) : null}
      {challenges.length > 0 ? (
        <section aria-labelledby="challenges-heading" className="space-y-3">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 id="challenges-heading" className="text-lg font-semibold">{t("challengesTitle", { badges: challenges.filter((challenge) => challenge.completedAt).length })}</h2>
            <Link href="/challenges" className="font-semibold text-brand-800 underline">{t("seeAllChallenges")}</Link>
          </div>
          <ul className="grid gap-4 md:grid-cols-2">
            {challenges
              .filter((challenge) => !challenge.completedAt)
              .sort((a, b) => b.percent - a.percent)
              .slice(0, 2)
              .map((challenge) => <li key={challenge.id}><ChallengeCard challenge={challenge} currency={program.currency} /></li>)}
          </ul>
        </section>
      ) : null}
      {referral && referralCode && referralStats ? (
        <Card className="space-y-2">
          <h2 className="text-lg font-semibold">{t("inviteTitle")}</h2>
          <p className="text-stone-700">{t("inviteBody", { friend: referral.points, referrer: referral.referrerPoints })}</p>
          <InviteLink link={`${origin}/join?ref=${referralCode}`} />
          <p className="text-sm text-stone-700">
            {t("inviteCode", { code: referralCode })} · {t("inviteStats", referralStats)}
          </p>
        </Card>
      ) : null}
      <Card>
        <h2 className="text-lg font-semibold">{t("comingUp")}</h2>
        {schedule.pending.length === 0 && schedule.expiring.length === 0 ? (
          <p className="mt-2 text-stone-700">{t("nothingComingUp")}</p>
        ) : (
          <ul className="mt-2 grid gap-1 text-sm sm:grid-cols-2" data-testid="points-schedule">
            {schedule.pending.map((row) => <li key={`p${row.date.toISOString()}`}>{t("becomesAvailable", { count: row.points, date: day(row.date) })}</li>)}
            {schedule.expiring.map((row) => <li key={`e${row.date.toISOString()}`}>{t("expiresOn", { count: row.points, date: day(row.date) })}</li>)}
          </ul>
        )}
      </Card>
      <Card>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 className="text-lg font-semibold">{t("recentActivity")}</h2>
          <div className="flex gap-2">
            <Link href="/rewards" className={buttonClass("primary")}>
              {t("browseRewards")}
            </Link>
            <Link href="/activity" className={buttonClass("secondary")}>
              {t("seeAll")}
            </Link>
          </div>
        </div>
        {activity.length === 0 ? <p className="mt-3 text-stone-700">{t("noActivity")}</p> : <ActivityList items={activity} />}
      </Card>
    </div>
  );
}

/** The origin the member is using (behind a proxy: x-forwarded-host/proto), for the invitation link. */
async function requestOrigin() {
  const list = await headers();
  const host = list.get("x-forwarded-host") ?? list.get("host") ?? "localhost:3000";
  const proto = list.get("x-forwarded-proto") ?? (host.startsWith("localhost") || host.startsWith("127.") ? "http" : "https");
  return `${proto}://${host}`;
}
