import { afterAll, describe, expect, test } from "vitest";
import { API_METHODS } from "@/lib/api/methods";
import { prisma } from "@/lib/db/prisma";

// Every /api/v1 route answers every method in the JSON error envelope: the methods it serves,
// 405 with an Allow header for the others; and a path no route serves is a JSON 404 (the
// catch-all). Checked for every route module, so a new route can't forget it.

afterAll(async () => {
  await prisma.$disconnect();
});

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
const modules = import.meta.glob<Record<string, Handler>>("/app/api/v1/**/route.ts");
const params = { externalId: "nobody", code: "NOPE", id: "1", kind: "orders", path: ["no", "such", "thing"] };

describe("every /api/v1 route and method", () => {
  test("the route modules are found", () => {
    expect(Object.keys(modules).length).toBeGreaterThan(20);
  });

  for (const [file, load] of Object.entries(modules)) {
    test(`${file.replace("/app", "").replace("/route.ts", "")}: every method answers JSON; unsupported ones 405 with Allow`, async () => {
      const route = await load();
      const refused: string[] = [];
      const served: string[] = [];
      for (const method of API_METHODS) {
        expect(typeof route[method], `${method} exported`).toBe("function");
        const request = new Request(`http://localhost${file.replace("/app", "").replace("/route.ts", "").replace(/\[(\.\.\.)?(\w+)\]/g, "x")}`, {
          method, headers: method === "GET" ? {} : { "content-type": "application/json" }, body: method === "GET" ? undefined : "{}",
        });
        const response = await route[method](request, { params: Promise.resolve(params) });
        expect(response.headers.get("content-type") ?? "", `${method} answers JSON`).toContain("application/json");
        if (response.status === 405) {
          refused.push(method);
          const body = await response.json();
          expect(body.error.code).toBe("METHOD_NOT_ALLOWED");
          expect(response.headers.get("allow")).toBeTruthy();
        } else served.push(method);
      }
      if (file.includes("[...path]")) {
        expect(refused).toEqual([]);
      } else {
        expect(served.length, "serves at least one method").toBeGreaterThan(0);
        expect(refused.length, "refuses the others").toBe(API_METHODS.length - served.length);
        const allow = (await (await route[refused[0]](new Request("http://localhost/x", { method: refused[0] }), { params: Promise.resolve(params) })).headers.get("allow"))!;
        for (const method of served) expect(allow).toContain(method);
      }
    });
  }

  test("an unknown path is a JSON 404 for any method", async () => {
    const route = await modules["/app/api/v1/[...path]/route.ts"]();
    for (const method of API_METHODS) {
      const response = await route[method](new Request("http://localhost/api/v1/no/such/thing", { method }), { params: Promise.resolve(params) });
      expect(response.status).toBe(404);
      expect((await response.json()).error).toMatchObject({ code: "NOT_FOUND" });
    }
  });
});
