import { afterAll, describe, expect, test } from "vitest";
import { prisma } from "@/lib/db/prisma";
import { getMemberPoints, getPointsOf } from "@/lib/db/member-points";
import { locales } from "@/lib/i18n/locales";
import { recordOrder } from "@/lib/services/record-order";
import { renderNotification } from "@/lib/services/render-notification";
import { createMember, createProgram, uniqueId } from "@/test/fixtures";

// One definition of each points figure (docs/member-points.md): the console's member list shows
// the same available and pending points as the member detail and the member's dashboard, never
// the ledger's running sum (which still holds expired points until the hourly run removes them);
// messages don't quote a balance that would disagree with the dashboard.

afterAll(async () => {
  await prisma.$disconnect();
});

describe("member points figures", () => {
  test("the list's figures equal the detail's; expired points not yet swept count nowhere", async () => {
    const { program } = await createProgram({ pendingDays: 14 });
    const member = await createMember(program, new Date(Date.now() - 90 * 86_400_000));
    const order = (total: number, daysAgo: number) => recordOrder({
      program, externalId: uniqueId("o"), member: { externalId: member.externalId }, currency: "USD", totalCents: total, placedAt: new Date(Date.now() - daysAgo * 86_400_000),
      lines: [{ sku: "A", quantity: 1, unitPriceCents: total }],
    });
    await order(10_000, 60); // 100 available
    await order(5_000, 30); // 50 available, then expired below (not swept)
    await order(2_000, 1); // 20 pending
    const lot = await prisma.pointLot.findFirstOrThrow({ where: { account: { customerId: member.id }, remaining: 50 } });
    await prisma.pointLot.update({ where: { id: lot.id }, data: { expiresAt: new Date(Date.now() - 60_000) } });

    const detail = await getMemberPoints(member.id);
    expect(detail).toMatchObject({ available: 100, pending: 20 });
    expect(detail.balance).toBe(170); // the ledger's running sum still holds the 50 expired points
    const list = await getPointsOf([member.id]);
    expect(list.get(member.id)).toEqual({ available: detail.available, pending: detail.pending });
  });

  test("messages state what happened, not a balance, in every language", async () => {
    for (const locale of locales) {
      for (const order of ["A-1001", null]) {
        const { body } = await renderNotification({ kind: "points_earned", data: { points: 7, balance: 98_765, date: "2026-12-14T00:00:00.000Z", order }, locale });
        expect(body, `${locale} ${order ? "order" : "action"}`).not.toMatch(/98/);
      }
    }
  });
});
