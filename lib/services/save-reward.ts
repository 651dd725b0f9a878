import "server-only";
import { prisma } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import type { SaveRewardInput } from "@/lib/validations/console";
import { writeAudit } from "./audit";

/** Creates or updates a reward of the caller's program; audit-logged. */
export async function saveReward({ programId, actorUserId, input }: { programId: number; actorUserId: number; input: SaveRewardInput }) {
  const data = {
    name: input.name,
    description: input.description,
    kind: input.kind,
    costPoints: input.costPoints,
    valueCents: input.kind === "FIXED_DISCOUNT" || input.kind === "CASHBACK" || input.kind === "VOUCHER" ? (input.valueCents ?? null) : null,
    percentOff: input.kind === "PERCENT_DISCOUNT" ? (input.percentOff ?? null) : null,
    sku: input.kind === "FREE_PRODUCT" ? (input.sku ?? null) : null,
    stock: input.stock ?? null,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    isActive: input.isActive,
    tierIds: [...new Set(input.tierIds)],
    categories: [...new Set(input.categories)],
    perMemberLimit: input.perMemberLimit ?? null,
  };
  return prisma.$transaction(async (tx) => {
    if (data.tierIds.length > 0 && (await tx.tier.count({ where: { programId, id: { in: data.tierIds } } })) !== data.tierIds.length) {
      throw new AppError("NOT_FOUND", "tier not found");
    }
    let id: number;
    if (input.id) {
      const updated = await tx.reward.updateMany({ where: { id: input.id, programId }, data });
      if (updated.count === 0) throw new AppError("REWARD_NOT_FOUND");
      id = input.id;
    } else {
      id = (await tx.reward.create({ data: { ...data, programId }, select: { id: true } })).id;
    }
    await writeAudit(tx, { actorUserId, action: input.id ? "reward.updated" : "reward.created", targetType: "reward", targetId: id, data });
    return { id };
  });
}
