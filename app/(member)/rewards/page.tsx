import { getFormatter, getTranslations } from "next-intl/server";
import { Alert, Badge, Card } from "@/components/ui/card";
import { requireMember } from "@/lib/auth/current-user";
import { getMemberPoints } from "@/lib/db/member-points";
import { getMemberRedemptionCounts, getMemberRedemptions, getRewardsCatalog } from "@/lib/db/member-reads";
import { prisma } from "@/lib/db/prisma";
import { getProgram } from "@/lib/services/program";
import { redemptionState } from "@/lib/services/redemption-status";
import { CancelCodeButton } from "./cancel-code-button";
import { RedeemButton } from "./redeem-button";

const statusTone = { ACTIVE: "positive", USED: "neutral", CANCELLED: "neutral", EXPIRED: "warning" } as const;

export async function generateMetadata() {
  return { title: (await getTranslations("rewards"))("title") };
}

export default async function RewardsPage({ searchParams }: { searchParams: Promise<{ refunded?: string }> }) {
  const refunded = Number((await searchParams).refunded);
  const { member } = await requireMember();
  const [t, format, program, points, rewards, redemptions, counts, me, tiers] = await Promise.all([
    getTranslations("rewards"),
    getFormatter(),
    getProgram(),
    getMemberPoints(member.id),
    getRewardsCatalog(member.programId),
    getMemberRedemptions(member.id),
    getMemberRedemptionCounts(member.id),
    prisma.customer.findUniqueOrThrow({ where: { id: member.id }, select: { tierId: true } }),
    prisma.tier.findMany({ where: { programId: member.programId }, orderBy: { rank: "asc" }, select: { id: true, name: true } }),
  ]);
  const tierNames = (ids: number[]) => tiers.filter((tier) => ids.includes(tier.id)).map((tier) => tier.name);
  const money = (cents: number | null) => format.number((cents ?? 0) / 100, { style: "currency", currency: program.currency });
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="text-stone-700" data-testid="rewards-available">{t("intro", { count: points.available })}</p>
      </div>
      {rewards.length === 0 ? <p>{t("empty")}</p> : null}
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {rewards.map((reward) => {
          const isOutOfStock = reward.stock !== null && reward.stock <= 0;
          const missing = reward.costPoints - points.available;
          const isExclusive = reward.tierIds.length > 0;
          const isLocked = isExclusive && (me.tierId === null || !reward.tierIds.includes(me.tierId));
          const used = counts.get(reward.id) ?? 0;
          const isLimitReached = reward.perMemberLimit !== null && used >= reward.perMemberLimit;
          return (
            <li key={reward.id}>
              <Card className="flex h-full flex-col gap-3" aria-labelledby={`reward-${reward.id}`}>
                <div className="flex items-start justify-between gap-2">
                  <h2 id={`reward-${reward.id}`} className="text-lg font-semibold">{reward.name}</h2>
                  <Badge>{t(`kind.${reward.kind}`, { value: money(reward.valueCents), percent: reward.percentOff ?? 0 })}</Badge>
                </div>
                {isExclusive ? (
                  <p className="text-sm font-semibold text-brand-800" data-testid={`reward-exclusive-${reward.id}`}>
                    {t("exclusiveTo", { tiers: tierNames(reward.tierIds).join(", ") })}
                  </p>
                ) : null}
                {reward.description ? <p className="text-sm text-stone-700">{reward.description}</p> : null}
                {reward.categories.length > 0 ? <p className="text-sm text-stone-700">{t("categoriesOnly", { categories: reward.categories.join(", ") })}</p> : null}
                {reward.perMemberLimit !== null ? <p className="text-sm text-stone-700">{t("limitInfo", { used, limit: reward.perMemberLimit })}</p> : null}
                <p className="text-xl font-bold text-brand-800">{t("cost", { count: reward.costPoints })}</p>
                <p className="text-sm text-stone-600">
                  {isOutOfStock ? t("outOfStock") : reward.stock !== null ? t("stockLeft", { count: reward.stock }) : null}
                  {reward.endsAt ? ` ${t("endsOn", { date: format.dateTime(reward.endsAt, { dateStyle: "medium" }) })}` : null}
                </p>
                {isLocked ? (
                  <p className="text-sm font-medium text-stone-700">{t("unlockAt", { tier: tierNames(reward.tierIds)[0] ?? "" })}</p>
                ) : isLimitReached ? (
                  <p className="text-sm font-medium text-stone-700">{t("limitReached")}</p>
                ) : missing > 0 ? (
                  <p className="text-sm font-medium text-stone-700">{t("notEnough", { count: missing })}</p>
                ) : null}
                <div className="mt-auto">
                  <RedeemButton rewardId={reward.id} rewardName={reward.name} cost={reward.costPoints} disabled={isOutOfStock || isLocked || isLimitReached} />
                </div>
              </Card>
            </li>
          );
        })}
      </ul>
      <Card>
        <h2 className="text-lg font-semibold">{t("myRewards")}</h2>
        {Number.isInteger(refunded) && refunded > 0 ? <Alert tone="success" className="mt-2">{t("cancelled", { count: refunded })}</Alert> : null}
        {redemptions.length === 0 ? (
          <p className="mt-2 text-stone-700">{t("noRedemptions")}</p>
        ) : (
          <ul className="mt-2 divide-y divide-stone-200">
            {redemptions.map((redemption) => (
              <li key={redemption.id} className="flex flex-wrap items-center justify-between gap-2 py-3">
                <div>
                  <p className="font-medium">{redemption.reward.name}</p>
                  <p className="text-sm text-stone-600">
                    {format.dateTime(redemption.createdAt, { dateStyle: "medium" })}
                    {redemption.expiresAt ? ` · ${t("validUntil", { date: format.dateTime(redemption.expiresAt, { dateStyle: "medium" }) })}` : null}
                  </p>
                </div>
                <div className="text-right">
                  <p className="font-mono font-bold" data-testid="redemption-code">{redemption.code}</p>
                  {redemption.voucherCode ? (
                    <p className="text-sm">
                      {t("partnerCode")}: <span className="font-mono font-bold" data-testid="voucher-code">{redemption.voucherCode}</span>
                    </p>
                  ) : null}
                  {redemption.reward.categories.length > 0 ? <p className="text-xs text-stone-600">{t("categoriesOnly", { categories: redemption.reward.categories.join(", ") })}</p> : null}
                  <p className="text-sm">
                    <Badge tone={statusTone[redemptionState(redemption)]}>{t(`status.${redemptionState(redemption)}`)}</Badge>{" "}
                    <span className="text-red-800">−{format.number(redemption.pointsSpent)}</span>
                  </p>
                </div>
                {redemptionState(redemption) === "ACTIVE" ? <CancelCodeButton redemptionId={redemption.id} rewardName={redemption.reward.name} points={redemption.pointsSpent} /> : null}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
