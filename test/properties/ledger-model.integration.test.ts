import fc from "fast-check";
import { afterAll, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { checkLedger } from "@/lib/db/check-ledger";
import { AppError } from "@/lib/domain/app-error";
import { addMonths } from "@/lib/domain/dates";
import { allocateProportionally } from "@/lib/domain/earn-points";
import { lineReversal } from "@/lib/domain/ledger-math";
import { adjustPoints } from "@/lib/services/adjust-points";
import { enrollCustomer } from "@/lib/services/enroll-customer";
import { expireDuePoints } from "@/lib/services/expire-points";
import { recordOrder } from "@/lib/services/record-order";
import { recordReturn } from "@/lib/services/record-return";
import { redeemReward } from "@/lib/services/redeem-reward";
import { createCustomer, createProgram, createReward, uniqueId } from "@/test/fixtures";

// Model-based property test: random sequences of earn, return, redeem, expire, adjust and
// retried requests run against real PostgreSQL and against a small in-memory model of the
// lots. After every step the database must agree with the model lot by lot, and the ledger's
// invariants must hold. fast-check prints the seed and the shrunk sequence on failure;
// FC_SEED / FC_RUNS reproduce or widen a run.

type Op =
  | { kind: "earn"; lines: { quantity: number; unit: number }[]; days: number }
  | { kind: "return"; order: number; line: number; quantity: number }
  | { kind: "redeem"; reward: number }
  | { kind: "expire"; days: number }
  | { kind: "adjust"; points: number }
  | { kind: "retry" };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("earn" as const), lines: fc.array(fc.record({ quantity: fc.integer({ min: 1, max: 3 }), unit: fc.integer({ min: 1, max: 120 }) }), { minLength: 1, maxLength: 3 }), days: fc.integer({ min: 0, max: 70 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("return" as const), order: fc.nat(), line: fc.nat(), quantity: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("redeem" as const), reward: fc.integer({ min: 0, max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("expire" as const), days: fc.integer({ min: 0, max: 200 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("adjust" as const), points: fc.integer({ min: -80, max: 150 }).filter((n) => n !== 0) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "retry" as const }) },
);

type ModelLot = { txKey: string; amount: number; remaining: number; expiresAt: number };
type ModelLine = { sku: string; quantity: number; unitCents: number; pointsEarned: number; returnedQuantity: number; pointsReversed: number };
type ModelOrder = { externalId: string; txKey: string; lines: ModelLine[] };

const REWARD_COSTS = [10, 55, 200];

afterAll(async () => {
  await prisma.$disconnect();
});

test("the ledger agrees with an in-memory model after every step of random sequences", async () => {
  const runs = Number(process.env.FC_RUNS ?? 12);
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 30 }), async (ops) => {
      const setup = await createProgram({ expiryMonths: 12, pendingDays: 0 });
      await prisma.earnRule.update({ where: { id: setup.rule.id }, data: { tierMultipliers: {} } });
      await prisma.tier.deleteMany({ where: { programId: setup.program.id } }).catch(() => undefined);
      const rewards = await Promise.all(REWARD_COSTS.map((costPoints) => createReward(setup.program.id, { costPoints })));
      const actor = await prisma.user.create({ data: { email: `${uniqueId("a")}@example.test`, name: "A", role: "ADMIN", passwordHash: "x" } });
      const customer = await createCustomer(setup.program.id);
      let clock = addMonths(new Date(), -30).getTime();
      await enrollCustomer({ program: setup.program, customerId: customer.id, at: new Date(clock) });
      const account = await prisma.ledgerAccount.findUniqueOrThrow({ where: { customerId: customer.id } });

      const lots: ModelLot[] = [];
      const orders: ModelOrder[] = [];
      let debt = 0;
      let last: (() => Promise<unknown>) | null = null;
      const advance = (days: number) => {
        clock = Math.min(clock + days * 86_400_000, Date.now() - 1000);
        return new Date(clock);
      };
      const credit = (txKey: string, points: number, at: Date) => {
        const repaid = Math.min(debt, points);
        debt -= repaid;
        if (points - repaid > 0) lots.push({ txKey, amount: points - repaid, remaining: points - repaid, expiresAt: addMonths(at, 12).getTime() });
      };
      const consume = (amount: number, order: ModelLot[]) => {
        let left = amount;
        for (const lot of order) {
          const take = Math.min(lot.remaining, left);
          lot.remaining -= take;
          left -= take;
        }
      };
      const byExpiry = (list: ModelLot[]) => [...list].sort((a, b) => a.expiresAt - b.expiresAt || lots.indexOf(a) - lots.indexOf(b));
      const spendable = (at: Date) => lots.filter((lot) => lot.remaining > 0 && lot.expiresAt > at.getTime());

      for (const [step, op] of ops.entries()) {
        const label = `step ${step} ${JSON.stringify(op)}`;
        const before = await checksum(account.id);
        if (op.kind === "earn") {
          const at = advance(op.days);
          const externalId = uniqueId("o");
          const lines = op.lines.map((line, index) => ({ sku: `S${index}`, quantity: line.quantity, unitPriceCents: line.unit * 100 }));
          const total = lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
          const run = () => recordOrder({ program: setup.program, externalId, member: { externalId: customer.externalId }, currency: "USD", totalCents: total, placedAt: at, lines });
          await run();
          const points = Math.floor(total / 100);
          const linePoints = allocateProportionally({ total: points, weights: lines.map((line) => BigInt(line.quantity * line.unitPriceCents)) });
          orders.push({ externalId, txKey: externalId, lines: lines.map((line, index) => ({ sku: line.sku, quantity: line.quantity, unitCents: line.unitPriceCents, pointsEarned: linePoints[index], returnedQuantity: 0, pointsReversed: 0 })) });
          if (points > 0) credit(externalId, points, at);
          last = () => run().catch((error) => expectCode(error, "ORDER_EXISTS"));
        } else if (op.kind === "return") {
          if (orders.length === 0) continue;
          const order = orders[op.order % orders.length];
          const line = order.lines[op.line % order.lines.length];
          const quantity = Math.min(op.quantity, line.quantity - line.returnedQuantity);
          if (quantity <= 0) continue;
          const at = advance(0);
          const returnId = uniqueId("r");
          const run = () => recordReturn({ programId: setup.program.id, orderExternalId: order.externalId, returnExternalId: returnId, lines: [{ sku: line.sku, quantity }], at });
          await run();
          const points = lineReversal({ line, returning: quantity });
          line.returnedQuantity += quantity;
          line.pointsReversed += points;
          const held = lots.reduce((sum, lot) => sum + lot.remaining, 0);
          const taken = Math.min(points, held);
          debt += points - taken;
          const ownLots = lots.filter((lot) => lot.txKey === order.txKey);
          consume(taken, [...ownLots, ...byExpiry(lots.filter((lot) => lot.txKey !== order.txKey))]);
          last = run;
        } else if (op.kind === "redeem") {
          const at = advance(0);
          const cost = REWARD_COSTS[op.reward];
          const key = uniqueId("k");
          const run = () => redeemReward({ programId: setup.program.id, customerId: customer.id, rewardId: rewards[op.reward].id, idempotencyKey: key, source: "api", at });
          const canAfford = spendable(at).reduce((sum, lot) => sum + lot.remaining, 0) >= cost;
          if (canAfford) {
            await run();
            consume(cost, byExpiry(spendable(at)));
            last = run;
          } else {
            await run().then(() => expect.fail(`${label}: redemption should have been refused`), (error) => expectCode(error, "INSUFFICIENT_POINTS"));
            expect(await checksum(account.id), `${label}: a refused redemption changed the ledger`).toBe(before);
            last = null;
          }
        } else if (op.kind === "expire") {
          const at = advance(op.days);
          const run = () => expireDuePoints({ programId: setup.program.id, at });
          await run();
          for (const lot of lots) if (lot.expiresAt <= at.getTime()) lot.remaining = 0;
          last = run;
        } else if (op.kind === "adjust") {
          const at = advance(0);
          const requestId = uniqueId("adj");
          const run = () => adjustPoints({ program: setup.program, actorUserId: actor.id, input: { customerId: customer.id, points: op.points, reason: "model", requestId }, at });
          if (op.points > 0) {
            await run();
            credit(`adj:${requestId}`, op.points, at);
            last = run;
          } else if (spendable(at).reduce((sum, lot) => sum + lot.remaining, 0) >= -op.points) {
            await run();
            consume(-op.points, byExpiry(spendable(at)));
            last = run;
          } else {
            await run().then(() => expect.fail(`${label}: removal should have been refused`), (error) => expectCode(error, "INSUFFICIENT_POINTS"));
            last = null;
          }
        } else if (op.kind === "retry") {
          if (!last) continue;
          await last();
          expect(await checksum(account.id), `${label}: a retried request changed the ledger`).toBe(before);
          continue;
        }

        // after every step: the database agrees with the model, and the invariants hold
        const dbLots = await prisma.pointLot.findMany({ where: { accountId: account.id }, orderBy: { id: "asc" }, select: { remaining: true, amount: true } });
        expect(dbLots.map((lot) => lot.remaining), `${label}: lot remainders`).toEqual(lots.map((lot) => lot.remaining));
        const dbAccount = await prisma.ledgerAccount.findUniqueOrThrow({ where: { id: account.id } });
        expect(dbAccount.debt, `${label}: debt`).toBe(debt);
        expect(dbAccount.balance, `${label}: balance`).toBe(lots.reduce((sum, lot) => sum + lot.remaining, 0));
        expect(dbAccount.balance, `${label}: no negative balance`).toBeGreaterThanOrEqual(0);
        const check = await checkLedger(prisma, [customer.id]);
        expect(check, label).toMatchObject({ unbalancedTransactions: 0, mismatchedAccounts: 0, negativeLots: 0 });
        // nothing expired or reversed twice
        const doubles = await prisma.$queryRaw<{ n: number }[]>`
          SELECT COUNT(*)::int AS n FROM (
            SELECT c."lotId" FROM "LotConsumption" c JOIN "LedgerTransaction" t ON t."id" = c."transactionId"
            WHERE t."kind" = 'EXPIRE' AND t."customerId" = ${customer.id} GROUP BY c."lotId" HAVING COUNT(*) > 1
            UNION ALL
            SELECT l."id" FROM "OrderLine" l JOIN "Order" o ON o."id" = l."orderId" WHERE o."customerId" = ${customer.id} AND l."pointsReversed" > l."pointsEarned"
          ) d`;
        expect(doubles[0].n, `${label}: expired or reversed twice`).toBe(0);
      }
    }),
    { numRuns: runs, seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined, verbose: 1 },
  );
}, 300_000);

function expectCode(error: unknown, code: string) {
  if (!(error instanceof AppError) || error.code !== code) throw error;
}

async function checksum(accountId: number) {
  const [row] = await prisma.$queryRaw<{ c: string }[]>`
    SELECT md5(COALESCE(string_agg(x, ',' ORDER BY x), '')) AS c FROM (
      SELECT 'l' || "id" || ':' || "remaining" AS x FROM "PointLot" WHERE "accountId" = ${accountId}
      UNION ALL SELECT 'e' || e."id" FROM "LedgerEntry" e WHERE e."accountId" = ${accountId}
      UNION ALL SELECT 'a' || "balance" || ':' || "debt" FROM "LedgerAccount" WHERE "id" = ${accountId}
    ) t`;
  return row.c;
}


