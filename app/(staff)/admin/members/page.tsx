import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { buttonClass } from "@/components/ui/button";
import { Badge, Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { requirePermission } from "@/lib/auth/current-user";
import { MIN_CONTAINS_LENGTH, searchMembers } from "@/lib/db/staff-reads";
import { getProgram } from "@/lib/services/program";
import { getProgramReferralStats } from "@/lib/services/referrals";
import { memberSearchSchema } from "@/lib/validations/console";

export async function generateMetadata() {
  return { title: (await getTranslations("admin.members"))("title") };
}

export default async function MembersPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  await requirePermission("lookupMembers");
  const parsed = memberSearchSchema.safeParse((await searchParams).q ?? "");
  const query = parsed.success ? parsed.data : "";
  const program = await getProgram();
  const [t, format, results, referrals] = await Promise.all([
    getTranslations("admin.members"),
    getFormatter(),
    searchMembers(program.id, query),
    getProgramReferralStats(program.id),
  ]);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <Card>
        <h2 className="text-lg font-semibold">{t("referralsTitle")}</h2>
        <p className="text-sm text-stone-700" data-testid="referral-stats">
          {t("referralsSummary", { joined: referrals.joined, ordered: referrals.ordered, points: referrals.points })}{" "}
          {referrals.refused.length > 0
            ? t("referralsRefused", { list: referrals.refused.map((row) => `${t(`refusedReasons.${row.reason}` as never)}: ${format.number(row.count)}`).join(", ") })
            : t("referralsNoneRefused")}
        </p>
      </Card>
      <form role="search" className="flex max-w-xl flex-wrap items-end gap-2">
        <div className="min-w-0 flex-1">
          <label htmlFor="q" className="block text-sm font-medium">{t("search")}</label>
          <input id="q" name="q" defaultValue={query} aria-describedby="q-hint" className="mt-1 block min-h-11 w-full rounded-lg border border-stone-400 bg-white px-3" />
        </div>
        <button type="submit" className={buttonClass("primary")}>{t("searchButton")}</button>
        <p id="q-hint" className="w-full text-sm text-stone-600">{t("searchHint", { min: MIN_CONTAINS_LENGTH })}</p>
      </form>
      {results.length === 0 ? (
        <Card>
          <p>{t("noResults")}</p>
        </Card>
      ) : (
        <DataTable
          columns={[{ label: t("name") }, { label: t("email") }, { label: t("externalId") }, { label: t("status") }, { label: t("tier") }, { label: t("balance"), align: "right" }, { label: t("pendingPoints"), align: "right" }]}
        >
              {results.map((customer) => (
                <tr key={customer.id}>
                  <td className="p-3">
                    <Link href={`/admin/members/${customer.id}`} className="font-semibold text-brand-700 underline">{customer.name}</Link>
                  </td>
                  <td className="p-3">{customer.email}</td>
                  <td className="p-3 font-mono text-xs">{customer.externalId}</td>
                  <td className="p-3"><Badge>{customer.deactivatedAt ? t("deactivatedBadge") : customer.enrolledAt ? t("member") : t("guest")}</Badge></td>
                  <td className="p-3">{customer.tier?.name ?? "—"}</td>
                  <td className="p-3 text-right tabular-nums">{format.number(customer.points.available)}</td>
                  <td className="p-3 text-right tabular-nums">{format.number(customer.points.pending)}</td>
                </tr>
              ))}
        </DataTable>
      )}
    </div>
  );
}
