import { afterAll, describe, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { addDays, addMonths } from "@/lib/domain/dates";
import { runExpiringSoon, runPointsAvailable } from "@/lib/jobs/tasks";
import { enrollCustomer } from "@/lib/services/enroll-customer";
import { expireDuePoints } from "@/lib/services/expire-points";
import { recordOrder } from "@/lib/services/record-order";
import { recordReturn } from "@/lib/services/record-return";
import { redeemReward } from "@/lib/services/redeem-reward";
import { cancelRedemption } from "@/lib/services/redemption-status";
import { createCustomer, createProgram, createReward, uniqueId } from "@/test/fixtures";

// Every event about a member, whatever path wrote it, names the member by the shop's own id.

afterAll(async () => {
  await prisma.$disconnect();
});

describe("webhook payloads", () => {
  test("every event about a member carries the shop's externalId beside our customerId", async () => {
    const setup = await createProgram({ pendingDays: 3, welcomeBonus: 20, expiryMonths: 12 });
    const customer = await createCustomer(setup.program.id);
    const joined = addMonths(new Date(), -12);
    await enrollCustomer({ program: setup.program, customerId: customer.id, at: joined });
    const order = (externalId: string, cents: number, placedAt: Date) => recordOrder({
      program: setup.program, externalId, member: { externalId: customer.externalId }, currency: "USD", totalCents: cents, placedAt,
      lines: [{ sku: "A", quantity: 2, unitPriceCents: cents / 2 }],
    });
    await order(uniqueId("o"), 10_000, addDays(joined, 1)); // old: its points are about to expire
    await order(uniqueId("o"), 200_000, new Date()); // a big one: a tier move, pending points
    const returned = uniqueId("o");
    await order(returned, 4_000, addDays(new Date(), -10));
    await recordReturn({ programId: setup.program.id, orderExternalId: returned, returnExternalId: uniqueId("r"), lines: [{ sku: "A", quantity: 1 }] });
    const reward = await createReward(setup.program.id, { costPoints: 10 });
    const redeemed = await redeemReward({ programId: setup.program.id, customerId: customer.id, rewardId: reward.id, idempotencyKey: uniqueId("k"), source: "api" });
    await cancelRedemption({ programId: setup.program.id, where: { code: redeemed.code }, by: "shop" });
    await runExpiringSoon(new Date());
    await runPointsAvailable(addDays(new Date(), 4));
    await expireDuePoints({ programId: setup.program.id, at: addDays(new Date(), 40) });

    const events = await prisma.webhookEvent.findMany({ where: { programId: setup.program.id }, orderBy: { id: "asc" } });
    const types = new Set(events.map((event) => event.type));
    for (const type of ["member.enrolled", "points.earned", "points.reversed", "points.available", "points.expiring", "points.expired", "tier.changed", "reward.redeemed", "reward.cancelled"]) {
      expect(types, type).toContain(type);
    }
    for (const event of events) {
      const payload = event.payload as Record<string, unknown>;
      if (payload.customerId === undefined) continue;
      expect(payload.externalId, `${event.type} names the member by the shop's id`).toBe(customer.externalId);
    }
  });
});
