import "server-only";
import type { Tx } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import { isRuleActive } from "@/lib/domain/earn-points";
import { eventTypes, limitPeriodStart, type ActionKind, type EventType } from "@/lib/domain/earn-rules";
import { loadEarningConfig, type ActionRuleDef, type EarningConfig } from "./earning-config";
import {
  creditPoints, extendLotsOnActivity, hashRequest, lockOrOpenMemberAccount, lotExpiry, openLedgerTransaction,
} from "./ledger-core";
import type { ProgramSettings } from "./program";
import { emitWebhookEvent } from "./webhook-events";

export type AwardResult =
  | { status: "awarded"; points: number; balance: number; transactionId: number }
  | { status: "replayed"; points: number; balance: number; transactionId: number }
  | { status: "skipped"; reason: "no_rule" | "inactive" | "limit_reached" | "zero_points" | "deactivated" };

/**
 * Awards an action rule (sign-up, birthday, profile, review, social, referral) to a member,
 * once per idempotency key and within the rule's per-member limit. The member's account is
 * locked first, so concurrent events can't both squeeze under the limit.
 */
export async function awardActionInTx(
  tx: Tx,
  args: {
    program: ProgramSettings;
    config?: EarningConfig;
    kind: ActionKind;
    customerId: number;
    /** unique per award, e.g. `review:<shop review id>`; a retry with the same key is a replay */
    key: string;
    source: string;
    at: Date;
    /** defaults to the rule's points; REFERRAL passes the referrer's share */
    points?: number;
    /** added to the points (a tier's birthday gift) */
    extraPoints?: number;
    note?: string | null;
    reason?: string;
    /** the order that earned it (referrals): a return or cancellation of that order can reverse it */
    orderId?: number | null;
    /** when the points can be spent; defaults to `at` (order-triggered bonuses wait for the order's return window) */
    availableAt?: Date;
    /** when the rule's window and per-period limit are judged; defaults to `at` (a held referral approved later counts when its order was placed) */
    ruleAt?: Date;
  },
): Promise<AwardResult> {
  const config = args.config ?? (await loadEarningConfig(tx, args.program.id));
  const rule: ActionRuleDef | undefined = config.actions[args.kind];
  if (!rule) return { status: "skipped", reason: "no_rule" };
  const ruleAt = args.ruleAt ?? args.at;
  if (!isRuleActive({ rule, at: ruleAt })) return { status: "skipped", reason: "inactive" };
  const points = (args.points ?? rule.config.points) + (args.extraPoints ?? 0);

  const accountId = (await lockOrOpenMemberAccount(tx, args.program.id, args.customerId)).id;
  const requestHash = hashRequest({ kind: args.kind, customerId: args.customerId, key: args.key });
  const previous = await tx.$queryRaw<{ id: number; requestHash: string; points: number; balanceAfter: number | null }[]>`
    SELECT "id", "requestHash", "points", "balanceAfter" FROM "LedgerTransaction"
    WHERE "programId" = ${args.program.id} AND "source" = ${args.source} AND "idempotencyKey" = ${args.key}`;
  if (previous.length > 0) {
    if (previous[0].requestHash !== requestHash) throw new AppError("IDEMPOTENCY_CONFLICT");
    return { status: "replayed", points: previous[0].points, balance: previous[0].balanceAfter ?? 0, transactionId: previous[0].id };
  }
  if (points <= 0) return { status: "skipped", reason: "zero_points" };
  // a deactivated member (fraud) earns nothing, whichever path pays: birthdays, challenges,
  // referrals (either side), actions (lib/services/member-status.ts)
  const [member] = await tx.$queryRaw<{ deactivatedAt: Date | null }[]>`SELECT "deactivatedAt" FROM "Customer" WHERE "id" = ${args.customerId}`;
  if (member?.deactivatedAt) return { status: "skipped", reason: "deactivated" };
  if (rule.config.limit !== null) {
    const since = limitPeriodStart(rule.config.period, ruleAt);
    const [{ used }] = await tx.$queryRaw<{ used: number }[]>`
      SELECT COUNT(*)::int AS "used" FROM "LedgerTransaction"
      WHERE "customerId" = ${args.customerId} AND "ruleId" = ${rule.id} AND "reason" = ${args.reason ?? args.kind.toLowerCase()}
        AND (${since}::timestamp IS NULL OR "createdAt" >= ${since}::timestamp)`;
    if (used >= rule.config.limit) return { status: "skipped", reason: "limit_reached" };
  }
  return creditBonusInTx(tx, {
    program: args.program, accountId, customerId: args.customerId, points, source: args.source, key: args.key, requestHash,
    reason: args.reason ?? args.kind.toLowerCase(), note: args.note ?? null, ruleId: rule.id, ruleVersion: rule.version, at: args.at,
    orderId: args.orderId ?? null, availableAt: args.availableAt,
  });
}

/**
 * Credits bonus points to a member whose account the caller has locked: one BONUS ledger
 * transaction (idempotent by source + key), activity extends the lots under an inactivity
 * policy, and a points.earned event goes out with the change.
 */
export async function creditBonusInTx(
  tx: Tx,
  args: {
    program: ProgramSettings; accountId: number; customerId: number; points: number; source: string; key: string; requestHash: string;
    reason: string; note: string | null; ruleId: number | null; ruleVersion: number | null; at: Date;
    /** the order that triggered the bonus, so its return or cancellation can find and reverse it */
    orderId?: number | null;
    /** when the points can be spent (default `at`): order-triggered bonuses pass the order's return window */
    availableAt?: Date;
  },
): Promise<Extract<AwardResult, { status: "awarded" | "replayed" }>> {
  const opened = await openLedgerTransaction(tx, {
    programId: args.program.id,
    kind: "BONUS",
    source: args.source,
    idempotencyKey: args.key,
    requestHash: args.requestHash,
    customerId: args.customerId,
    reason: args.reason,
    note: args.note,
    ruleId: args.ruleId,
    ruleVersion: args.ruleVersion,
    orderId: args.orderId ?? null,
    at: args.at,
  });
  if (opened.replay) return { status: "replayed", points: args.points, balance: opened.existing.balanceAfter ?? 0, transactionId: opened.existing.id };
  await extendLotsOnActivity(tx, args.program, args.accountId, args.at);
  const credit = await creditPoints(tx, {
    programId: args.program.id,
    accountId: args.accountId,
    transactionId: opened.id,
    points: args.points,
    availableAt: args.availableAt ?? args.at,
    expiresAt: lotExpiry(args.program, args.at),
    createdAt: args.at,
  });
  await emitWebhookEvent(tx, {
    programId: args.program.id,
    type: "points.earned",
    dedupeKey: `points.earned:${opened.id}`,
    payload: { transactionId: opened.id, customerId: args.customerId, points: args.points, reason: args.reason, balance: credit.balance },
    at: args.at,
  });
  return { status: "awarded", points: args.points, balance: credit.balance, transactionId: opened.id };
}

export type RecordEventInput = {
  program: ProgramSettings;
  member: { externalId: string } | { email: string };
  type: EventType;
  externalId: string;
  at?: Date;
};

/** POST /api/v1/events: a shop reports a member action (review, share, follow, profile). */
export async function recordEventInTx(tx: Tx, input: RecordEventInput): Promise<AwardResult> {
  const at = input.at ?? new Date();
  const where = "externalId" in input.member ? { externalId: input.member.externalId } : { email: input.member.email.toLowerCase() };
  const customer = await tx.customer.findFirst({ where: { programId: input.program.id, ...where }, select: { id: true, enrolledAt: true, deactivatedAt: true } });
  if (!customer) throw new AppError("MEMBER_NOT_FOUND");
  if (!customer.enrolledAt) throw new AppError("NOT_ENROLLED");
  if (customer.deactivatedAt) throw new AppError("MEMBER_DEACTIVATED");
  // every action counts towards challenges, whether or not its rule pays points this time
  await tx.$executeRaw`
    INSERT INTO "MemberEvent" ("programId", "customerId", "type", "externalId", "occurredAt")
    VALUES (${input.program.id}, ${customer.id}, ${input.type}, ${input.externalId}, ${at})
    ON CONFLICT ("programId", "type", "externalId") DO NOTHING`;
  return awardActionInTx(tx, {
    program: input.program,
    kind: eventTypes[input.type],
    customerId: customer.id,
    key: `${input.type}:${input.externalId}`,
    source: "event",
    at,
    note: input.externalId,
  });
}
