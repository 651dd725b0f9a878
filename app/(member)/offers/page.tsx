import { getTranslations } from "next-intl/server";
import { OfferCard } from "@/components/member/offer-card";
import { Card } from "@/components/ui/card";
import { requireMember } from "@/lib/auth/current-user";
import { getMemberOffers } from "@/lib/services/offers";
import { getProgram } from "@/lib/services/program";

export async function generateMetadata() {
  return { title: (await getTranslations("nav"))("offers") };
}

export default async function OffersPage() {
  const { member } = await requireMember();
  const [t, program, offers] = await Promise.all([getTranslations("offers"), getProgram(), getMemberOffers({ programId: member.programId, customerId: member.id })]);
  const open = offers.filter((offer) => offer.phase !== "scheduled");
  const upcoming = offers.filter((offer) => offer.phase === "scheduled");
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="text-stone-700">{t("intro")}</p>
      </div>
      {open.length === 0 ? (
        <Card><p>{t("none")}</p></Card>
      ) : (
        <ul className="grid gap-4 md:grid-cols-2" aria-label={t("openNow")}>
          {open.map((offer) => <li key={offer.id}><OfferCard offer={offer} currency={program.currency} headingLevel="h2" /></li>)}
        </ul>
      )}
      {upcoming.length > 0 ? (
        <section className="space-y-3">
          <h2 className="text-xl font-semibold">{t("upcoming")}</h2>
          <ul className="grid gap-4 md:grid-cols-2">
            {upcoming.map((offer) => <li key={offer.id}><OfferCard offer={offer} currency={program.currency} /></li>)}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
