import { spawn, type ChildProcess } from "node:child_process";
import { expect, request as newRequestContext, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { DEMO_API_KEY, members, storageStatePath, uniqueId } from "./fixtures";

// The points engine from the console: promotions with a preview, action rules fed by the
// events API, webhooks and CSV imports.

const api = { authorization: `Bearer ${DEMO_API_KEY}` };

test.describe("marketer", () => {
  test.use({ storageState: storageStatePath("marketer") });

  test("creates a promotion, previews an order with it, the API earns it, then pauses it", async ({ page, browser }) => {
    const category = uniqueId("e2ecat");
    const name = uniqueId("Triple points");
    await page.goto("/admin/rules");
    const create = page.getByRole("form", { name: "New promotion" });
    await create.getByLabel("Name").fill(name);
    await create.getByLabel("Multiplier (2 = double points)").fill("3");
    await create.getByLabel("Only these categories").fill(category);
    await create.getByRole("button", { name: "Create" }).click();
    await expect(create.getByText(/Saved as version 1/)).toBeVisible();
    await page.reload();
    await expect(page.getByRole("listitem").filter({ hasText: name }).getByText("Running")).toBeVisible();

    const preview = page.getByRole("form", { name: "Preview an order" });
    await preview.getByLabel("Category").fill(category);
    await preview.getByLabel("Unit price (USD)").fill("40");
    await preview.getByRole("button", { name: "Preview" }).click();
    await expect(preview.getByText("This order would earn 120 points.")).toBeVisible();
    await expect(preview.getByText(new RegExp(`${name} \\(version 1\\): \\+80`))).toBeVisible();

    const member = await members.create(browser);
    const order = await page.request.post("/api/v1/orders", {
      headers: { ...api, "idempotency-key": uniqueId("idem") },
      data: { externalId: uniqueId("o"), member: { email: member.email }, currency: "USD", total: 40, placedAt: new Date().toISOString(), lines: [{ sku: "P-1", category, quantity: 1, unitPrice: 40 }] },
    });
    expect((await order.json()).pointsEarned).toBe(120);
    await member.page.goto("/activity");
    await expect(member.page.getByText(/^Promotion on order/)).toBeVisible();

    // pause it: the next order earns the base rate only
    const row = page.getByRole("listitem").filter({ hasText: name });
    await row.getByRole("button", { name: `Edit ${name}` }).click();
    const edit = page.getByRole("form", { name: `Edit ${name}` });
    await edit.getByLabel("Rule active").uncheck();
    await edit.getByRole("button", { name: "Save", exact: true }).click();
    await expect(page.getByRole("listitem").filter({ hasText: name }).getByText("Paused")).toBeVisible();
    const after = await page.request.post("/api/v1/orders", {
      headers: { ...api, "idempotency-key": uniqueId("idem") },
      data: { externalId: uniqueId("o"), member: { email: member.email }, currency: "USD", total: 40, placedAt: new Date().toISOString(), lines: [{ sku: "P-1", category, quantity: 1, unitPrice: 40 }] },
    });
    expect((await after.json()).pointsEarned).toBe(40);
    await member.context.close();
  });

  test("sets the review rule; a review reported through the events API earns it, once", async ({ page, browser }) => {
    await page.goto("/admin/rules");
    const review = page.getByRole("form", { name: "Product review" });
    const versionText = review.getByText(/^Version \d+$/);
    const before = Number((await versionText.textContent())!.match(/\d+/)![0]);
    await review.getByLabel("Points").fill("35");
    await review.getByRole("button", { name: /Save/ }).click();
    // wait for this save to land (the version moves on), not for text that was already there
    await expect(versionText).toHaveText(`Version ${before + 1}`);
    const member = await members.create(browser);
    const send = () => page.request.post("/api/v1/events", { headers: { ...api, "idempotency-key": uniqueId("idem") }, data: { member: { email: member.email }, type: "review", externalId: `rev-${member.email}` } });
    expect(await (await send()).json()).toMatchObject({ awarded: true, points: 35 });
    expect(await (await send()).json()).toMatchObject({ awarded: true, points: 35 }); // the same review again: the first answer, no new points
    await member.page.goto("/activity");
    await expect(member.page.getByText("Product review")).toHaveCount(1);
    // the public program page states the new value at once
    await member.page.goto("/program");
    await expect(member.page.getByText(/^35 points for a product review \(up to 5 times a month\)\.$/)).toBeVisible();
    await member.context.close();
  });

  test("bad promotion input shows field errors and saves nothing", async ({ page }) => {
    await page.goto("/admin/rules");
    const create = page.getByRole("form", { name: "New promotion" });
    await create.getByLabel("Multiplier (2 = double points)").fill("0.5");
    await create.getByRole("button", { name: "Create" }).click();
    await expect(create.getByText("Check this value.").first()).toBeVisible();
  });
});

test.describe("admin", () => {
  test.use({ storageState: storageStatePath("admin") });

  test("adds a webhook endpoint: the signing secret is shown once and the endpoint is listed", async ({ page }) => {
    await page.goto("/admin/webhooks");
    await page.getByLabel("Endpoint URL").fill("not a url");
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await expect(page.getByText("Enter a full http:// or https:// address.")).toBeVisible();
    const url = `https://shop.example/hooks/${uniqueId("h")}`;
    await page.getByLabel("Endpoint URL").fill(url);
    await page.getByLabel("points.earned").check();
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await expect(page.getByTestId("webhook-secret")).toHaveText(/^whsec_/);
    await expect(page.getByRole("row", { name: new RegExp(url) })).toBeVisible();
    await page.reload();
    await expect(page.getByTestId("webhook-secret")).toHaveCount(0);
  });

  test("imports opening balances from a CSV with progress and per-row errors", async ({ page, browser }) => {
    const member = await members.create(browser);
    // the member's external id: look it up by email through the console search
    await page.goto(`/admin/members?q=${encodeURIComponent(member.email)}`);
    await page.getByRole("link", { name: "Erin Example" }).click();
    const externalId = (await page.getByTestId("member-external-id").textContent())!.trim();
    await page.goto("/admin/imports");
    await page.getByLabel("What the file holds").selectOption("BALANCES");
    await page.getByLabel("CSV file").setInputFiles({ name: "balances.csv", mimeType: "text/csv", buffer: Buffer.from(`member_id,points,note\n${externalId},250,from the old shop\nghost-member,10,\n`) });
    await page.getByRole("button", { name: "Import" }).click();
    await expect(page.getByRole("heading", { name: "Done" })).toBeVisible();
    await expect(page.getByText("2 of 2 rows")).toBeVisible();
    await expect(page.getByRole("cell", { name: /no customer ghost-member/ })).toBeVisible();
    await member.page.goto("/activity");
    await expect(member.page.getByText("Opening balance: from the old shop")).toBeVisible();
    await member.context.close();
  });
});

test.describe("public program page", () => {
  test("is generated from the live configuration, without logging in", async ({ browser }) => {
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    await page.goto("/program");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("how the loyalty program works");
    await expect(page.getByText("get 100 welcome points straight away")).toBeVisible();
    await expect(page.getByText("1 point for every USD 1 you spend on products.")).toBeVisible();
    await expect(page.getByText("These categories don't earn points: gift-cards.")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Gold" })).toBeVisible();
    await expect(page.getByText("Points expire 12 months after you earn them.")).toBeVisible();
    await expect(page.getByRole("link", { name: "Join the program" })).toHaveAttribute("href", "/join");
    await context.close();
  });
});

test.describe("the API's edges over real HTTP", () => {
  test("a wrong method is a JSON 405 with Allow and an unknown path a JSON 404, never an HTML page", async ({ request }) => {
    const wrong = await request.delete("/api/v1/orders", { headers: api });
    expect(wrong.status()).toBe(405);
    expect(wrong.headers()["allow"]).toBe("POST, OPTIONS");
    expect((await wrong.json()).error.code).toBe("METHOD_NOT_ALLOWED");
    const post = await request.post("/api/v1/analytics/points", { headers: api, data: {} });
    expect(post.status()).toBe(405);
    expect(post.headers()["allow"]).toContain("GET");
    for (const path of ["/api/v1/nothing-here", "/api/v1/members/someone/unknown-part"]) {
      const missing = await request.get(path, { headers: api });
      expect(missing.status(), path).toBe(404);
      expect(missing.headers()["content-type"]).toContain("application/json");
      expect((await missing.json()).error.code).toBe("NOT_FOUND");
    }
    // a path that isn't valid percent-encoding: a JSON 400 (Next.js alone answers a bare 500)
    for (const path of ["/api/v1/members/bad%ZZ", "/api/v1/members/%E0%A4%A/ledger", "/api/v1/analytics/overview%"]) {
      const malformed = await request.get(path, { headers: api });
      expect(malformed.status(), path).toBe(400);
      expect((await malformed.json()).error.code, path).toBe("BAD_REQUEST");
    }
  });
});

// scripts/server.mjs hands the API's hot routes (member and balance reads, orders, returns, events,
// redemptions) straight to their route handlers. A second server with HEARTH_FAST_API=off serves
// the same requests through Next.js's router: status, body and headers must not differ.
test.describe("the hot routes answer as the rest of the API", () => {
  test.describe.configure({ timeout: 180_000 });
  const port = Number(process.env.E2E_PORT ?? 3100) + 7;
  let plainServer: ChildProcess;
  let fast: APIRequestContext;
  let plain: APIRequestContext;

  test.beforeAll(async () => {
    plainServer = spawn(process.execPath, ["scripts/server.mjs", "-p", String(port), "-H", "127.0.0.1"], {
      env: { ...process.env, NODE_ENV: "production", HEARTH_FAST_API: "off", HEARTH_JOBS: "off", AUTH_SECRET: process.env.AUTH_SECRET ?? "e2e-secret-e2e-secret-e2e-secret" },
      stdio: "ignore",
    });
    const started = Date.now();
    for (;;) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/login`)).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() - started > 120_000) throw new Error("the second server did not start");
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    fast = await newRequestContext.newContext({ baseURL: process.env.E2E_BASE_URL ?? `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3100)}` });
    plain = await newRequestContext.newContext({ baseURL: `http://127.0.0.1:${port}` });
  });

  test.afterAll(async () => {
    await fast?.dispose();
    await plain?.dispose();
    plainServer?.kill("SIGTERM");
  });

  // headers that belong to the connection or to Next.js's page router, not to the answer
  const transport = new Set(["date", "connection", "keep-alive", "transfer-encoding", "content-length", "vary"]);
  const answerHeaders = (response: APIResponse) =>
    Object.fromEntries(Object.entries(response.headers()).filter(([name]) => !transport.has(name)).sort(([a], [b]) => a.localeCompare(b)));

  async function same(label: string, send: (context: APIRequestContext) => Promise<APIResponse>) {
    const [a, b] = [await send(fast), await send(plain)];
    expect(a.status(), label).toBe(b.status());
    expect(answerHeaders(a), label).toEqual(answerHeaders(b));
    expect(await a.text(), label).toBe(await b.text());
    return a;
  }

  test("reads, refusals and replays are the same whichever way they are served", async () => {
    const list = await (await fast.get("/api/v1/members?limit=100", { headers: api })).json();
    const rich = [...list.members].filter((member: { isMember: boolean }) => member.isMember).sort((x: { points: { available: number } }, y: { points: { available: number } }) => y.points.available - x.points.available)[0];
    expect(rich, "a demo member with points").toBeTruthy();
    const id = rich.externalId as string;

    const read = await same("member", (c) => c.get(`/api/v1/members/${id}`, { headers: api }));
    // the two ways really differ: Next.js's router adds its RSC Vary header, the hot path doesn't
    expect(read.headers()["vary"], "served by the hot path").toBeUndefined();
    expect((await plain.get(`/api/v1/members/${id}`, { headers: api })).headers()["vary"], "served by Next.js").toContain("rsc");
    await same("balance", (c) => c.get(`/api/v1/members/${id}/balance`, { headers: api }));
    await same("percent-encoded id", (c) => c.get(`/api/v1/members/${encodeURIComponent(id).replace("-", "%2D")}/balance`, { headers: api }));
    await same("unknown member", (c) => c.get("/api/v1/members/nobody-here/balance", { headers: api }));
    await same("id with a space", (c) => c.get("/api/v1/members/two%20words", { headers: api }));
    await same("malformed escape", (c) => c.get("/api/v1/members/bad%ZZ/balance", { headers: api }));
    await same("no key", (c) => c.get(`/api/v1/members/${id}`));
    await same("wrong key", (c) => c.get(`/api/v1/members/${id}`, { headers: { authorization: "Bearer nope" } }));
    await same("query string", (c) => c.get(`/api/v1/members/${id}/balance?x=1`, { headers: api }));

    const order = (externalId: string) => ({ externalId, member: { externalId: id }, currency: "USD", total: 80, placedAt: new Date().toISOString(), lines: [{ sku: "HOT-1", quantity: 2, unitPrice: 40 }] });
    await same("order without a key", (c) => c.post("/api/v1/orders", { headers: api, data: order(uniqueId("o")) }));
    await same("order, bad JSON", (c) => c.post("/api/v1/orders", { headers: { ...api, "idempotency-key": uniqueId("k"), "content-type": "application/json" }, data: "{not json" }));
    await same("order, wrong type", (c) => c.post("/api/v1/orders", { headers: { ...api, "idempotency-key": uniqueId("k"), "content-type": "text/plain" }, data: "{}" }));
    await same("order, invalid", (c) => c.post("/api/v1/orders", { headers: { ...api, "idempotency-key": uniqueId("k") }, data: { externalId: "x", total: -1 } }));
    await same("order, body over 1 MB", (c) => c.post("/api/v1/orders", { headers: { ...api, "idempotency-key": uniqueId("k"), "content-type": "application/json" }, data: `{"pad":"${"x".repeat(1_100_000)}"}` }));

    // a write through one server, its replay through the other: the stored answer, byte for byte
    const orderKey = uniqueId("k");
    const orderId = uniqueId("o");
    const placed = await fast.post("/api/v1/orders", { headers: { ...api, "idempotency-key": orderKey }, data: order(orderId) });
    expect(placed.status()).toBe(201);
    await same("order replay", (c) => c.post("/api/v1/orders", { headers: { ...api, "idempotency-key": orderKey }, data: order(orderId) }));
    await same("order replay with another body", (c) => c.post("/api/v1/orders", { headers: { ...api, "idempotency-key": orderKey }, data: order(uniqueId("o")) }));
    const other = await plain.post("/api/v1/orders", { headers: { ...api, "idempotency-key": uniqueId("k") }, data: order(uniqueId("o")) });
    expect(other.status()).toBe(201);
    expect(Object.keys(await other.json()).sort()).toEqual(Object.keys(await placed.json()).sort());
    expect(answerHeaders(other)).toEqual(answerHeaders(placed));

    const returnKey = uniqueId("k");
    const returnBody = { externalId: uniqueId("r"), lines: [{ sku: "HOT-1", quantity: 1 }] };
    const returned = await plain.post(`/api/v1/orders/${orderId}/returns`, { headers: { ...api, "idempotency-key": returnKey }, data: returnBody });
    expect(returned.status()).toBe(201);
    await same("return replay", (c) => c.post(`/api/v1/orders/${orderId}/returns`, { headers: { ...api, "idempotency-key": returnKey }, data: returnBody }));
    await same("return of an unknown order", (c) => c.post("/api/v1/orders/no-such-order/returns", { headers: { ...api, "idempotency-key": uniqueId("k") }, data: { externalId: "r1", lines: [{ sku: "HOT-1", quantity: 1 }] } }));

    const event = { member: { externalId: id }, type: "review", externalId: uniqueId("review"), occurredAt: new Date().toISOString() };
    const eventKey = uniqueId("k");
    expect((await fast.post("/api/v1/events", { headers: { ...api, "idempotency-key": eventKey }, data: event })).status()).toBeLessThan(300);
    await same("event replay", (c) => c.post("/api/v1/events", { headers: { ...api, "idempotency-key": eventKey }, data: event }));
    await same("event, unknown type", (c) => c.post("/api/v1/events", { headers: { ...api, "idempotency-key": uniqueId("k") }, data: { ...event, type: "nope" } }));

    const rewards = (await (await fast.get("/api/v1/rewards", { headers: api })).json()).rewards as { id: number; costPoints: number }[];
    const reward = rewards.filter((candidate) => candidate.costPoints <= rich.points.available).sort((x, y) => x.costPoints - y.costPoints)[0];
    expect(reward, "a reward the member can afford").toBeTruthy();
    const redeemKey = uniqueId("k");
    const redeemed = await plain.post(`/api/v1/members/${id}/redemptions`, { headers: { ...api, "idempotency-key": redeemKey }, data: { rewardId: reward.id } });
    expect(redeemed.status()).toBe(201);
    await same("redemption replay", (c) => c.post(`/api/v1/members/${id}/redemptions`, { headers: { ...api, "idempotency-key": redeemKey }, data: { rewardId: reward.id } }));
    await same("redemption of an unknown reward", (c) => c.post(`/api/v1/members/${id}/redemptions`, { headers: { ...api, "idempotency-key": uniqueId("k") }, data: { rewardId: 2_000_000_000 } }));
    await same("redemption for an unknown member", (c) => c.post("/api/v1/members/nobody-here/redemptions", { headers: { ...api, "idempotency-key": uniqueId("k") }, data: { rewardId: reward.id } }));
    await same("balance after", (c) => c.get(`/api/v1/members/${id}/balance`, { headers: api }));
  });
});
