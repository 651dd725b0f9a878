import "server-only";
import type { Prisma } from "./generated/client";
import { AppError } from "@/lib/domain/app-error";
import { encodeCursor, type Keyset } from "@/lib/api/page-cursor";
import { redemptionState } from "@/lib/services/redemption-status";
import { prisma } from "./prisma";

// Reward codes as the REST API shows them: GET /redemptions/{code} (look a code up without
// using it) and GET /members/{externalId}/redemptions (the member's codes, newest first).

const redemptionSelect = {
  id: true,
  code: true,
  status: true,
  pointsSpent: true,
  createdAt: true,
  expiresAt: true,
  usedAt: true,
  cancelledAt: true,
  customer: { select: { externalId: true } },
  reward: { select: { id: true, name: true, kind: true } },
} satisfies Prisma.RedemptionSelect;

type RedemptionRow = Prisma.RedemptionGetPayload<{ select: typeof redemptionSelect }>;

async function voucherCodesOf(redemptionIds: number[]): Promise<Map<number, string>> {
  if (redemptionIds.length === 0) return new Map();
  const vouchers = await prisma.rewardVoucher.findMany({ where: { redemptionId: { in: redemptionIds } }, select: { redemptionId: true, code: true } });
  return new Map(vouchers.map((voucher) => [voucher.redemptionId!, voucher.code]));
}

function redemptionJson(row: RedemptionRow, voucherCode: string | null, at: Date) {
  return {
    id: row.id,
    code: row.code,
    status: redemptionState(row, at),
    memberExternalId: row.customer.externalId,
    reward: row.reward,
    pointsSpent: row.pointsSpent,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    usedAt: row.usedAt,
    cancelledAt: row.cancelledAt,
    voucherCode,
  };
}

/** A reward code of the program, read-only (status derived: an unused code past expiresAt is EXPIRED). */
export async function getRedemptionByCode(programId: number, code: string, at = new Date()) {
  const row = await prisma.redemption.findFirst({ where: { code, customer: { programId } }, select: redemptionSelect });
  if (!row) throw new AppError("NOT_FOUND", "no redemption with this code");
  const vouchers = await voucherCodesOf([row.id]);
  return redemptionJson(row, vouchers.get(row.id) ?? null, at);
}

/** The member's reward codes, newest first; keyset pages on (createdAt, id). */
export async function getMemberRedemptionsPage(customerId: number, { limit, after }: { limit: number; after: Keyset | undefined }, at = new Date()) {
  const rows = await prisma.redemption.findMany({
    where: {
      customerId,
      ...(after?.at ? { OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] } : {}),
    },
    select: redemptionSelect,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const vouchers = await voucherCodesOf(page.map((row) => row.id));
  const last = page[page.length - 1];
  return {
    redemptions: page.map((row) => redemptionJson(row, vouchers.get(row.id) ?? null, at)),
    nextCursor: rows.length > limit ? encodeCursor("redemptions", { id: last.id, at: last.createdAt }) : null,
  };
}
