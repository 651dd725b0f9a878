import { afterAll, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { checkLedger } from "@/lib/db/check-ledger";
import { AppError } from "@/lib/domain/app-error";
import { adjustPoints } from "@/lib/services/adjust-points";
import { enrollCustomer } from "@/lib/services/enroll-customer";
import { redeemReward } from "@/lib/services/redeem-reward";
import { createCustomer, createProgram, createReward, uniqueId } from "@/test/fixtures";

// 200 concurrent redemptions against a balance that covers exactly 10, repeated 20 rounds
// (a fresh member each round, points spread over several lots): never an overdraft.

afterAll(async () => {
  await prisma.$disconnect();
});

test("200 concurrent redemptions on a balance covering 10, 20 rounds: exactly 10 succeed every time, 0 overdrafts", async () => {
  const setup = await createProgram({ pendingDays: 0 });
  const reward = await createReward(setup.program.id, { costPoints: 30 });
  const actor = await prisma.user.create({ data: { email: `${uniqueId("a")}@example.test`, name: "A", role: "ADMIN", passwordHash: "x" } });
  const rounds: { ok: number; refused: number; balance: number }[] = [];
  for (let round = 0; round < 20; round += 1) {
    const customer = await createCustomer(setup.program.id);
    await enrollCustomer({ program: setup.program, customerId: customer.id });
    // 300 points in three lots of 100
    for (let lot = 0; lot < 3; lot += 1) {
      await adjustPoints({ program: setup.program, actorUserId: actor.id, input: { customerId: customer.id, points: 100, reason: "race", requestId: uniqueId("adj") } });
    }
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, (_, index) =>
        redeemReward({ programId: setup.program.id, customerId: customer.id, rewardId: reward.id, idempotencyKey: `race-${round}-${index}`, source: "api" }).then(
          () => "ok",
          (error) => (error instanceof AppError ? error.code : `crash: ${String(error)}`),
        ),
      ),
    );
    const account = await prisma.ledgerAccount.findUniqueOrThrow({ where: { customerId: customer.id } });
    rounds.push({ ok: outcomes.filter((o) => o === "ok").length, refused: outcomes.filter((o) => o === "INSUFFICIENT_POINTS").length, balance: account.balance });
    expect(await checkLedger(prisma, [customer.id])).toMatchObject({ unbalancedTransactions: 0, mismatchedAccounts: 0, negativeLots: 0 });
    expect(await prisma.redemption.count({ where: { customerId: customer.id } })).toBe(10);
  }
  expect(rounds).toEqual(Array(20).fill({ ok: 10, refused: 190, balance: 0 }));
}, 600_000);
