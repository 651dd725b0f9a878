import { getFormatter, getTranslations } from "next-intl/server";
import { Badge, Card } from "@/components/ui/card";
import { shareText } from "@/lib/domain/offers";
import type { MemberOffer } from "@/lib/services/offers";
import { OfferCodeActions } from "./offer-code-actions";

/** One offer as a member sees it: what it gives, until when, the code to use and share. */
export async function OfferCard({ offer, currency, headingLevel = "h3" }: { offer: MemberOffer; currency: string; headingLevel?: "h2" | "h3" }) {
  const [t, format] = await Promise.all([getTranslations("offers"), getFormatter()]);
  const Heading = headingLevel;
  const money = (cents: number) => format.number(cents / 100, { style: "currency", currency });
  const when = (date: Date) => format.dateTime(date, { dateStyle: "medium", timeStyle: "short" });
  const mechanics =
    offer.kind === "POINTS"
      ? offer.categories.length
        ? t("pointsOn", { multiplier: format.number(offer.multiplier ?? 1), categories: offer.categories.join(", ") })
        : t("pointsOnEverything", { multiplier: format.number(offer.multiplier ?? 1) })
      : t("codeOff", { off: offer.percentOff !== null ? format.number(offer.percentOff / 100, { style: "percent" }) : money(offer.valueCents ?? 0) });
  return (
    <Card className="flex h-full flex-col gap-2" data-testid="offer-card">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <Heading className="text-lg font-semibold">{offer.title}</Heading>
        {offer.phase === "early" ? <Badge tone="info">{t("earlyAccess")}</Badge> : offer.phase === "scheduled" ? <Badge tone="neutral">{t("comingSoon")}</Badge> : <Badge tone="positive">{t("live")}</Badge>}
      </div>
      <p className="font-semibold text-brand-800">{mechanics}</p>
      {offer.description ? <p className="text-stone-700">{offer.description}</p> : null}
      {offer.kind === "CODE" && offer.minOrderCents > 0 ? <p className="text-sm text-stone-700">{t("minOrder", { amount: money(offer.minOrderCents) })}</p> : null}
      <p className="text-sm text-stone-700">
        {offer.phase === "scheduled" ? t("opensOn", { date: when(offer.opensAt) }) : t("endsOn", { date: when(offer.endsAt) })}
        {offer.phase === "early" ? ` · ${t("everyoneFrom", { date: when(offer.startsAt) })}` : ""}
      </p>
      {offer.kind === "POINTS" && offer.phase !== "scheduled" ? <p className="text-sm text-stone-600">{t("automatic")}</p> : null}
      {offer.code ? (
        <OfferCodeActions offerId={offer.id} code={offer.code} hashtag={offer.hashtag} text={shareText({ title: offer.title, code: offer.code, hashtag: offer.hashtag })} />
      ) : offer.hashtag && offer.phase !== "scheduled" ? (
        <OfferCodeActions offerId={offer.id} code={null} hashtag={offer.hashtag} text={shareText({ title: offer.title, code: null, hashtag: offer.hashtag })} />
      ) : null}
    </Card>
  );
}
