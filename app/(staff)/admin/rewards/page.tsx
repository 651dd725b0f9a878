import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { buttonClass } from "@/components/ui/button";
import { Alert, Badge } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { requirePermission } from "@/lib/auth/current-user";
import { listRewards } from "@/lib/db/staff-reads";
import { getProgram } from "@/lib/services/program";

export async function generateMetadata() {
  return { title: (await getTranslations("admin.rewards"))("title") };
}

export default async function AdminRewardsPage({ searchParams }: { searchParams: Promise<{ saved?: string }> }) {
  await requirePermission("manageRewards");
  const program = await getProgram();
  const [t, common, format, rewards, { saved }] = await Promise.all([
    getTranslations("admin.rewards"),
    getTranslations("common"),
    getFormatter(),
    listRewards(program.id),
    searchParams,
  ]);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <h1 className="text-2xl font-bold">{t("title")}</h1>
          <p className="text-stone-700">{t("intro")}</p>
        </div>
        <Link href="/admin/rewards/new" className={buttonClass("primary")}>
          {t("new")}
        </Link>
      </div>
      {saved ? <Alert tone="success">{t("saved")}</Alert> : null}
      <DataTable
        columns={[
          { label: t("name") },
          { label: t("kind") },
          { label: t("cost"), align: "right" },
          { label: t("stock"), align: "right" },
          { label: t("redeemed"), align: "right" },
          { label: t("status") },
          { label: common("edit"), srOnly: true },
        ]}
      >
            {rewards.map((reward) => (
              <tr key={reward.id}>
                <td className="p-3 font-medium">{reward.name}</td>
                <td className="p-3">{t(`kinds.${reward.kind}`)}</td>
                <td className="p-3 text-right tabular-nums">{format.number(reward.costPoints)}</td>
                <td className="p-3 text-right tabular-nums">{reward.stock === null ? common("unlimited") : format.number(reward.stock)}</td>
                <td className="p-3 text-right tabular-nums">{format.number(reward._count.redemptions)}</td>
                <td className="p-3">
                  <Badge tone={reward.isActive ? "positive" : "neutral"}>{reward.isActive ? t("statusActive") : t("statusInactive")}</Badge>
                </td>
                <td className="p-3">
                  <Link href={`/admin/rewards/${reward.id}`} className="font-semibold text-brand-700 underline">
                    {common("edit")}<span className="sr-only"> {reward.name}</span>
                  </Link>
                </td>
              </tr>
            ))}
      </DataTable>
    </div>
  );
}
