import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { RewardForm } from "@/components/admin/reward-form";
import { requirePermission } from "@/lib/auth/current-user";
import { toUtcInputValue } from "@/lib/domain/dates";
import { getReward } from "@/lib/db/staff-reads";
import { Card } from "@/components/ui/card";
import { prisma } from "@/lib/db/prisma";
import { getVoucherPool } from "@/lib/services/import-vouchers";
import { getProgram } from "@/lib/services/program";
import { VoucherImportForm } from "./voucher-import-form";

export default async function EditRewardPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePermission("manageRewards");
  const id = Number((await params).id);
  if (!Number.isInteger(id) || id <= 0 || id > 2_147_483_647) notFound();
  const program = await getProgram();
  const [t, reward, tiers, pool] = await Promise.all([
    getTranslations("admin.rewards"),
    getReward(program.id, id),
    prisma.tier.findMany({ where: { programId: program.id }, orderBy: { rank: "asc" }, select: { id: true, name: true } }),
    getVoucherPool(program.id, id),
  ]);
  if (!reward) notFound();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t("editTitle")}</h1>
      <RewardForm
        currency={program.currency}
        tiers={tiers}
        initial={{
          id: reward.id,
          name: reward.name,
          description: reward.description,
          kind: reward.kind,
          costPoints: String(reward.costPoints),
          value: reward.valueCents ? String(reward.valueCents / 100) : "",
          percentOff: reward.percentOff ? String(reward.percentOff) : "",
          sku: reward.sku ?? "",
          stock: reward.stock === null ? "" : String(reward.stock),
          startsAt: toUtcInputValue(reward.startsAt),
          endsAt: toUtcInputValue(reward.endsAt),
          isActive: reward.isActive,
          tierIds: reward.tierIds,
          categories: reward.categories.join(", "),
          perMemberLimit: reward.perMemberLimit === null ? "" : String(reward.perMemberLimit),
        }}
      />
      {reward.kind === "VOUCHER" ? (
        <Card className="max-w-2xl space-y-2">
          <h2 className="text-lg font-semibold">{t("voucherPool")}</h2>
          <p className="text-sm text-stone-700" data-testid="voucher-pool">{t("voucherPoolCount", { total: pool.total, free: pool.free })}</p>
          <p className="text-sm text-stone-700">{t("voucherPoolHelp")}</p>
          <VoucherImportForm rewardId={reward.id} />
        </Card>
      ) : null}
    </div>
  );
}
