import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { requirePermission } from "@/lib/auth/current-user";
import { toUtcInputValue } from "@/lib/domain/dates";
import { actionKinds, multiplierConfigSchema, parseActionConfig, parseSpendConfig } from "@/lib/domain/earn-rules";
import { getRulesPage } from "@/lib/db/staff-reads";
import { getProgram } from "@/lib/services/program";
import { ActionRuleForm } from "./action-rule-form";
import { EarnRuleForm } from "./earn-rule-form";
import { PreviewForm } from "./preview-form";
import { PromotionForm } from "./promotion-form";
import { PromotionList, type PromotionRow } from "./promotion-list";

export async function generateMetadata() {
  return { title: (await getTranslations("admin.nav"))("rules") };
}

export default async function RulesPage() {
  await requirePermission("manageRules");
  const program = await getProgram();
  const [t, common, format, { rules, tiers, issuedByRule, versions }] = await Promise.all([
    getTranslations("admin.rules"),
    getTranslations("common"),
    getFormatter(),
    getRulesPage(program.id),
  ]);
  const money = (cents: number) => format.number(cents / 100, { style: "currency", currency: program.currency, maximumFractionDigits: 0 });
  const date = (value: Date | null) => (value ? format.dateTime(value, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) : "…");
  const spend = rules.find((rule) => rule.kind === "SPEND");
  const spendConfig = parseSpendConfig(spend?.config);
  const multipliers = (spend?.tierMultipliers ?? {}) as Record<string, number>;
  const now = new Date();
  const promotions: PromotionRow[] = rules
    .filter((rule) => rule.kind === "MULTIPLIER")
    .map((rule) => {
      const config = multiplierConfigSchema.parse(rule.config);
      const used = issuedByRule.get(rule.id) ?? 0;
      const status = !rule.isActive ? "paused" : rule.endsAt && rule.endsAt <= now ? "ended" : rule.startsAt && rule.startsAt > now ? "scheduled" : "active";
      const tierNames = tiers.filter((tier) => config.tierIds.includes(tier.id)).map((tier) => tier.name);
      return {
        id: rule.id,
        name: rule.name,
        multiplier: String(config.multiplierBps / 10_000),
        categories: config.categories.join(", "),
        tierIds: config.tierIds,
        totalCapPoints: rule.totalCapPoints === null ? "" : String(rule.totalCapPoints),
        startsAt: toUtcInputValue(rule.startsAt),
        endsAt: toUtcInputValue(rule.endsAt),
        isActive: rule.isActive,
        status,
        summary: `×${config.multiplierBps / 10_000} · ${config.categories.length ? config.categories.join(", ") : t("categoriesHint")} · ${tierNames.length ? tierNames.join(", ") : t("allTiers")}`,
        usage: rule.totalCapPoints === null ? t("usedNoCap", { used }) : t("used", { used, cap: rule.totalCapPoints }),
        window: t("window", { from: date(rule.startsAt), until: date(rule.endsAt) }),
      };
    });
  const tierOptions = tiers.map((tier) => ({ id: tier.id, name: tier.name }));
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="max-w-3xl text-stone-700">{t("intro")}</p>
      </div>

      <section aria-labelledby="spend-title" className="space-y-2">
        <h2 id="spend-title" className="text-xl font-semibold">{t("spendTitle")}</h2>
        {spend ? <p className="text-sm text-stone-600">{t("version", { version: spend.version, date: date(spend.updatedAt) })}</p> : null}
        <Card>
          <EarnRuleForm
            currency={program.currency}
            tiers={tiers.map((tier) => ({ id: tier.id, name: tier.name, threshold: t("tierThreshold", { amount: money(tier.minSpendCents) }) }))}
            initial={{
              pointsPerUnit: String((spend?.pointsPerUnitHundredths ?? 100) / 100),
              multipliers: Object.fromEntries(tiers.map((tier) => [String(tier.id), String((multipliers[String(tier.id)] ?? 10_000) / 10_000)])),
              rounding: spendConfig.rounding,
              minOrder: String(spendConfig.minOrderCents / 100),
              excludedCategories: spendConfig.excludedCategories.join(", "),
              excludedSkus: spendConfig.excludedSkus.join(", "),
              categoryMultipliers: Object.entries(spendConfig.categoryMultipliers).map(([category, bps]) => `${category}=${bps / 10_000}`).join(", "),
              capPerMemberDay: spendConfig.capPerMemberDay === null ? "" : String(spendConfig.capPerMemberDay),
              capPerMemberMonth: spendConfig.capPerMemberMonth === null ? "" : String(spendConfig.capPerMemberMonth),
              startsAt: toUtcInputValue(spend?.startsAt ?? null),
              endsAt: toUtcInputValue(spend?.endsAt ?? null),
              isActive: spend?.isActive ?? true,
            }}
          />
        </Card>
      </section>

      <section aria-labelledby="preview-title" className="space-y-2">
        <h2 id="preview-title" className="text-xl font-semibold">{t("previewTitle")}</h2>
        <p className="max-w-3xl text-stone-700">{t("previewIntro")}</p>
        <Card>
          <PreviewForm tiers={tierOptions} currency={program.currency} defaultDate={toUtcInputValue(now)} />
        </Card>
      </section>

      <section aria-labelledby="actions-title" className="space-y-2">
        <h2 id="actions-title" className="text-xl font-semibold">{t("actionsTitle")}</h2>
        <p className="max-w-3xl text-stone-700">{t("actionsIntro")}</p>
        <Card>
          {actionKinds.map((kind) => {
            const rule = rules.find((candidate) => candidate.kind === kind);
            const config = parseActionConfig(kind, rule?.config);
            return (
              <ActionRuleForm
                key={kind}
                kind={kind}
                version={rule?.version ?? null}
                initial={{
                  points: String(rule ? config.points : 0),
                  referrerPoints: String(config.referrerPoints),
                  limit: config.limit === null ? "" : String(config.limit),
                  period: config.period,
                  isActive: rule?.isActive ?? false,
                }}
              />
            );
          })}
        </Card>
      </section>

      <section aria-labelledby="promotions-title" className="space-y-2">
        <h2 id="promotions-title" className="text-xl font-semibold">{t("promotionsTitle")}</h2>
        <p className="max-w-3xl text-stone-700">{t("promotionsIntro")}</p>
        <p className="max-w-3xl text-sm text-stone-600">{t("promotionsOffersHint")} <Link href="/admin/offers" className="font-semibold text-brand-800 underline">{t("goToOffers")}</Link></p>
        <Card>
          {promotions.length > 0 ? <PromotionList promotions={promotions} tiers={tierOptions} /> : null}
          <h3 className="mt-4 font-semibold">{t("newPromotion")}</h3>
          <PromotionForm
            tiers={tierOptions}
            initial={{ name: "", multiplier: "2", categories: "", tierIds: [], totalCapPoints: "", startsAt: toUtcInputValue(now), endsAt: toUtcInputValue(new Date(now.getTime() + 3 * 86_400_000)), isActive: true }}
          />
        </Card>
      </section>

      <section aria-labelledby="history-title" className="space-y-2">
        <h2 id="history-title" className="text-xl font-semibold">{t("historyTitle")}</h2>
        <DataTable columns={[{ label: t("historyRule") }, { label: t("historyVersion"), align: "right" }, { label: t("historyBy") }, { label: t("historyWhen") }]}>
          {versions.map((version) => (
            <tr key={version.id}>
              <td className="p-3">{version.ruleName}</td>
              <td className="p-3 text-right tabular-nums">{version.version}</td>
              <td className="p-3">{version.actor ?? common("none")}</td>
              <td className="p-3">{date(version.createdAt)}</td>
            </tr>
          ))}
        </DataTable>
      </section>
    </div>
  );
}
