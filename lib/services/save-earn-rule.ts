import "server-only";
import type { Prisma } from "@/lib/db/generated/client";
import { prisma, type Tx } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import { defaultActionConfig, type ActionKind } from "@/lib/domain/earn-rules";
import type { SaveActionRuleInput, SaveEarnRuleInput, SavePromotionInput } from "@/lib/validations/console";
import { writeAudit } from "./audit";
import { invalidateEarningConfig } from "./earning-config";

// Every save writes a new version and a snapshot of it. Ledger rows keep (rule, version),
// so a change applies to the next order and never rewrites history.

type RuleData = {
  name?: string;
  pointsPerUnitHundredths?: number;
  tierMultipliers?: Record<string, number>;
  config: Prisma.InputJsonObject;
  totalCapPoints?: number | null;
  startsAt?: Date | null;
  endsAt?: Date | null;
  isActive: boolean;
};

const actionNames: Record<ActionKind, string> = {
  SIGNUP: "Sign-up bonus",
  BIRTHDAY: "Birthday bonus",
  PROFILE: "Complete your profile",
  REVIEW: "Write a review",
  SOCIAL_SHARE: "Share on social media",
  SOCIAL_FOLLOW: "Follow us",
  REFERRAL: "Refer a friend",
};

export async function writeVersion(tx: Tx, ruleId: number, actorUserId: number, action: string) {
  const rule = await tx.earnRule.findUniqueOrThrow({ where: { id: ruleId } });
  const { id: _id, programId: _programId, createdAt: _createdAt, updatedAt: _updatedAt, version, ...snapshot } = rule;
  const data = JSON.parse(JSON.stringify(snapshot));
  await tx.earnRuleVersion.create({ data: { ruleId, version, snapshot: data, actorUserId } });
  await writeAudit(tx, { actorUserId, action, targetType: "earn_rule", targetId: ruleId, data: { ...data, version } });
  return { id: ruleId, version };
}

/** Saves the single rule of a kind (SPEND or an action), creating it on first save. */
async function saveSingleRule(programId: number, actorUserId: number, kind: string, name: string, data: RuleData) {
  const saved = await prisma.$transaction(async (tx) => {
    // Serialise concurrent saves of the same kind on the program row.
    await tx.$queryRaw`SELECT "id" FROM "Program" WHERE "id" = ${programId} FOR UPDATE`;
    const existing = await tx.earnRule.findFirst({ where: { programId, kind }, select: { id: true } });
    const rule = existing
      ? await tx.earnRule.update({ where: { id: existing.id }, data: { ...data, version: { increment: 1 } }, select: { id: true } })
      : await tx.earnRule.create({ data: { programId, kind, name, ...data }, select: { id: true } });
    return writeVersion(tx, rule.id, actorUserId, "earn_rule.updated");
  });
  invalidateEarningConfig(programId);
  return saved;
}

export async function saveEarnRule({ programId, actorUserId, input }: { programId: number; actorUserId: number; input: SaveEarnRuleInput }) {
  const tierIds = new Set((await prisma.tier.findMany({ where: { programId }, select: { id: true } })).map((tier) => String(tier.id)));
  const tierMultipliers = Object.fromEntries(
    Object.entries(input.tierMultipliers)
      .filter(([tierId]) => tierIds.has(tierId))
      .map(([tierId, multiplier]) => [tierId, Math.round(multiplier * 10_000)]),
  );
  return saveSingleRule(programId, actorUserId, "SPEND", "Points on spend", {
    pointsPerUnitHundredths: Math.round(input.pointsPerUnit * 100),
    tierMultipliers,
    config: {
      rounding: input.rounding,
      minOrderCents: Math.round(input.minOrder * 100),
      excludedCategories: [...new Set(input.excludedCategories)],
      excludedSkus: [...new Set(input.excludedSkus)],
      categoryMultipliers: Object.fromEntries(Object.entries(input.categoryMultipliers).map(([category, value]) => [category, Math.round(value * 10_000)])),
      capPerMemberDay: input.capPerMemberDay,
      capPerMemberMonth: input.capPerMemberMonth,
    },
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    isActive: input.isActive,
  });
}

export async function saveActionRule({ programId, actorUserId, input }: { programId: number; actorUserId: number; input: SaveActionRuleInput }) {
  const defaults = defaultActionConfig[input.kind];
  return saveSingleRule(programId, actorUserId, input.kind, actionNames[input.kind], {
    config: { ...defaults, points: input.points, referrerPoints: input.kind === "REFERRAL" ? input.referrerPoints : 0, limit: input.limit, period: input.period },
    isActive: input.isActive,
  });
}

export async function savePromotion({ programId, actorUserId, input }: { programId: number; actorUserId: number; input: SavePromotionInput }) {
  const tierIds = new Set((await prisma.tier.findMany({ where: { programId }, select: { id: true } })).map((tier) => tier.id));
  const bad = input.tierIds.find((id) => !tierIds.has(id));
  if (bad !== undefined) throw new AppError("VALIDATION", `tier ${bad} is not in this program`);
  const data: RuleData = {
    name: input.name,
    config: { multiplierBps: Math.round(input.multiplier * 10_000), categories: [...new Set(input.categories)], tierIds: [...new Set(input.tierIds)] },
    totalCapPoints: input.totalCapPoints,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    isActive: input.isActive,
  };
  const saved = await prisma.$transaction(async (tx) => {
    if (input.id) {
      const offer = await tx.offer.findFirst({ where: { earnRuleId: input.id }, select: { id: true } });
      if (offer) throw new AppError("VALIDATION", "this promotion belongs to an offer: edit it on the offers page");
      const updated = await tx.earnRule.updateMany({ where: { id: input.id, programId, kind: "MULTIPLIER" }, data: { ...data, version: { increment: 1 } } });
      if (updated.count === 0) throw new AppError("NOT_FOUND", "promotion not found");
      return writeVersion(tx, input.id, actorUserId, "promotion.updated");
    }
    const created = await tx.earnRule.create({ data: { programId, kind: "MULTIPLIER", name: input.name, ...data }, select: { id: true } });
    return writeVersion(tx, created.id, actorUserId, "promotion.created");
  });
  invalidateEarningConfig(programId);
  return saved;
}
