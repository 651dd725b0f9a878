import { afterAll, expect, test } from "vitest";
import { inject } from "vitest";
import { apiError, handleApi } from "@/lib/api/handle-api";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { createPrismaClient, prisma } from "@/lib/db/prisma";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";

// When PostgreSQL restarts or fails over, API requests answer 503 with Retry-After (not 500), so
// clients and balancers retry; errors that are the request's or the code's own stay 500 (issue 12,
// the soak's PostgreSQL restart window). Real errors from real connections, no mocks.

const unreachable = createPrismaClient("postgresql://postgres@127.0.0.1:1/nothing_listens_here");
const second = createPrismaClient(inject("databaseUrl"));

afterAll(async () => {
  await Promise.all([unreachable.$disconnect().catch(() => {}), second.$disconnect(), prisma.$disconnect()]);
});

async function answer(work: () => Promise<unknown>) {
  const route = handleApi(async () => {
    await work();
    return apiError(418, "NOT_REACHED", "the work should have failed");
  });
  const response = await route(new Request("http://localhost/api/v1/test"));
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body: (await response.json()) as { error: { code: string; message: string } } };
}

test("no database listening: 503 UNAVAILABLE with Retry-After", async () => {
  const result = await answer(() => unreachable.$queryRaw`SELECT 1`);
  expect(result.status).toBe(503);
  expect(result.retryAfter).toBe("2");
  expect(result.body.error.code).toBe("UNAVAILABLE");
  expect(result.body.error.message).toMatch(/retry shortly \(reference [0-9a-f-]{36}\)/);
});

test("the connection is terminated by the server mid-transaction (as on a restart): 503, and the transaction's write is gone", async () => {
  await second.$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS unavailable_probe (id int)`);
  const result = await answer(() =>
    second.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`INSERT INTO unavailable_probe VALUES (1)`);
      const [{ pid }] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
      await prisma.$queryRaw`SELECT pg_terminate_backend(${pid}::int)`;
      await tx.$queryRaw`SELECT 1`;
    }),
  );
  expect(result.status).toBe(503);
  expect(result.retryAfter).toBe("2");
  const [{ count }] = await prisma.$queryRaw<{ count: number }[]>`SELECT COUNT(*)::int AS count FROM unavailable_probe`;
  expect(count).toBe(0);
  // the pool replaces the dead connection: the next request works
  expect(await second.$queryRaw<{ one: number }[]>`SELECT 1 AS one`).toEqual([{ one: 1 }]);
});

test("the request's own database errors stay 500: a bad statement, a unique violation", async () => {
  const bad = await answer(() => prisma.$queryRawUnsafe(`SELECT * FROM no_such_table_here`));
  expect(bad.status).toBe(500);
  expect(bad.retryAfter).toBeNull();
  await prisma.$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS unavailable_unique (id int PRIMARY KEY)`);
  await prisma.$executeRawUnsafe(`INSERT INTO unavailable_unique VALUES (1) ON CONFLICT DO NOTHING`);
  const duplicate = await answer(() => prisma.$executeRawUnsafe(`INSERT INTO unavailable_unique VALUES (1)`));
  expect(duplicate.status).toBe(500);
  expect(isDatabaseUnavailable(new Error("boom"))).toBe(false);
  expect(isDatabaseUnavailable(null)).toBe(false);
});

test("every operation documents the 503 with its Retry-After header", () => {
  const document = buildOpenApiDocument() as unknown as {
    paths: Record<string, Record<string, { responses: Record<string, { $ref?: string }> }>>;
    components: { responses: Record<string, { headers?: Record<string, unknown> }> };
  };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      expect(operation.responses["503"], `${method} ${path}`).toEqual({ $ref: "#/components/responses/Unavailable" });
    }
  }
  expect(Object.keys(document.components.responses.Unavailable.headers ?? {})).toEqual(["Retry-After"]);
});
