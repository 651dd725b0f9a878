import Papa from "papaparse";
import { afterAll, describe, expect, test } from "vitest";
import { GET as getCohorts } from "@/app/api/v1/analytics/cohorts/route";
import { GET as getImpact } from "@/app/api/v1/analytics/impact/route";
import { GET as getOverview } from "@/app/api/v1/analytics/overview/route";
import { GET as getPoints } from "@/app/api/v1/analytics/points/route";
import { prisma } from "@/lib/db/prisma";
import { foldAnalytics } from "@/lib/services/analytics-rollups";
import { recordOrder } from "@/lib/services/record-order";
import { createApiKey, jsonRequest } from "@/test/api-helpers";
import { createMember, createProgram, uniqueId } from "@/test/fixtures";

// GET /api/v1/analytics/*: the same figures as the console, as JSON or CSV, for BI tools; only
// with an API key of the program; bad queries are a 422, never a 500.

afterAll(async () => {
  await prisma.$disconnect();
});

async function shop() {
  const setup = await createProgram({ pendingDays: 0 });
  const { key } = await createApiKey(setup.program.id);
  const member = await createMember(setup.program, new Date(Date.now() - 400 * 86_400_000));
  for (const daysAgo of [1, 2, 40]) {
    await recordOrder({
      program: setup.program, externalId: uniqueId("o"), member: { externalId: member.externalId }, currency: "USD", totalCents: 12_345, shippingCents: 345,
      placedAt: new Date(Date.now() - daysAgo * 86_400_000), lines: [{ sku: "A", quantity: 1, unitPriceCents: 12_000 }],
    });
  }
  await foldAnalytics({ programId: setup.program.id });
  return { setup, key };
}

const get = (handler: (request: Request) => Promise<Response>, path: string, key?: string) => handler(jsonRequest(path, { key, method: "GET" }));

describe("GET /api/v1/analytics/*", () => {
  test("overview as JSON and as CSV with the same figures; other programs' keys see only their own", async () => {
    const { key } = await shop();
    const response = await get(getOverview, "/api/v1/analytics/overview?period=t30", key);
    expect(response.status).toBe(200);
    const body = await response.json();
    const members = body.populations.find((row: { population: string }) => row.population === "members");
    expect(members.current).toEqual({ netRevenue: 240, orders: 2, activeCustomers: 1, repeatCustomers: 1, averageOrderValue: 120, purchaseFrequency: 2, repeatPurchaseRate: 1 });
    expect(members.previous).toMatchObject({ netRevenue: 120, orders: 1 });
    expect(body.period).toMatchObject({ kind: "t30", isPartial: true });
    const csv = await get(getOverview, "/api/v1/analytics/overview?period=t30&format=csv", key);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const rows = Papa.parse<Record<string, string>>((await csv.text()).replace(/^\uFEFF/, ""), { header: true, skipEmptyLines: true }).data;
    expect(rows.find((row) => row.population === "members" && row.period === "current")).toMatchObject({ net_revenue: "240", orders: "2", repeat_purchase_rate: "1" });
    expect(rows).toHaveLength(body.populations.length * 2);

    const other = await shop();
    const theirs = await (await get(getOverview, "/api/v1/analytics/overview?period=t30", other.key)).json();
    // their own two orders of the last 30 days, none of the first shop's
    expect(theirs.populations.find((row: { population: string }) => row.population === "all").current.orders).toBe(2);
  });

  test("cohorts, points and impact answer with their reports", async () => {
    const { key } = await shop();
    const cohorts = await (await get(getCohorts, "/api/v1/analytics/cohorts?kind=join&segment=members", key)).json();
    expect(cohorts.kind).toBe("join");
    expect(cohorts.cohorts).toHaveLength(12);
    const points = await (await get(getPoints, "/api/v1/analytics/points", key)).json();
    expect(points.outstanding.available).toBe(360); // 3 orders x 120 points
    expect(points.liability.gross).toBe(3.6);
    const curves = await (await get(getPoints, "/api/v1/analytics/points?format=csv&table=curves", key)).text();
    expect(curves).toContain("earned_in,points_earned,month_of_age,share_redeemed,partial");
    const ages = await (await get(getPoints, "/api/v1/analytics/points?format=csv&table=ages", key)).text();
    expect(ages).toContain("months_ago,points,value");
    expect((await get(getPoints, "/api/v1/analytics/points?table=pies", key)).status).toBe(422);
    const impact = await get(getImpact, "/api/v1/analytics/impact?format=csv", key);
    expect(await impact.text()).toContain("orders_per_customer_month");
  });

  test.each([
    ["/api/v1/analytics/overview?period=fortnight"],
    ["/api/v1/analytics/overview?period=custom&from=2026-03-10&to=2026-03-01"],
    ["/api/v1/analytics/overview?period=custom&from=2026-02-30&to=2026-03-01"],
    ["/api/v1/analytics/overview?format=xml"],
    ["/api/v1/analytics/cohorts?kind=join&segment=all"],
    ["/api/v1/analytics/cohorts?kind=sideways"],
  ])("%s is a 422 with the JSON error envelope", async (path) => {
    const { key } = await shop();
    const handler = path.includes("cohorts") ? getCohorts : getOverview;
    const response = await get(handler, path, key);
    expect(response.status).toBe(422);
    expect((await response.json()).error.code).toBe("VALIDATION");
  });

  test("without a valid key: 401", async () => {
    expect((await get(getOverview, "/api/v1/analytics/overview")).status).toBe(401);
    expect((await get(getPoints, "/api/v1/analytics/points", "hearth_not_a_key")).status).toBe(401);
  });
});
