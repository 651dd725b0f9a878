import { getFormatter, getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import type { getMemberOverview } from "@/lib/db/member-reads";

type Overview = Awaited<ReturnType<typeof getMemberOverview>>;
type TierView = Overview["tiers"][number];

/**
 * The member's tier: what it gives, what is left to reach the next one and by when, and what
 * keeps the current one (all worked out in lib/domain/tiers tierOutlook).
 */
export async function TierCard({ overview, currency }: { overview: Overview; currency: string }) {
  const [t, format] = await Promise.all([getTranslations("dashboard"), getFormatter()]);
  const { outlook, policy } = overview;
  const day = (date: Date) => format.dateTime(date, { dateStyle: "medium", timeZone: "UTC" });
  const amount = (value: number) =>
    policy.basis === "POINTS"
      ? t("pointsAmount", { count: value })
      : format.number(value / 100, { style: "currency", currency, maximumFractionDigits: 0 });
  const current = overview.tiers.find((tier) => tier.id === outlook.current?.id) ?? null;
  const next = overview.tiers.find((tier) => tier.id === outlook.next?.id) ?? null;
  const year = new Date().getUTCFullYear();
  const amountLine =
    policy.window === "CALENDAR_YEAR"
      ? t(policy.basis === "POINTS" ? "pointsThisYear" : "spendThisYear", { amount: amount(outlook.amount), year: String(year) })
      : t(policy.basis === "POINTS" ? "pointsLast12" : "spendLast12", { amount: amount(outlook.amount) });
  const keep = outlook.keep;

  return (
    <Card className="md:col-span-2">
      <h2 className="text-sm font-semibold uppercase tracking-wide text-stone-600">{t("tier")}</h2>
      <p className="mt-1 text-3xl font-bold" data-testid="tier-name">{current?.name ?? t("noTier")}</p>
      {current ? <Benefits tier={current} currency={currency} /> : null}
      <p className="mt-3 text-sm text-stone-700">{amountLine}</p>
      {next && outlook.toNext ? (
        <div className="mt-3 space-y-2">
          <div
            role="progressbar"
            aria-label={t("progressLabel", { tier: next.name })}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={outlook.toNext.percent}
            className="h-3 w-full overflow-hidden rounded-full bg-stone-200"
          >
            <div className="h-full rounded-full bg-brand-600" style={{ width: `${outlook.toNext.percent}%` }} />
          </div>
          <p className="text-sm font-medium" data-testid="tier-next">
            {outlook.toNext.by
              ? t("nextTierBy", { amount: amount(outlook.toNext.remaining), tier: next.name, date: day(outlook.toNext.by) })
              : t("nextTierWithin", { amount: amount(outlook.toNext.remaining), tier: next.name })}
          </p>
          <details className="text-sm text-stone-700">
            <summary className="cursor-pointer font-medium text-brand-800">{t("nextTierGives", { tier: next.name })}</summary>
            <Benefits tier={next} currency={currency} />
          </details>
        </div>
      ) : (
        <p className="mt-3 text-sm font-medium">{t("topTier")}</p>
      )}
      {current && keep && keep.kind !== "base" ? (
        <p className="mt-3 rounded-md bg-stone-100 p-2 text-sm text-stone-800" data-testid="tier-keep">
          {keep.kind === "floor"
            ? t("keepFloor", { tier: current.name })
            : keep.kind === "secure"
              ? t("keepSecure", { tier: current.name, date: day(keep.until) })
              : keep.kind === "grace"
                ? t("keepGrace", { tier: current.name, amount: amount(keep.remaining), date: day(keep.until) })
                : keep.by
                  ? t("keepNeedsBy", { tier: current.name, amount: amount(keep.remaining), date: day(keep.by) })
                  : t("keepNeeds", { tier: current.name, amount: amount(keep.remaining) })}
        </p>
      ) : null}
    </Card>
  );
}

async function Benefits({ tier, currency }: { tier: TierView; currency: string }) {
  const [t, format] = await Promise.all([getTranslations("dashboard"), getFormatter()]);
  const items = [
    tier.multiplierBps !== 10_000 ? t("benefitMultiplier", { multiplier: format.number(tier.multiplierBps / 10_000), currency }) : null,
    tier.freeShipping ? t("benefitFreeShipping") : null,
    tier.earlyAccessHours > 0 ? t("benefitEarlyAccess", { hours: tier.earlyAccessHours }) : null,
    tier.birthdayGiftPoints > 0 ? t("benefitBirthdayGift", { count: tier.birthdayGiftPoints }) : null,
    tier.exclusiveRewards > 0 ? t("benefitExclusive", { count: tier.exclusiveRewards, tier: tier.name }) : null,
  ].filter((item): item is string => item !== null);
  if (items.length === 0) return <p className="mt-1 text-sm text-stone-700">{t("benefitBase")}</p>;
  return (
    <ul className="mt-2 list-disc space-y-0.5 ps-5 text-sm text-stone-700" data-testid={`tier-benefits-${tier.id}`}>
      {items.map((item) => (
        <li key={item}>{item}</li>
      ))}
    </ul>
  );
}
