import "server-only";
import { isChallengeOpen } from "@/lib/domain/challenges";
import { isRuleActive } from "@/lib/domain/earn-points";
import { hasAttributeConditions } from "@/lib/domain/offers";
import { actionKinds, multiplierConfigSchema, parseActionConfig, parseSpendConfig, type ActionKind, type ActionConfig } from "@/lib/domain/earn-rules";
import { loadTierSetup } from "@/lib/services/tiers";
import { getRewardsCatalog } from "./member-reads";
import { prisma } from "./prisma";

export type PublicProgram = Awaited<ReturnType<typeof getPublicProgram>>;

/**
 * Everything the public program page states, read from the live configuration, so the page
 * can never disagree with what the engine does.
 */
export async function getPublicProgram(programId: number, at = new Date()) {
  const [rules, { tiers, policy: tierPolicy }, rewards, challengeRows] = await Promise.all([
    prisma.earnRule.findMany({ where: { programId }, orderBy: { id: "asc" } }),
    loadTierSetup(prisma, programId),
    getRewardsCatalog(programId, at),
    prisma.challenge.findMany({ where: { programId, isActive: true }, orderBy: { id: "asc" } }),
  ]);
  const spendRule = rules.find((rule) => rule.kind === "SPEND" && isRuleActive({ rule, at })) ?? null;
  const spend = spendRule
    ? {
        pointsPerUnit: spendRule.pointsPerUnitHundredths / 100,
        config: parseSpendConfig(spendRule.config),
        tierMultipliers: spendRule.tierMultipliers as Record<string, number>,
      }
    : null;
  const actions: { kind: ActionKind; config: ActionConfig }[] = [];
  for (const kind of actionKinds) {
    const rule = rules.find((candidate) => candidate.kind === kind);
    if (!rule || !isRuleActive({ rule, at })) continue;
    const config = parseActionConfig(kind, rule.config);
    if (config.points > 0 || config.referrerPoints > 0) actions.push({ kind, config });
  }
  const promotions = rules
    .filter((rule) => rule.kind === "MULTIPLIER" && rule.isActive && (!rule.endsAt || rule.endsAt > at))
    .flatMap((rule) => {
      const parsed = multiplierConfigSchema.safeParse(rule.config);
      if (!parsed.success) return [];
      // offers for some members only (tiers or member attributes) are shown as such
      const targeted = parsed.data.tierIds.length > 0 || (parsed.data.audience !== undefined && hasAttributeConditions(parsed.data.audience));
      return [{ id: rule.id, name: rule.name, startsAt: rule.startsAt, endsAt: rule.endsAt, targeted, ...parsed.data }];
    });
  const challenges = challengeRows.filter((challenge) => isChallengeOpen(challenge, at));
  return {
    spend,
    actions,
    promotions,
    challenges,
    tierPolicy,
    tiers: tiers.map((tier) => ({
      ...tier,
      multiplierBps: spend?.tierMultipliers[String(tier.id)] ?? 10_000,
      exclusiveRewards: rewards.filter((reward) => reward.tierIds.includes(tier.id)).length,
    })),
    rewards,
  };
}
