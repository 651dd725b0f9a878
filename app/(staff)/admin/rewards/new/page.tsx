import { getTranslations } from "next-intl/server";
import { RewardForm } from "@/components/admin/reward-form";
import { requirePermission } from "@/lib/auth/current-user";
import { prisma } from "@/lib/db/prisma";
import { getProgram } from "@/lib/services/program";

export default async function NewRewardPage() {
  await requirePermission("manageRewards");
  const [t, program] = await Promise.all([getTranslations("admin.rewards"), getProgram()]);
  const tiers = await prisma.tier.findMany({ where: { programId: program.id }, orderBy: { rank: "asc" }, select: { id: true, name: true } });
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t("newTitle")}</h1>
      <RewardForm
        currency={program.currency}
        tiers={tiers}
        initial={{ name: "", description: "", kind: "FIXED_DISCOUNT", costPoints: "500", value: "5", percentOff: "", sku: "", stock: "", startsAt: "", endsAt: "", isActive: true, tierIds: [], categories: "", perMemberLimit: "" }}
      />
    </div>
  );
}
