import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { Badge, Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { requirePermission } from "@/lib/auth/current-user";
import { wakeJob } from "@/lib/jobs/wake-job";
import { prisma } from "@/lib/db/prisma";
import type { OfferPhase } from "@/lib/domain/offers";
import { listConsoleOffers } from "@/lib/services/offers";
import { getProgram } from "@/lib/services/program";
import { emptyOfferForm, OfferForm } from "./offer-form";
import { audienceSummary, offerMechanics, phaseTone } from "./offer-summary";
import { OfferStatusButtons } from "./status-buttons";
import { RecountButton } from "./recount-button";

export async function generateMetadata() {
  return { title: (await getTranslations("admin.nav"))("offers") };
}

export default async function OffersPage() {
  await requirePermission("manageRules");
  const program = await getProgram();
  const [t, format, offers, tiers] = await Promise.all([
    getTranslations("admin.offers"),
    getFormatter(),
    listConsoleOffers(program.id),
    prisma.tier.findMany({ where: { programId: program.id }, orderBy: { rank: "asc" }, select: { id: true, name: true } }),
  ]);
  const money = (cents: number) => format.number(cents / 100, { style: "currency", currency: program.currency });
  const date = (value: Date) => format.dateTime(value, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
  const now = new Date();
  // a running offer never counted (saved before counts were kept, or its count failed): the job
  // counts it now rather than at its next tick
  if (offers.some((offer) => offer.phase !== "ended" && offer.targetCountedAt === null)) wakeJob("count-audiences");
  const counts = offers.reduce<Record<OfferPhase, number>>((acc, offer) => ({ ...acc, [offer.phase]: acc[offer.phase] + 1 }), { scheduled: 0, early: 0, live: 0, paused: 0, ended: 0 });
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="text-stone-700">{t("intro")}</p>
        <p className="mt-1 text-sm text-stone-600">{t("counts", { live: counts.live, scheduled: counts.scheduled, paused: counts.paused, ended: counts.ended })}</p>
      </div>
      {offers.length > 0 ? (
        <div className="flex flex-wrap items-center gap-3 text-sm text-stone-700">
          <p>{t("countsNote")}</p>
          <RecountButton />
        </div>
      ) : null}
      {offers.length === 0 ? (
        <Card><p>{t("empty")}</p></Card>
      ) : (
        <DataTable
          columns={[
            { label: t("offer") },
            { label: t("status") },
            { label: t("window") },
            { label: t("audience") },
            { label: t("targetedCounted"), align: "right" },
            { label: t("actions"), srOnly: true },
          ]}
        >
          {offers.map((offer) => (
            <tr key={offer.id}>
              <td className="p-3 align-top">
                <Link href={`/admin/offers/${offer.id}`} className="font-semibold text-brand-800 underline">{offer.title}</Link>
                <p className="text-stone-700">{offerMechanics(offer, t, money)}</p>
                {offer.hashtag ? <p className="text-stone-600">#{offer.hashtag}</p> : null}
              </td>
              <td className="p-3 align-top"><Badge tone={phaseTone[offer.phase]}>{t(`phases.${offer.phase}`)}</Badge></td>
              <td className="p-3 align-top whitespace-nowrap">{date(offer.startsAt)} –<br />{date(offer.endedAt ?? offer.endsAt)}</td>
              <td className="p-3 align-top">{audienceSummary(offer, tiers, t)}</td>
              <td className="p-3 align-top text-right tabular-nums">
                {offer.phase === "ended" ? (
                  <span aria-label={t("notCounted")}>—</span>
                ) : offer.targetCount === null || offer.targetCountedAt === null ? (
                  <span className="text-stone-600">{t("notCountedYet")}</span>
                ) : (
                  <>
                    {format.number(offer.targetCount)}
                    <span className="block whitespace-nowrap text-xs text-stone-600">
                      <time dateTime={offer.targetCountedAt.toISOString()} title={date(offer.targetCountedAt)}>{t("countedAgo", { ago: format.relativeTime(offer.targetCountedAt, now) })}</time>
                    </span>
                  </>
                )}
              </td>
              <td className="p-3 align-top"><OfferStatusButtons id={offer.id} phase={offer.phase} title={offer.title} /></td>
            </tr>
          ))}
        </DataTable>
      )}
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t("newOffer")}</h2>
        <OfferForm initial={emptyOfferForm} tiers={tiers} currency={program.currency} />
      </Card>
    </div>
  );
}
