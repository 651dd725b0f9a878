import { getFormatter, getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { badgeSymbol } from "@/lib/domain/challenges";
import type { MemberChallenge } from "@/lib/services/challenges";

/** A challenge with the member's progress (a labelled progress bar), or the badge once earned. */
export async function ChallengeCard({ challenge, currency }: { challenge: MemberChallenge; currency: string }) {
  const [t, format] = await Promise.all([getTranslations("challenges"), getFormatter()]);
  const amount = (value: number) => (challenge.metric === "SPEND" ? format.number(value / 100, { style: "currency", currency, maximumFractionDigits: 0 }) : format.number(value));
  const goal = challenge.windowDays === null
    ? t(`goal.${challenge.metric}`, { target: amount(challenge.target), count: challenge.target })
    : t(`goalWindow.${challenge.metric}`, { target: amount(challenge.target), count: challenge.target, days: challenge.windowDays });
  const labelId = `challenge-${challenge.id}-label`;
  return (
    <Card className="flex h-full flex-col gap-2" data-testid="challenge-card">
      <div className="flex items-start gap-3">
        <span aria-hidden="true" className={`flex h-12 w-12 shrink-0 items-center justify-center rounded-full text-2xl ${challenge.completedAt ? "bg-brand-700 text-white" : "bg-stone-200 text-stone-600"}`}>
          {badgeSymbol(challenge.badgeIcon)}
        </span>
        <div>
          <h3 id={labelId} className="text-lg font-semibold">{challenge.name}</h3>
          <p className="text-sm text-stone-700">{goal}</p>
        </div>
      </div>
      {challenge.description ? <p className="text-stone-700">{challenge.description}</p> : null}
      {challenge.completedAt ? (
        <p className="font-semibold text-green-800" data-testid="challenge-done">
          {t("earned", { badge: challenge.badgeName, date: format.dateTime(challenge.completedAt, { dateStyle: "medium" }) })}
          {challenge.rewardPoints > 0 ? ` · ${t("pointsPaid", { points: challenge.rewardPoints })}` : ""}
        </p>
      ) : (
        <>
          <div
            role="progressbar"
            aria-labelledby={labelId}
            aria-valuemin={0}
            aria-valuemax={challenge.target}
            aria-valuenow={challenge.value}
            aria-valuetext={t("progress", { value: amount(challenge.value), target: amount(challenge.target) })}
            className="h-3 w-full overflow-hidden rounded-full bg-stone-200"
          >
            <div className="h-full rounded-full bg-brand-700" style={{ width: `${challenge.percent}%` }} />
          </div>
          <p className="text-sm" data-testid="challenge-progress">
            {t("progress", { value: amount(challenge.value), target: amount(challenge.target) })}
            {challenge.rewardPoints > 0 ? ` · ${t("reward", { points: challenge.rewardPoints, badge: challenge.badgeName })}` : ` · ${t("rewardBadge", { badge: challenge.badgeName })}`}
          </p>
          {challenge.endsAt ? <p className="text-sm text-stone-600">{t("endsOn", { date: format.dateTime(challenge.endsAt, { dateStyle: "medium" }) })}</p> : null}
        </>
      )}
    </Card>
  );
}
