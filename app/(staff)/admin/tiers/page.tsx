import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { requirePermission } from "@/lib/auth/current-user";
import { getTiersPage } from "@/lib/db/staff-reads";
import { getProgram } from "@/lib/services/program";
import { TierConfigForm } from "./tier-config-form";

export async function generateMetadata() {
  return { title: (await getTranslations("admin.nav"))("tiers") };
}

export default async function TiersPage() {
  await requirePermission("manageRules");
  const program = await getProgram();
  const [t, format, page] = await Promise.all([getTranslations("admin.tiers"), getFormatter(), getTiersPage(program.id)]);
  const date = (value: Date) => format.dateTime(value, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="text-stone-700">{t("intro")}</p>
      </div>
      <Card>
        <h2 className="mb-2 text-lg font-semibold">{t("membersNow")}</h2>
        <ul className="flex flex-wrap gap-x-6 gap-y-1 text-sm" data-testid="tier-counts">
          {page.tiers.map((tier) => (
            <li key={tier.id}>
              <span className="font-semibold">{tier.name}</span>: {format.number(page.counts.get(tier.id) ?? 0)}
            </li>
          ))}
          <li>
            <span className="font-semibold">{t("noTier")}</span>: {format.number(page.counts.get(null) ?? 0)}
          </li>
          <li>{t("inGrace", { count: page.graceCount })}</li>
        </ul>
      </Card>
      <Card>
        <TierConfigForm
          currency={program.currency}
          hasSpendRule={page.hasSpendRule}
          initial={{
            basis: page.program.tierBasis === "POINTS" ? "POINTS" : "SPEND",
            window: page.program.tierWindow === "CALENDAR_YEAR" ? "CALENDAR_YEAR" : "ROLLING_12_MONTHS",
            graceDays: String(page.program.tierGraceDays),
            tiers: page.tiers.map((tier) => ({
              key: String(tier.id),
              id: tier.id,
              name: tier.name,
              description: tier.description,
              minSpend: String(tier.minSpendCents / 100),
              minPoints: String(tier.minPoints),
              multiplier: String(tier.multiplierBps / 10_000),
              freeShipping: tier.freeShipping,
              earlyAccessHours: String(tier.earlyAccessHours),
              birthdayGiftPoints: String(tier.birthdayGiftPoints),
            })),
          }}
        />
      </Card>
      <Card>
        <h2 className="mb-2 text-lg font-semibold">{t("recentMoves")}</h2>
        {page.changes.length === 0 ? (
          <p className="text-stone-700">{t("noMoves")}</p>
        ) : (
          <DataTable columns={[{ label: t("when") }, { label: t("member") }, { label: t("move") }, { label: t("reason") }]}>
            {page.changes.map((change) => (
              <tr key={change.id}>
                <td className="p-3">{date(change.createdAt)}</td>
                <td className="p-3">
                  <Link href={`/admin/members/${change.customer.id}`} className="text-brand-800 underline">
                    {change.customer.name}
                  </Link>
                </td>
                <td className="p-3">{`${change.fromTier ?? t("noTier")} → ${change.toTier ?? t("noTier")}`}</td>
                <td className="p-3">{t(`reasons.${change.reason}` as never)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </Card>
    </div>
  );
}
