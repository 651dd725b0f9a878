import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { Badge, Card } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/current-user";
import { prisma } from "@/lib/db/prisma";
import { toUtcInputValue } from "@/lib/domain/dates";
import { getConsoleOffer } from "@/lib/services/offers";
import { getProgram } from "@/lib/services/program";
import { OfferForm, type OfferFormValues } from "../offer-form";
import { audienceSummary, offerMechanics, phaseTone } from "../offer-summary";
import { OfferStatusButtons } from "../status-buttons";

export async function generateMetadata() {
  return { title: (await getTranslations("admin.nav"))("offers") };
}

export default async function OfferPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePermission("manageRules");
  const { id } = await params;
  const offerId = Number(id);
  if (!Number.isSafeInteger(offerId) || offerId <= 0) notFound();
  const program = await getProgram();
  const offer = await getConsoleOffer(program.id, offerId);
  if (!offer) notFound();
  const [t, format, tiers] = await Promise.all([
    getTranslations("admin.offers"),
    getFormatter(),
    prisma.tier.findMany({ where: { programId: program.id }, orderBy: { rank: "asc" }, select: { id: true, name: true } }),
  ]);
  const money = (cents: number) => format.number(cents / 100, { style: "currency", currency: program.currency });
  const date = (value: Date) => format.dateTime(value, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
  const initial: OfferFormValues = {
    id: offer.id,
    kind: offer.kind,
    title: offer.title,
    description: offer.description,
    multiplier: offer.multiplier === null ? "" : String(offer.multiplier),
    categories: offer.categories.join(", "),
    totalCapPoints: offer.totalCapPoints === null ? "" : String(offer.totalCapPoints),
    code: offer.code ?? "",
    discountType: offer.valueCents !== null ? "amount" : "percent",
    discount: offer.valueCents !== null ? String(offer.valueCents / 100) : offer.percentOff !== null ? String(offer.percentOff) : "",
    minOrder: String(offer.minOrderCents / 100),
    hashtag: offer.hashtag ?? "",
    startsAt: toUtcInputValue(offer.startsAt),
    endsAt: toUtcInputValue(offer.endsAt),
    tierIds: offer.audience.tierIds,
    preferredCategories: offer.audience.preferredCategories.join(", "),
    joinedWithinDays: offer.audience.joinedWithinDays === null ? "" : String(offer.audience.joinedWithinDays),
    inactiveDays: offer.audience.inactiveDays === null ? "" : String(offer.audience.inactiveDays),
    minOrders: offer.audience.minOrders === null ? "" : String(offer.audience.minOrders),
    birthdayMonth: offer.audience.birthdayMonth,
  };
  return (
    <div className="space-y-6">
      <p><Link href="/admin/offers" className="text-brand-800 underline">{t("back")}</Link></p>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">{offer.title}</h1>
          <p className="text-stone-700">{offerMechanics(offer, t, money)}{offer.hashtag ? ` · #${offer.hashtag}` : ""}</p>
        </div>
        <Badge tone={phaseTone[offer.phase]}>{t(`phases.${offer.phase}`)}</Badge>
      </div>
      <Card>
        <dl className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <div><dt className="text-sm text-stone-600">{t("window")}</dt><dd>{date(offer.startsAt)} – {date(offer.endedAt ?? offer.endsAt)}</dd></div>
          <div><dt className="text-sm text-stone-600">{t("audience")}</dt><dd>{audienceSummary(offer, tiers, t)}</dd></div>
          <div><dt className="text-sm text-stone-600">{t("targeted")}</dt><dd className="text-xl font-bold tabular-nums">{offer.phase === "ended" || offer.targetCount === null ? t("notCounted") : format.number(offer.targetCount)}</dd></div>
          {offer.kind === "POINTS" ? (
            <div>
              <dt className="text-sm text-stone-600">{t("issued")}</dt>
              <dd className="tabular-nums">
                {offer.totalCapPoints === null ? t("issuedNoCap", { used: offer.pointsIssued }) : t("issuedOfCap", { used: offer.pointsIssued, cap: offer.totalCapPoints })}
                {offer.ruleVersion ? <span className="block text-sm text-stone-600">{t("ruleVersion", { version: offer.ruleVersion })}</span> : null}
              </dd>
            </div>
          ) : null}
        </dl>
        <div className="mt-4"><OfferStatusButtons id={offer.id} phase={offer.phase} title={offer.title} /></div>
      </Card>
      {offer.phase === "ended" ? (
        <Card><p>{t("endedReadOnly")}</p></Card>
      ) : (
        <Card>
          <h2 className="mb-3 text-lg font-semibold">{t("editOffer")}</h2>
          <OfferForm initial={initial} tiers={tiers} currency={program.currency} />
        </Card>
      )}
    </div>
  );
}
