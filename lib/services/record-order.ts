import "server-only";
import { prisma, type Tx } from "@/lib/db/prisma";
import { AppError } from "@/lib/domain/app-error";
import { calculateOrderPoints, type SpendRule } from "@/lib/domain/earn-points";
import { resolveTier, type TierDef } from "@/lib/domain/tiers";
import {
  TX_OPTIONS, addDays, addMonths, creditPoints, ensureMemberAccount, finishLedgerTransaction, hashRequest, openLedgerTransaction,
} from "./ledger-core";
import type { ProgramSettings } from "./program";

export type OrderLineInput = { sku: string; category?: string | null; quantity: number; unitPriceCents: number };

export type RecordOrderInput = {
  program: ProgramSettings;
  externalId: string;
  member: { externalId: string } | { email: string };
  currency: string;
  totalCents: number;
  placedAt: Date;
  lines: OrderLineInput[];
};

export type RecordOrderResult = { orderId: number; pointsEarned: number; pointsPending: number; tier: string | null };

type CustomerRow = { id: number; enrolledAt: Date | null; tierId: number | null };

async function findCustomer(tx: Tx, programId: number, member: RecordOrderInput["member"]): Promise<CustomerRow> {
  const where = "externalId" in member ? { programId, externalId: member.externalId } : { programId, email: member.email.toLowerCase() };
  const customer = await tx.customer.findFirst({ where, select: { id: true, enrolledAt: true, tierId: true } });
  if (!customer) throw new AppError("MEMBER_NOT_FOUND");
  return customer;
}

async function loadEarningConfig(tx: Tx, programId: number) {
  const [rule, tiers] = await Promise.all([
    tx.earnRule.findUnique({
      where: { programId_kind: { programId, kind: "SPEND" } },
      select: { id: true, version: true, pointsPerUnitHundredths: true, tierMultipliers: true, isActive: true, startsAt: true, endsAt: true },
    }),
    tx.tier.findMany({ where: { programId }, select: { id: true, name: true, rank: true, minSpendCents: true }, orderBy: { rank: "asc" } }),
  ]);
  return { rule, tiers };
}

/** Net spend in the 12 months up to `at`, which decides the tier. */
async function trailingSpendCents(tx: Tx, customerId: number, at: Date): Promise<number> {
  const rows = await tx.$queryRaw<{ spend: number }[]>`
    SELECT COALESCE(SUM("totalCents" - "returnedCents"), 0)::int AS "spend" FROM "Order"
    WHERE "customerId" = ${customerId} AND "placedAt" > ${addMonths(at, -12)} AND "placedAt" <= ${at}`;
  return rows[0].spend;
}

/**
 * Records a shop order and, for members, awards its points through the ledger in the same
 * transaction. The earning rule and tiers are read fresh, so a console change applies to the
 * next order; the ledger row records the rule version that produced it.
 */
export async function recordOrderInTx(tx: Tx, input: RecordOrderInput): Promise<RecordOrderResult> {
  const { program } = input;
  const customer = await findCustomer(tx, program.id, input.member);
  const isMember = customer.enrolledAt !== null;
  const inserted = await tx.$queryRaw<{ id: number }[]>`
    INSERT INTO "Order" ("programId", "externalId", "customerId", "currency", "totalCents", "placedAt", "isMemberOrder", "createdAt")
    VALUES (${program.id}, ${input.externalId}, ${customer.id}, ${input.currency}, ${input.totalCents}, ${input.placedAt}, ${isMember}, ${input.placedAt})
    ON CONFLICT ("programId", "externalId") DO NOTHING RETURNING "id"`;
  if (inserted.length === 0) throw new AppError("ORDER_EXISTS");
  const orderId = inserted[0].id;

  const { rule, tiers } = isMember ? await loadEarningConfig(tx, program.id) : { rule: null, tiers: [] as TierDef[] };
  const spendRule: SpendRule | null = rule ? { ...rule, tierMultipliers: (rule.tierMultipliers ?? {}) as Record<string, number> } : null;
  const earn = calculateOrderPoints({ rule: spendRule, tierId: customer.tierId, lines: input.lines, at: input.placedAt });

  await tx.orderLine.createMany({
    data: input.lines.map((line, index) => ({
      orderId,
      lineNo: index + 1,
      sku: line.sku,
      category: line.category ?? null,
      quantity: line.quantity,
      unitPriceCents: line.unitPriceCents,
      pointsEarned: earn.linePoints[index],
    })),
  });

  if (!isMember) return { orderId, pointsEarned: 0, pointsPending: 0, tier: null };

  let tierName: string | null = tiers.find((tier) => tier.id === customer.tierId)?.name ?? null;
  const spend = await trailingSpendCents(tx, customer.id, input.placedAt);
  const tier = resolveTier({ tiers, spendCents: spend });
  if (tier && tier.id !== customer.tierId) {
    await tx.customer.update({ where: { id: customer.id }, data: { tierId: tier.id } });
  }
  tierName = tier?.name ?? tierName;

  if (earn.points === 0) return { orderId, pointsEarned: 0, pointsPending: 0, tier: tierName };

  const accountId = await ensureMemberAccount(tx, program.id, customer.id);
  const opened = await openLedgerTransaction(tx, {
    programId: program.id,
    kind: "EARN",
    source: "order",
    idempotencyKey: `order:${orderId}`,
    requestHash: hashRequest({ orderId }),
    customerId: customer.id,
    reason: "order",
    note: input.externalId,
    ruleId: rule?.id ?? null,
    ruleVersion: rule?.version ?? null,
    orderId,
    at: input.placedAt,
  });
  if (opened.replay) throw new AppError("ORDER_EXISTS");
  const availableAt = addDays(input.placedAt, program.pendingDays);
  const credit = await creditPoints(tx, {
    programId: program.id,
    accountId,
    transactionId: opened.id,
    points: earn.points,
    availableAt,
    expiresAt: program.expiryMonths ? addMonths(input.placedAt, program.expiryMonths) : null,
    createdAt: input.placedAt,
  });
  await finishLedgerTransaction(tx, opened.id, credit.balance);
  await tx.order.update({ where: { id: orderId }, data: { pointsEarned: earn.points } });
  const isPending = availableAt > new Date();
  return { orderId, pointsEarned: earn.points, pointsPending: isPending ? credit.credited : 0, tier: tierName };
}

export function recordOrder(input: RecordOrderInput) {
  return prisma.$transaction((tx) => recordOrderInTx(tx, input), TX_OPTIONS);
}
