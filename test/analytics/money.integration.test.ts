import { afterAll, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { getPointsMoney } from "@/lib/db/analytics-reads";
import { foldAnalytics, rebuildAnalytics } from "@/lib/services/analytics-rollups";
import { expireDuePoints } from "@/lib/services/expire-points";
import { recordOrder } from "@/lib/services/record-order";
import { recordReturn } from "@/lib/services/record-return";
import { redeemReward } from "@/lib/services/redeem-reward";
import { createMember, createProgram, createReward, uniqueId } from "@/test/fixtures";

// The Money view on a hand-computed ledger, through the real services: earnings, a redemption, an
// expiry, a clawback, pending points and points past expiry that were not swept yet.

afterAll(async () => {
  await prisma.$disconnect();
});

test("points by month, outstanding (available, pending, expired-unswept apart), liability, ages and expiry months", async () => {
  // 1 point per $1, points worth 1 cent each, 14 days pending, expiry after 12 months
  const setup = await createProgram({ pendingDays: 14, expiryMonths: 12, pointValueMillis: 10 });
  await prisma.earnRule.update({ where: { id: setup.rule.id }, data: { tierMultipliers: {} } });
  const reward = await createReward(setup.program.id, { costPoints: 300 });
  const alice = await createMember(setup.program, new Date("2025-01-01T00:00:00Z"));
  const now = new Date("2026-11-20T12:00:00Z");
  const order = (cents: number, placedAt: string, externalId = uniqueId("o")) =>
    recordOrder({ program: setup.program, externalId, member: { externalId: alice.externalId }, currency: "USD", totalCents: cents, placedAt: new Date(placedAt), lines: [{ sku: "A", quantity: 1, unitPriceCents: cents }] });
  await order(50_000, "2025-10-10T12:00:00Z"); // 500 points, expire 2026-10-10: past expiry, not swept
  await order(100_000, "2026-03-05T12:00:00Z", "march"); // 1,000 points, expire 2027-03-05
  await redeemReward({ programId: setup.program.id, customerId: alice.id, rewardId: reward.id, idempotencyKey: uniqueId("k"), source: "api", at: new Date("2026-04-02T12:00:00Z") });
  // soonest expiry first: the 300 come from the October lot (500 -> 200)
  await recordReturn({ programId: setup.program.id, orderExternalId: "march", returnExternalId: "r1", lines: [{ sku: "A", quantity: 1 }], at: new Date("2026-05-01T12:00:00Z") });
  // the return reverses the March order's 1,000 points: 1,000 clawed back from the March lot
  await order(20_000, "2026-06-15T12:00:00Z"); // 200 points, expire 2027-06-15
  await order(30_000, "2026-11-15T12:00:00Z"); // 300 points, pending until 2026-11-29
  await foldAnalytics({ programId: setup.program.id, now });

  const money = await getPointsMoney({ programId: setup.program.id, timeZone: "UTC", now });
  // the October lot (200 left) expired on 2026-10-10 and was not swept: apart, not in the liability
  expect(money.expiredUnswept).toBe(200);
  expect(money.available).toBe(200);
  expect(money.pending).toBe(300);
  expect(money.outstanding).toBe(500);
  expect(money.grossLiabilityCents).toBe(500);
  expect(money.ageBands.find((band) => band.key === "0-3")?.points).toBe(300); // November
  expect(money.ageBands.find((band) => band.key === "3-6")?.points).toBe(200); // June: 5 months
  expect(money.expiringByMonth.find((row) => row.month === "2027-06-01")?.points).toBe(200);
  expect(money.expiringByMonth.find((row) => row.month === "2027-11-01")).toBeUndefined(); // beyond 12 months
  const month = (key: string) => money.flowByMonth.find((row) => row.month === key)!;
  expect(month("2026-03-01")).toMatchObject({ issued: 1_000, redeemed: 0 });
  expect(month("2026-04-01")).toMatchObject({ redeemed: 300 });
  expect(month("2026-05-01")).toMatchObject({ clawedBack: 1_000 });
  expect(month("2026-11-01")).toMatchObject({ issued: 300, isPartial: true });

  // the sweep moves the 200 expired points to "expired" in November; the liability is unchanged
  await expireDuePoints({ programId: setup.program.id, at: now });
  await foldAnalytics({ programId: setup.program.id, now });
  const swept = await getPointsMoney({ programId: setup.program.id, timeZone: "UTC", now });
  expect(swept.expiredUnswept).toBe(0);
  expect(swept.outstanding).toBe(500);
  expect(swept.flowByMonth.find((row) => row.month === "2026-11-01")).toMatchObject({ expired: 200 });
  // redemption curves: October 2025's 500 points, 300 redeemed at age 6 (April)
  // (the curves show the last 12 earning months: December 2025 on)
  expect(swept.curves.find((curve) => curve.earnMonth === "2026-03-01")).toMatchObject({ earned: 1_000, redeemed: 0, otherOut: 1_000 });
  // a rebuild from the ledger gives the same figures
  await rebuildAnalytics({ programId: setup.program.id, now });
  expect(await getPointsMoney({ programId: setup.program.id, timeZone: "UTC", now })).toEqual(swept);
});
