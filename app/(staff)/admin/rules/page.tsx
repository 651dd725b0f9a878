import { getFormatter, getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { requirePermission } from "@/lib/auth/current-user";
import { toUtcInputValue } from "@/lib/domain/dates";
import { getEarnRuleWithTiers } from "@/lib/db/staff-reads";
import { getProgram } from "@/lib/services/program";
import { EarnRuleForm } from "./earn-rule-form";

export async function generateMetadata() {
  return { title: (await getTranslations("admin.nav"))("rules") };
}

export default async function RulesPage() {
  await requirePermission("manageRules");
  const program = await getProgram();
  const [t, format, { rule, tiers }] = await Promise.all([getTranslations("admin.rules"), getFormatter(), getEarnRuleWithTiers(program.id)]);
  const multipliers = (rule?.tierMultipliers ?? {}) as Record<string, number>;
  const money = (cents: number) => format.number(cents / 100, { style: "currency", currency: program.currency, maximumFractionDigits: 0 });
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <p className="max-w-3xl text-stone-700">{t("intro")}</p>
      {rule ? <p className="text-sm text-stone-600">{t("version", { version: rule.version, date: format.dateTime(rule.updatedAt, { dateStyle: "medium", timeStyle: "short" }) })}</p> : null}
      <Card>
        <EarnRuleForm
          currency={program.currency}
          tiers={tiers.map((tier) => ({ id: tier.id, name: tier.name, threshold: t("tierThreshold", { amount: money(tier.minSpendCents) }) }))}
          initial={{
            pointsPerUnit: String((rule?.pointsPerUnitHundredths ?? 100) / 100),
            multipliers: Object.fromEntries(tiers.map((tier) => [String(tier.id), String((multipliers[String(tier.id)] ?? 10_000) / 10_000)])),
            startsAt: toUtcInputValue(rule?.startsAt ?? null),
            endsAt: toUtcInputValue(rule?.endsAt ?? null),
            isActive: rule?.isActive ?? true,
          }}
        />
      </Card>
    </div>
  );
}
