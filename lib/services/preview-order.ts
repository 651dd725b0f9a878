import "server-only";
import { prisma } from "@/lib/db/prisma";
import { calculateOrderEarning } from "@/lib/domain/earn-points";
import type { PreviewOrderInput } from "@/lib/validations/console";
import { loadEarningConfig } from "./earning-config";

export type OrderPreview = {
  total: number;
  base: { points: number; ruleVersion: number | null };
  promotions: { name: string; version: number; points: number }[];
  linePoints: number[];
  notes: string[];
  caps: { perDay: number | null; perMonth: number | null };
};

/** Runs the earning maths on a sample order with the saved rules; writes nothing. */
export async function previewOrderEarning({ programId, input }: { programId: number; input: PreviewOrderInput }): Promise<OrderPreview> {
  const config = await prisma.$transaction((tx) => loadEarningConfig(tx, programId));
  const tierId = input.tierId && config.tiers.some((tier) => tier.id === input.tierId) ? input.tierId : null;
  // a sample order has no member: promotions limited to member attributes count as if the member qualified
  const result = calculateOrderEarning({
    rule: config.rule,
    promotions: config.promotions,
    tierId,
    earlyAccessHours: config.tiers.find((tier) => tier.id === tierId)?.earlyAccessHours ?? 0,
    lines: input.lines.map((line) => ({ sku: line.sku, category: line.category || null, quantity: line.quantity, unitPriceCents: Math.round(line.unitPrice * 100) })),
    at: input.placedAt ?? new Date(),
  });
  return {
    total: result.total,
    base: { points: result.base.points, ruleVersion: config.rule?.version ?? null },
    promotions: result.promotions.map((part) => ({ name: config.promotions.find((promo) => promo.id === part.ruleId)?.name ?? "", version: part.version, points: part.points })),
    linePoints: result.linePoints,
    notes: result.notes,
    caps: { perDay: config.rule?.config?.capPerMemberDay ?? null, perMonth: config.rule?.config?.capPerMemberMonth ?? null },
  };
}
