import { afterAll, describe, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { checkLedger } from "@/lib/db/check-ledger";
import { AppError } from "@/lib/domain/app-error";
import { createCustomer, createProgram, createReward, uniqueId } from "@/test/fixtures";
import { enrollCustomer } from "./enroll-customer";
import { expireDuePoints } from "./expire-points";
import { recordOrder } from "./record-order";
import { recordReturn } from "./record-return";
import { redeemReward } from "./redeem-reward";

afterAll(async () => {
  await prisma.$disconnect();
});

async function memberPoints(customerId: number) {
  const account = await prisma.ledgerAccount.findUniqueOrThrow({ where: { customerId }, select: { balance: true, debt: true } });
  return account;
}

async function expectLedgerConsistent(customerIds?: number[]) {
  const check = await checkLedger(prisma, customerIds);
  expect(check.unbalancedTransactions).toBe(0);
  expect(check.mismatchedAccounts).toBe(0);
  expect(check.negativeLots).toBe(0);
  expect(check.entriesTotal).toBe(0);
}

async function member(programId: number, program: Awaited<ReturnType<typeof createProgram>>["program"], joinedAt?: Date) {
  const customer = await createCustomer(programId);
  await enrollCustomer({ program, customerId: customer.id, at: joinedAt });
  return customer;
}

function order(customerExternalId: string, cents: number, overrides: Partial<{ placedAt: Date; lines: { sku: string; quantity: number; unitPriceCents: number }[] }> = {}) {
  return {
    externalId: uniqueId("order"),
    member: { externalId: customerExternalId },
    currency: "USD",
    totalCents: cents,
    placedAt: overrides.placedAt ?? new Date(),
    lines: overrides.lines ?? [{ sku: "SKU-1", quantity: 1, unitPriceCents: cents }],
  };
}

describe("earning on orders", () => {
  test("a member earns points per currency unit, recorded with the rule version and a reason", async () => {
    const { program, rule } = await createProgram({ welcomeBonus: 50 });
    const customer = await member(program.id, program);
    const result = await recordOrder({ program, ...order(customer.externalId, 12_345) });
    expect(result.pointsEarned).toBe(123);
    expect(await memberPoints(customer.id)).toEqual({ balance: 173, debt: 0 });
    const earn = await prisma.ledgerTransaction.findFirstOrThrow({ where: { orderId: result.orderId } });
    expect(earn).toMatchObject({ kind: "EARN", reason: "order", ruleId: rule.id, ruleVersion: 1, customerId: customer.id });
    await expectLedgerConsistent([customer.id]);
  });

  test("a non-member's order is recorded for analytics but earns nothing", async () => {
    const { program } = await createProgram();
    const customer = await createCustomer(program.id);
    const result = await recordOrder({ program, ...order(customer.externalId, 10_000) });
    expect(result.pointsEarned).toBe(0);
    const stored = await prisma.order.findUniqueOrThrow({ where: { id: result.orderId } });
    expect(stored.isMemberOrder).toBe(false);
    expect(await prisma.ledgerAccount.count({ where: { customerId: customer.id } })).toBe(0);
  });

  test("the same order id twice is rejected and awards nothing more", async () => {
    const { program } = await createProgram();
    const customer = await member(program.id, program);
    const input = order(customer.externalId, 5_000);
    await recordOrder({ program, ...input });
    await expect(recordOrder({ program, ...input })).rejects.toMatchObject({ code: "ORDER_EXISTS" });
    expect((await memberPoints(customer.id)).balance).toBe(50);
  });

  test("tier multipliers apply once the member holds a tier", async () => {
    const { program } = await createProgram();
    const customer = await member(program.id, program);
    const first = await recordOrder({ program, ...order(customer.externalId, 160_000) });
    expect(first.tier).toBe("Gold");
    const second = await recordOrder({ program, ...order(customer.externalId, 10_000) });
    expect(second.pointsEarned).toBe(150);
  });

  test("the welcome bonus is credited exactly once", async () => {
    const { program } = await createProgram({ welcomeBonus: 100 });
    const customer = await member(program.id, program);
    await expect(enrollCustomer({ program, customerId: customer.id })).rejects.toMatchObject({ code: "ALREADY_ENROLLED" });
    expect((await memberPoints(customer.id)).balance).toBe(100);
  });
});

describe("redemption", () => {
  test("50 concurrent redemptions against a balance that covers 5: exactly 5 succeed", async () => {
    const { program } = await createProgram();
    const customer = await member(program.id, program);
    // 3 lots (orders) so redemptions have to walk several lots under contention
    for (const cents of [20_000, 20_000, 10_000]) await recordOrder({ program, ...order(customer.externalId, cents) });
    expect((await memberPoints(customer.id)).balance).toBe(500);
    const reward = await createReward(program.id, { costPoints: 100 });

    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, index) =>
        redeemReward({ programId: program.id, customerId: customer.id, rewardId: reward.id, idempotencyKey: `race-${index}`, source: "api" }),
      ),
    );
    const succeeded = results.filter((result) => result.status === "fulfilled");
    const failed = results.filter((result): result is PromiseRejectedResult => result.status === "rejected");
    expect(succeeded).toHaveLength(5);
    expect(failed).toHaveLength(45);
    for (const failure of failed) {
      expect(failure.reason).toBeInstanceOf(AppError);
      expect(failure.reason.code).toBe("INSUFFICIENT_POINTS");
    }
    expect(await memberPoints(customer.id)).toEqual({ balance: 0, debt: 0 });
    expect(await prisma.redemption.count({ where: { customerId: customer.id } })).toBe(5);
    await expectLedgerConsistent([customer.id]);
  });

  test("a retried redemption with the same key returns the same code and spends once", async () => {
    const { program } = await createProgram();
    const customer = await member(program.id, program);
    await recordOrder({ program, ...order(customer.externalId, 30_000) });
    const reward = await createReward(program.id, { costPoints: 100 });
    const input = { programId: program.id, customerId: customer.id, rewardId: reward.id, idempotencyKey: "same", source: "portal" as const };
    const results = await Promise.all(Array.from({ length: 10 }, () => redeemReward(input)));
    expect(new Set(results.map((result) => result.code)).size).toBe(1);
    expect(results.every((result) => result.balance === 200)).toBe(true);
    expect((await memberPoints(customer.id)).balance).toBe(200);
  });

  test("the same key for a different reward is a conflict", async () => {
    const { program } = await createProgram();
    const customer = await member(program.id, program);
    await recordOrder({ program, ...order(customer.externalId, 30_000) });
    const a = await createReward(program.id, { costPoints: 100 });
    const b = await createReward(program.id, { costPoints: 100 });
    await redeemReward({ programId: program.id, customerId: customer.id, rewardId: a.id, idempotencyKey: "k", source: "api" });
    await expect(
      redeemReward({ programId: program.id, customerId: customer.id, rewardId: b.id, idempotencyKey: "k", source: "api" }),
    ).rejects.toMatchObject({ code: "IDEMPOTENCY_CONFLICT" });
    expect((await memberPoints(customer.id)).balance).toBe(200);
  });

  test.each([
    ["out of stock", { costPoints: 10, stock: 0 }, "REWARD_OUT_OF_STOCK"],
    ["inactive", { costPoints: 10, isActive: false }, "REWARD_INACTIVE"],
    ["too expensive", { costPoints: 10_000 }, "INSUFFICIENT_POINTS"],
  ] as const)("a reward that is %s changes nothing", async (_label, rewardData, code) => {
    const { program } = await createProgram();
    const customer = await member(program.id, program);
    await recordOrder({ program, ...order(customer.externalId, 30_000) });
    const reward = await createReward(program.id, rewardData);
    await expect(
      redeemReward({ programId: program.id, customerId: customer.id, rewardId: reward.id, idempotencyKey: uniqueId("k"), source: "portal" }),
    ).rejects.toMatchObject({ code });
    expect((await memberPoints(customer.id)).balance).toBe(300);
    expect(await prisma.redemption.count({ where: { customerId: customer.id } })).toBe(0);
    expect(await prisma.ledgerTransaction.count({ where: { customerId: customer.id, kind: "REDEEM" } })).toBe(0);
    const after = await prisma.reward.findUniqueOrThrow({ where: { id: reward.id } });
    expect(after.stock).toBe(reward.stock);
  });

  test("limited stock is never oversold under concurrency", async () => {
    const { program } = await createProgram();
    const customers = [];
    for (let index = 0; index < 8; index += 1) {
      const customer = await member(program.id, program);
      await recordOrder({ program, ...order(customer.externalId, 10_000) });
      customers.push(customer);
    }
    const reward = await createReward(program.id, { costPoints: 50, stock: 3 });
    const results = await Promise.allSettled(
      customers.map((customer) =>
        redeemReward({ programId: program.id, customerId: customer.id, rewardId: reward.id, idempotencyKey: "stock", source: "api" }),
      ),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(3);
    expect((await prisma.reward.findUniqueOrThrow({ where: { id: reward.id } })).stock).toBe(0);
    await expectLedgerConsistent(customers.map((customer) => customer.id));
  });

  test("pending points cannot be spent until the return window has passed", async () => {
    const { program } = await createProgram({ pendingDays: 14 });
    const customer = await member(program.id, program);
    const result = await recordOrder({ program, ...order(customer.externalId, 30_000) });
    expect(result.pointsPending).toBe(300);
    const reward = await createReward(program.id, { costPoints: 100 });
    await expect(
      redeemReward({ programId: program.id, customerId: customer.id, rewardId: reward.id, idempotencyKey: "p", source: "portal" }),
    ).rejects.toMatchObject({ code: "INSUFFICIENT_POINTS" });
  });

  test("lots are consumed soonest expiry first", async () => {
    const { program } = await createProgram({ expiryMonths: 12 });
    // joined before the orders below (orders placed before joining earn nothing)
    const customer = await member(program.id, program, new Date(Date.now() - 320 * 86_400_000));
    const now = Date.now();
    await recordOrder({ program, ...order(customer.externalId, 10_000, { placedAt: new Date(now - 30 * 86_400_000) }) });
    await recordOrder({ program, ...order(customer.externalId, 10_000, { placedAt: new Date(now - 300 * 86_400_000) }) });
    const reward = await createReward(program.id, { costPoints: 100 });
    const redeemed = await redeemReward({ programId: program.id, customerId: customer.id, rewardId: reward.id, idempotencyKey: "fifo", source: "api" });
    const lots = await prisma.pointLot.findMany({ where: { account: { customerId: customer.id } }, orderBy: { expiresAt: "asc" } });
    expect(lots.map((lot) => lot.remaining)).toEqual([0, 100]);
    expect(redeemed.balance).toBe(100);
  });
});

describe("returns and expiry", () => {
  test("a partial return reverses points pro rata by line and only once", async () => {
    const { program } = await createProgram();
    const customer = await member(program.id, program);
    const input = order(customer.externalId, 30_000, {
      lines: [
        { sku: "A", quantity: 2, unitPriceCents: 10_000 },
        { sku: "B", quantity: 1, unitPriceCents: 10_000 },
      ],
    });
    await recordOrder({ program, ...input });
    const first = await recordReturn({ programId: program.id, orderExternalId: input.externalId, returnExternalId: "r1", lines: [{ sku: "A", quantity: 1 }] });
    expect(first).toMatchObject({ pointsReversed: 100, debt: 0, amountCents: 10_000 });
    const again = await recordReturn({ programId: program.id, orderExternalId: input.externalId, returnExternalId: "r1", lines: [{ sku: "A", quantity: 1 }] });
    expect(again.returnId).toBe(first.returnId);
    expect((await memberPoints(customer.id)).balance).toBe(200);
    await expect(
      recordReturn({ programId: program.id, orderExternalId: input.externalId, returnExternalId: "r2", lines: [{ sku: "A", quantity: 2 }] }),
    ).rejects.toMatchObject({ code: "VALIDATION" });
    await expectLedgerConsistent([customer.id]);
  });

  test("points already spent become debt that the next earning repays first", async () => {
    const { program } = await createProgram();
    const customer = await member(program.id, program);
    const input = order(customer.externalId, 20_000);
    await recordOrder({ program, ...input });
    const reward = await createReward(program.id, { costPoints: 150 });
    await redeemReward({ programId: program.id, customerId: customer.id, rewardId: reward.id, idempotencyKey: "spend", source: "api" });
    const returned = await recordReturn({ programId: program.id, orderExternalId: input.externalId, returnExternalId: "full", lines: [{ sku: "SKU-1", quantity: 1 }] });
    expect(returned).toMatchObject({ pointsReversed: 50, debt: 150 });
    expect(await memberPoints(customer.id)).toEqual({ balance: 0, debt: 150 });
    await recordOrder({ program, ...order(customer.externalId, 20_000) });
    expect(await memberPoints(customer.id)).toEqual({ balance: 50, debt: 0 });
    await expectLedgerConsistent([customer.id]);
  });

  test("expiry empties due lots once, however often it runs", async () => {
    const { program } = await createProgram({ expiryMonths: 12 });
    const customer = await member(program.id, program, new Date(Date.now() - 420 * 86_400_000));
    await recordOrder({ program, ...order(customer.externalId, 10_000, { placedAt: new Date(Date.now() - 400 * 86_400_000) }) });
    await recordOrder({ program, ...order(customer.externalId, 5_000) });
    const first = await expireDuePoints({ programId: program.id });
    const second = await expireDuePoints({ programId: program.id });
    expect(first.points).toBe(100);
    expect(second.points).toBe(0);
    expect((await memberPoints(customer.id)).balance).toBe(50);
    await expectLedgerConsistent([customer.id]);
  });
});

describe("database guards", () => {
  test("an unbalanced journal transaction is rejected at commit", async () => {
    const { program } = await createProgram();
    const customer = await member(program.id, program);
    const account = await prisma.ledgerAccount.findUniqueOrThrow({ where: { customerId: customer.id } });
    await expect(
      prisma.$transaction(async (tx) => {
        const created = await tx.ledgerTransaction.create({
          data: { programId: program.id, kind: "ADJUST", source: "test", idempotencyKey: uniqueId("k"), requestHash: "x", reason: "test" },
        });
        await tx.ledgerEntry.create({ data: { transactionId: created.id, accountId: account.id, amount: 10 } });
      }),
    ).rejects.toThrow(/does not balance/);
  });

  test("a negative member balance and edits to entries are refused", async () => {
    const { program } = await createProgram();
    const customer = await member(program.id, program);
    await expect(prisma.$executeRaw`UPDATE "LedgerAccount" SET "balance" = -1 WHERE "customerId" = ${customer.id}`).rejects.toThrow(/balance_nonnegative/);
    await recordOrder({ program, ...order(customer.externalId, 10_000) });
    const entry = await prisma.ledgerEntry.findFirstOrThrow({ where: { account: { customerId: customer.id } } });
    await expect(prisma.$executeRaw`UPDATE "LedgerEntry" SET "amount" = 1 WHERE "id" = ${entry.id}`).rejects.toThrow(/immutable/);
    await expect(prisma.$executeRaw`DELETE FROM "LedgerEntry" WHERE "id" = ${entry.id}`).rejects.toThrow(/immutable/);
  });
});
