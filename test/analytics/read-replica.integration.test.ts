import { afterAll, describe, expect, test, vi } from "vitest";

// DATABASE_REPLICA_URL routes analytics reads to a second client with its own pool. Here the
// "replica" is the test database itself (a real streaming replica is proven by `npm run cluster`):
// the routing, the freshness figures and the API's freshness headers are what is checked.
vi.hoisted(() => {
  process.env.DATABASE_REPLICA_URL = process.env.DATABASE_URL;
});

const { GET: getOverview } = await import("@/app/api/v1/analytics/overview/route");
const { GET: getImpact } = await import("@/app/api/v1/analytics/impact/route");
const { analyticsDb, analyticsSource, getReplicaLagSeconds } = await import("@/lib/db/analytics-db");
const { getAnalyticsFreshness } = await import("@/lib/db/analytics-reads");
const { prisma } = await import("@/lib/db/prisma");
const { foldAnalytics } = await import("@/lib/services/analytics-rollups");
const { recordOrder } = await import("@/lib/services/record-order");
const { createApiKey, jsonRequest } = await import("@/test/api-helpers");
const { createMember, createProgram, uniqueId } = await import("@/test/fixtures");

afterAll(async () => {
  await Promise.all([prisma.$disconnect(), analyticsDb.$disconnect()]);
});

describe("analytics reads with DATABASE_REPLICA_URL", () => {
  test("go through their own client and see what the primary committed, with the freshness shown", async () => {
    expect(analyticsSource).toBe("replica");
    expect(analyticsDb).not.toBe(prisma);
    const setup = await createProgram({ pendingDays: 0 });
    const { key } = await createApiKey(setup.program.id);
    const member = await createMember(setup.program, new Date(Date.now() - 400 * 86_400_000));
    await recordOrder({
      program: setup.program, externalId: uniqueId("o"), member: { externalId: member.externalId }, currency: "USD", totalCents: 5_000, shippingCents: 0,
      placedAt: new Date(Date.now() - 86_400_000), lines: [{ sku: "A", quantity: 1, unitPriceCents: 5_000 }],
    });
    await foldAnalytics({ programId: setup.program.id });

    // the replica client answers from its own pool (a different backend than the primary's)
    const [[replicaPid], [primaryPid]] = await Promise.all([
      analyticsDb.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`,
      prisma.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`,
    ]);
    expect(replicaPid.pid).not.toBe(primaryPid.pid);

    // a primary is never behind itself; a caught-up replica reads 0 too
    expect(await getReplicaLagSeconds()).toBe(0);
    const freshness = await getAnalyticsFreshness(setup.program.id);
    expect(freshness).toMatchObject({ source: "replica", lagSeconds: 0, pendingChanges: 0 });
    expect(freshness.refreshedAt).toBeInstanceOf(Date);

    const response = await getOverview(jsonRequest("/api/v1/analytics/overview?period=t30", { key, method: "GET" }));
    expect(response.status).toBe(200);
    expect(response.headers.get("hearth-data-source")).toBe("replica");
    expect(Number(response.headers.get("hearth-replica-lag"))).toBe(0);
    const body = await response.json();
    expect(body.populations.find((row: { population: string }) => row.population === "members").current.orders).toBe(1);

    // the stored impact study is read (and computed) on the primary
    const impact = await getImpact(jsonRequest("/api/v1/analytics/impact", { key, method: "GET" }));
    expect(impact.status).toBe(200);
    expect(impact.headers.get("hearth-data-source")).toBe("primary");
  });
});
