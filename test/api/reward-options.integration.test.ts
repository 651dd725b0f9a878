import { afterAll, describe, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { checkLedger } from "@/lib/db/check-ledger";
import { getMemberPoints } from "@/lib/db/member-points";
import { adjustPoints } from "@/lib/services/adjust-points";
import { enrollCustomer } from "@/lib/services/enroll-customer";
import { importVouchers } from "@/lib/services/import-vouchers";
import { redeemReward } from "@/lib/services/redeem-reward";
import { cancelRedemption } from "@/lib/services/redemption-status";
import { saveReward } from "@/lib/services/save-reward";
import { GET as getRewards } from "@/app/api/v1/rewards/route";
import { POST as postRedemption } from "@/app/api/v1/members/[externalId]/redemptions/route";
import { createCustomer, createProgram, createReward, createStaffUser, uniqueId } from "@/test/fixtures";
import { createApiKey, jsonRequest, ledgerChecksum } from "@/test/api-helpers";

// Reward options on real PostgreSQL: tier-exclusive rewards, per-member limits under
// concurrency, and partner voucher pools handing out each code exactly once.

afterAll(async () => {
  await prisma.$disconnect();
});

type Setup = Awaited<ReturnType<typeof createProgram>>;

const staff = () => createStaffUser();

async function memberWith(setup: Setup, points: number, tierId: number | null = null) {
  const actor = await staff();
  const customer = await createCustomer(setup.program.id);
  await enrollCustomer({ program: setup.program, customerId: customer.id });
  await adjustPoints({ program: setup.program, actorUserId: actor.id, input: { customerId: customer.id, points, reason: "seed", requestId: uniqueId("r") } });
  if (tierId) await prisma.customer.update({ where: { id: customer.id }, data: { tierId } });
  return customer;
}

const redeem = (setup: Setup, customerId: number, rewardId: number, key = uniqueId("k")) =>
  redeemReward({ programId: setup.program.id, customerId, rewardId, idempotencyKey: key, source: "portal" });

describe("tier-exclusive rewards", () => {
  test("only the listed tiers may redeem; anyone else is refused with nothing deducted", async () => {
    const setup = await createProgram();
    const reward = await createReward(setup.program.id, { costPoints: 100, stock: 10 });
    await prisma.reward.update({ where: { id: reward.id }, data: { tierIds: [setup.tiers.gold.id] } });
    const bronze = await memberWith(setup, 500, setup.tiers.bronze.id);
    const none = await memberWith(setup, 500);
    const gold = await memberWith(setup, 500, setup.tiers.gold.id);
    const before = await ledgerChecksum();
    await expect(redeem(setup, bronze.id, reward.id)).rejects.toMatchObject({ code: "TIER_REQUIRED" });
    await expect(redeem(setup, none.id, reward.id)).rejects.toMatchObject({ code: "TIER_REQUIRED" });
    expect(await ledgerChecksum()).toBe(before);
    expect((await redeem(setup, gold.id, reward.id)).pointsSpent).toBe(100);

    // over the API: 403 with the code, and the catalogue says who it is for
    const { key } = await createApiKey(setup.program.id);
    const refused = await postRedemption(jsonRequest(`/api/v1/members/${bronze.externalId}/redemptions`, { key, body: { rewardId: reward.id }, idempotencyKey: uniqueId("i") }), {
      params: Promise.resolve({ externalId: bronze.externalId }),
    });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: "TIER_REQUIRED" } });
    const catalogue = await (await getRewards(jsonRequest("/api/v1/rewards", { key, method: "GET" }))).json();
    expect(catalogue.rewards.find((r: { id: number }) => r.id === reward.id)).toMatchObject({ tierIds: [setup.tiers.gold.id], categories: [], perMemberLimit: null });
    expect((await getMemberPoints(bronze.id)).available).toBe(500);
  });

  test("a marketer can't point a reward at another program's tier", async () => {
    const setup = await createProgram();
    const other = await createProgram();
    const actor = await staff();
    const input = { name: "VIP", description: "", kind: "FREE_SHIPPING" as const, costPoints: 10, isActive: true, tierIds: [other.tiers.gold.id], categories: [], startsAt: null, endsAt: null };
    await expect(saveReward({ programId: setup.program.id, actorUserId: actor.id, input })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await prisma.reward.count({ where: { programId: setup.program.id } })).toBe(0);
    const saved = await saveReward({ programId: setup.program.id, actorUserId: actor.id, input: { ...input, kind: "PERCENT_DISCOUNT", percentOff: 15, tierIds: [setup.tiers.gold.id], categories: ["shoes", "shoes", "bags"], perMemberLimit: 2 } });
    expect(await prisma.reward.findUniqueOrThrow({ where: { id: saved.id } })).toMatchObject({ tierIds: [setup.tiers.gold.id], categories: ["shoes", "bags"], perMemberLimit: 2 });
  });
});

describe("per-member limits", () => {
  test("10 concurrent redemptions by one member with a limit of 2: exactly 2; a cancelled code frees a slot", async () => {
    const setup = await createProgram();
    const reward = await createReward(setup.program.id, { costPoints: 10, stock: null });
    await prisma.reward.update({ where: { id: reward.id }, data: { perMemberLimit: 2 } });
    const customer = await memberWith(setup, 1_000);
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => redeem(setup, customer.id, reward.id)));
    const ok = results.filter((r) => r.status === "fulfilled");
    expect(ok).toHaveLength(2);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "REWARD_LIMIT_REACHED" });
    expect((await getMemberPoints(customer.id)).available).toBe(980);
    // another member is not affected
    const friend = await memberWith(setup, 100);
    await redeem(setup, friend.id, reward.id);
    // cancelling one gives the slot (and the points) back
    const first = (ok[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof redeem>>>).value;
    await cancelRedemption({ programId: setup.program.id, where: { id: first.redemptionId, customerId: customer.id }, by: "member" });
    await redeem(setup, customer.id, reward.id);
    await expect(redeem(setup, customer.id, reward.id)).rejects.toMatchObject({ code: "REWARD_LIMIT_REACHED" });
    expect(await checkLedger(prisma, [customer.id, friend.id])).toMatchObject({ unbalancedTransactions: 0, mismatchedAccounts: 0, negativeLots: 0 });
  });
});

describe("partner voucher pools", () => {
  test("CSV import: bad rows reject the file, re-runs skip what is there; other programs and kinds are refused", async () => {
    const setup = await createProgram();
    const actor = await staff();
    const reward = await prisma.reward.create({ data: { programId: setup.program.id, name: "Cinema", kind: "VOUCHER", valueCents: 1_000, costPoints: 50 } });
    const bad = await importVouchers({ programId: setup.program.id, actorUserId: actor.id, input: { rewardId: reward.id, csv: "code\nAAA-1\n\"bad code!\"\n\"\"\nBBB-2" } });
    expect(bad.imported).toBe(0);
    expect(bad.errors.map((e) => e.row)).toEqual([3]);
    expect(await prisma.rewardVoucher.count({ where: { rewardId: reward.id } })).toBe(0);

    const ok = await importVouchers({ programId: setup.program.id, actorUserId: actor.id, input: { rewardId: reward.id, csv: "code,partner\nAAA-1,x\nBBB-2,x\nAAA-1,x\n" } });
    expect(ok).toEqual({ imported: 2, duplicates: 1, errors: [] });
    const again = await importVouchers({ programId: setup.program.id, actorUserId: actor.id, input: { rewardId: reward.id, csv: "AAA-1\nCCC-3\n" } });
    expect(again).toEqual({ imported: 1, duplicates: 1, errors: [] });
    expect(await prisma.rewardVoucher.count({ where: { rewardId: reward.id } })).toBe(3);

    const other = await createProgram();
    await expect(importVouchers({ programId: other.program.id, actorUserId: actor.id, input: { rewardId: reward.id, csv: "X-1" } })).rejects.toMatchObject({ code: "REWARD_NOT_FOUND" });
    const discount = await createReward(setup.program.id, { costPoints: 10 });
    await expect(importVouchers({ programId: setup.program.id, actorUserId: actor.id, input: { rewardId: discount.id, csv: "X-1" } })).rejects.toMatchObject({ code: "VALIDATION" });
  });

  test("6 members race for 3 codes: 3 get distinct codes, 3 are out of stock with nothing deducted; a retry returns the same code", async () => {
    const setup = await createProgram();
    const actor = await staff();
    const reward = await prisma.reward.create({ data: { programId: setup.program.id, name: "Spa", kind: "VOUCHER", valueCents: 5_000, costPoints: 50 } });
    await importVouchers({ programId: setup.program.id, actorUserId: actor.id, input: { rewardId: reward.id, csv: "code\nSPA-1\nSPA-2\nSPA-3" } });
    const members = await Promise.all(Array.from({ length: 6 }, () => memberWith(setup, 100)));
    const keys = members.map(() => uniqueId("k"));
    const results = await Promise.allSettled(members.map((m, i) => redeem(setup, m.id, reward.id, keys[i])));
    const won = results.flatMap((r, i) => (r.status === "fulfilled" ? [{ i, value: r.value }] : []));
    expect(won).toHaveLength(3);
    expect(new Set(won.map((w) => w.value.voucherCode))).toEqual(new Set(["SPA-1", "SPA-2", "SPA-3"]));
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "REWARD_OUT_OF_STOCK" });
    for (const [i, m] of members.entries()) {
      expect((await getMemberPoints(m.id)).available).toBe(won.some((w) => w.i === i) ? 50 : 100);
    }
    const replay = await redeem(setup, members[won[0].i].id, reward.id, keys[won[0].i]);
    expect(replay.voucherCode).toBe(won[0].value.voucherCode);
    expect(await prisma.rewardVoucher.count({ where: { rewardId: reward.id, redemptionId: null } })).toBe(0);
    // the catalogue counts what is left in the pool
    const { key } = await createApiKey(setup.program.id);
    const catalogue = await (await getRewards(jsonRequest("/api/v1/rewards", { key, method: "GET" }))).json();
    expect(catalogue.rewards.find((r: { id: number }) => r.id === reward.id).stock).toBe(0);
    expect(await checkLedger(prisma, members.map((m) => m.id))).toMatchObject({ unbalancedTransactions: 0, mismatchedAccounts: 0, negativeLots: 0 });
  });
});
