import type { OfferPhase } from "@/lib/domain/offers";
import type { ConsoleOffer } from "@/lib/services/offers";

type T = (key: string, values?: Record<string, string | number>) => string;

/** One line saying who an offer is for, in the console's words. */
export function audienceSummary(offer: Pick<ConsoleOffer, "audience">, tiers: { id: number; name: string }[], t: T): string {
  const { audience } = offer;
  const parts: string[] = [];
  const tierNames = tiers.filter((tier) => audience.tierIds.includes(tier.id)).map((tier) => tier.name);
  parts.push(tierNames.length ? tierNames.join(", ") : t("allMembers"));
  if (audience.preferredCategories.length) parts.push(t("summary.likes", { categories: audience.preferredCategories.join(", ") }));
  if (audience.joinedWithinDays !== null) parts.push(t("summary.joined", { days: audience.joinedWithinDays }));
  if (audience.inactiveDays !== null) parts.push(t("summary.inactive", { days: audience.inactiveDays }));
  if (audience.minOrders !== null) parts.push(t("summary.orders", { count: audience.minOrders }));
  if (audience.birthdayMonth) parts.push(t("summary.birthday"));
  return parts.join(" · ");
}

export const phaseTone: Record<OfferPhase, "neutral" | "positive" | "warning" | "danger" | "info"> = {
  scheduled: "info",
  early: "info",
  live: "positive",
  paused: "warning",
  ended: "neutral",
};

export function offerMechanics(offer: ConsoleOffer, t: T, money: (cents: number) => string): string {
  if (offer.kind === "POINTS") {
    const on = offer.categories.length ? offer.categories.join(", ") : t("everything");
    return t("pointsMechanics", { multiplier: offer.multiplier ?? 1, on });
  }
  const off = offer.percentOff !== null ? `${offer.percentOff}%` : money(offer.valueCents ?? 0);
  return t("codeMechanics", { code: offer.code ?? "", off });
}

