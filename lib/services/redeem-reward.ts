import "server-only";
import { randomInt } from "node:crypto";
import { prisma, type Tx } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import {
  TX_OPTIONS, addDays, debitPoints, extendLotsOnActivity, ensureSystemAccounts, finishLedgerTransaction, hashRequest, lockLots, lockMemberAccount,
  openLedgerTransaction,
} from "./ledger-core";
import { emitWebhookEvent } from "./webhook-events";

const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const REDEMPTION_VALID_DAYS = 90;

export function generateRewardCode(): string {
  const part = () => Array.from({ length: 4 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");
  return `HRTH-${part()}-${part()}-${part()}`;
}

export type RedeemInput = {
  programId: number;
  customerId: number;
  rewardId: number;
  /** the caller's retry key: a double click or a retried request redeems once */
  idempotencyKey: string;
  source: "portal" | "api" | "demo";
  at?: Date;
};

export type RedeemResult = {
  redemptionId: number;
  code: string;
  pointsSpent: number;
  balance: number;
  rewardName: string;
  expiresAt: Date | null;
};

/**
 * Spends points on a reward: checks the reward, locks the member's account, consumes lots
 * soonest-expiry first, takes one unit of stock and issues a unique code, all in one
 * transaction. Not enough points, no stock or an inactive reward changes nothing.
 */
export async function redeemRewardInTx(tx: Tx, input: RedeemInput): Promise<RedeemResult> {
  const at = input.at ?? new Date();
  const reward = await tx.reward.findFirst({
    where: { id: input.rewardId, programId: input.programId },
    select: { id: true, name: true, costPoints: true, isActive: true, startsAt: true, endsAt: true, stock: true },
  });
  if (!reward) throw new AppError("REWARD_NOT_FOUND");
  const customer = await tx.customer.findFirst({
    where: { id: input.customerId, programId: input.programId },
    select: { id: true, enrolledAt: true },
  });
  if (!customer) throw new AppError("MEMBER_NOT_FOUND");
  if (!customer.enrolledAt) throw new AppError("NOT_ENROLLED");

  const opened = await openLedgerTransaction(tx, {
    programId: input.programId,
    kind: "REDEEM",
    source: `redemption:${input.source}`,
    // scoped to the member, so one member's key can never collide with another's
    idempotencyKey: `${input.customerId}:${input.idempotencyKey}`,
    requestHash: hashRequest({ customerId: input.customerId, rewardId: input.rewardId }),
    customerId: input.customerId,
    reason: "reward",
    note: reward.name,
    rewardId: reward.id,
    at,
  });
  if (opened.replay) {
    const previous = await tx.redemption.findUniqueOrThrow({
      where: { transactionId: opened.existing.id },
      select: { id: true, code: true, pointsSpent: true, expiresAt: true },
    });
    return { redemptionId: previous.id, code: previous.code, pointsSpent: previous.pointsSpent, balance: opened.existing.balanceAfter ?? 0, rewardName: reward.name, expiresAt: previous.expiresAt };
  }

  const isInWindow = (!reward.startsAt || reward.startsAt <= at) && (!reward.endsAt || reward.endsAt > at);
  if (!reward.isActive || !isInWindow) throw new AppError("REWARD_INACTIVE");

  const account = await lockMemberAccount(tx, input.customerId);
  if (!account) throw new AppError("INSUFFICIENT_POINTS");
  const lots = await lockLots(tx, { accountId: account.id, filter: "spendable", at });
  const available = lots.reduce((sum, lot) => sum + lot.remaining, 0);
  if (available < reward.costPoints) throw new AppError("INSUFFICIENT_POINTS");

  if (reward.stock !== null) {
    const taken = await tx.$executeRaw`
      UPDATE "Reward" SET "stock" = "stock" - 1 WHERE "id" = ${reward.id} AND "stock" > 0`;
    if (taken === 0) throw new AppError("REWARD_OUT_OF_STOCK");
  }

  const system = await ensureSystemAccounts(tx, input.programId);
  const balance = await debitPoints(tx, {
    accountId: account.id,
    transactionId: opened.id,
    amount: reward.costPoints,
    lots,
    to: system.REDEEMED,
  });
  const expiresAt = addDays(at, REDEMPTION_VALID_DAYS);
  const redemption = await tx.redemption.create({
    data: {
      customerId: input.customerId,
      rewardId: reward.id,
      transactionId: opened.id,
      code: generateRewardCode(),
      pointsSpent: reward.costPoints,
      createdAt: at,
      expiresAt,
    },
    select: { id: true, code: true },
  });
  await finishLedgerTransaction(tx, opened.id, balance);
  const program = await tx.program.findUniqueOrThrow({ where: { id: input.programId }, select: { expiryPolicy: true, expiryMonths: true } });
  await extendLotsOnActivity(tx, program, account.id, at);
  await emitWebhookEvent(tx, {
    programId: input.programId,
    type: "reward.redeemed",
    dedupeKey: `reward.redeemed:${redemption.id}`,
    payload: { customerId: input.customerId, redemptionId: redemption.id, rewardId: reward.id, reward: reward.name, code: redemption.code, pointsSpent: reward.costPoints, balance, expiresAt: expiresAt.toISOString() },
    at,
  });
  return { redemptionId: redemption.id, code: redemption.code, pointsSpent: reward.costPoints, balance, rewardName: reward.name, expiresAt };
}

export function redeemReward(input: RedeemInput) {
  return prisma.$transaction((tx) => redeemRewardInTx(tx, input), TX_OPTIONS);
}
