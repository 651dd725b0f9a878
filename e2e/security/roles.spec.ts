import { expect, test } from "@playwright/test";
import { DEMO_API_KEY, storageStatePath, type DemoRole } from "../fixtures";

// Each forbidden path is opened directly, not through the navigation.
const forbidden: Record<DemoRole, string[]> = {
  member: ["/admin/analytics", "/admin/analytics/cohorts", "/admin/analytics/impact", "/admin/analytics/money", "/admin/analytics/customers", "/admin/rewards", "/admin/rules", "/admin/offers", "/admin/offers/1", "/admin/challenges", "/admin/tiers", "/admin/messages", "/admin/members", "/admin/referrals", "/admin/staff", "/admin/api-keys", "/admin/webhooks", "/admin/imports"],
  marketer: ["/admin/analytics", "/admin/analytics/cohorts", "/admin/analytics/impact", "/admin/analytics/money", "/admin/analytics/customers", "/admin/staff", "/admin/api-keys", "/admin/webhooks", "/admin/imports", "/dashboard", "/rewards", "/offers", "/challenges"],
  manager: ["/admin/rewards", "/admin/rewards/new", "/admin/rules", "/admin/offers", "/admin/offers/1", "/admin/challenges", "/admin/tiers", "/admin/messages", "/admin/staff", "/admin/api-keys", "/admin/webhooks", "/admin/imports", "/dashboard"],
  admin: ["/dashboard", "/rewards", "/activity", "/inbox", "/offers", "/challenges"],
};

for (const [role, paths] of Object.entries(forbidden) as [DemoRole, string[]][]) {
  test.describe(`${role} is refused`, () => {
    test.use({ storageState: storageStatePath(role) });
    for (const path of paths) {
      test(path, async ({ page }) => {
        const response = await page.goto(path);
        expect(response?.status()).toBe(403);
        await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
      });
    }
  });
}

test.describe("signed out", () => {
  for (const path of ["/dashboard", "/rewards", "/activity", "/admin/analytics", "/admin/staff"]) {
    test(`${path} asks to log in`, async ({ page }) => {
      await page.goto(path);
      await expect(page).toHaveURL(/\/login/);
    });
  }
});

test("the API refuses requests without a valid key, with JSON errors", async ({ request }) => {
  const missing = await request.get("/api/v1/members/demo-member");
  expect(missing.status()).toBe(401);
  expect((await missing.json()).error.code).toBe("UNAUTHENTICATED");
  const wrong = await request.post("/api/v1/orders", { headers: { authorization: "Bearer hearth_not_a_key", "idempotency-key": "x" }, data: {} });
  expect(wrong.status()).toBe(401);
  const ok = await request.get("/api/v1/members/demo-member", { headers: { authorization: `Bearer ${DEMO_API_KEY}` } });
  expect(ok.status()).toBe(200);
  expect(await ok.json()).toMatchObject({ externalId: "demo-member", tier: "Silver" });
});

test("the OpenAPI document is public and describes the endpoints", async ({ request }) => {
  const response = await request.get("/api/v1/openapi.json");
  expect(response.status()).toBe(200);
  const document = await response.json();
  expect(document.openapi).toBe("3.1.0");
  expect(Object.keys(document.paths)).toContain("/orders");
});

test.describe("security headers", () => {
  test("every page and API answer carries CSP, frame-ancestors, referrer policy and nosniff; HSTS only behind https", async ({ request }) => {
    for (const path of ["/login", "/program", "/api/v1/openapi.json", "/api/v1/nothing-here"]) {
      const response = await request.get(path);
      const headers = response.headers();
      expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
      expect(headers["content-security-policy"], path).toContain("default-src 'self'");
      expect(headers["x-frame-options"], path).toBe("DENY");
      expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
      expect(headers["x-content-type-options"], path).toBe("nosniff");
      expect(headers["strict-transport-security"], path).toBeUndefined();
    }
    const secure = await request.get("/login", { headers: { "x-forwarded-proto": "https" } });
    expect(secure.headers()["strict-transport-security"]).toContain("max-age=");
  });
});

test.describe("the 403 page's way out", () => {
  test.use({ storageState: storageStatePath("member") });

  test("'Go to your start page' keeps the host the browser used and the session", async ({ page, request }) => {
    // the redirect is relative: whatever Host the server is reached under, the browser stays on it
    for (const host of [undefined, "shop.example", "localhost:9"]) {
      const response = await request.get("/start", { maxRedirects: 0, headers: host ? { host } : {} });
      expect(response.status()).toBe(307);
      expect(response.headers()["location"]).toBe("/dashboard");
    }
    await page.goto("/admin/staff");
    await page.getByRole("link", { name: "Go to your start page" }).click();
    await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/dashboard$/);
    await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
    await expect(page).not.toHaveURL(/login/);
  });
});

test("the app's icons and web manifest are served from public/", async ({ request, page }) => {
  for (const path of ["/favicon.ico", "/favicon.svg", "/logo.svg", "/icon-192.png", "/icon-512.png"]) expect((await request.get(path)).status(), path).toBe(200);
  const manifest = await (await request.get("/manifest.webmanifest")).json();
  expect(manifest).toMatchObject({ short_name: "Hearth", start_url: "/start" });
  await page.goto("/login");
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
  await expect(page.locator('link[rel="icon"]').first()).toHaveAttribute("href", /favicon/);
});

test.describe("403 and 404 pages keep the header and navigation", () => {
  test.describe("member", () => {
    test.use({ storageState: storageStatePath("member") });
    test("a console page (403) and a missing page (404) show the member's navigation, and the start link keeps the session", async ({ page }) => {
      const forbiddenResponse = await page.goto("/admin/analytics");
      expect(forbiddenResponse?.status()).toBe(403);
      const nav = page.getByRole("navigation", { name: "Main navigation" });
      await expect(nav.getByRole("link", { name: "Rewards" })).toBeVisible();
      await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
      await page.getByRole("link", { name: "Go to your start page" }).click();
      await expect(page).toHaveURL(/\/dashboard/);
      const missing = await page.goto("/no-such-page");
      expect(missing?.status()).toBe(404);
      await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
      await nav.getByRole("link", { name: "Activity" }).click();
      await expect(page).toHaveURL(/\/activity/);
    });
  });
  test.describe("marketer", () => {
    test.use({ storageState: storageStatePath("marketer") });
    test("a 403 shows the console's navigation for the role", async ({ page }) => {
      expect((await page.goto("/admin/staff"))?.status()).toBe(403);
      const nav = page.getByRole("navigation", { name: "Main navigation" });
      await expect(nav.getByRole("link", { name: "Rewards" })).toBeVisible();
      await expect(nav.getByRole("link", { name: "Staff" })).toHaveCount(0);
    });
  });
  test("signed out, a 404 offers log in and join", async ({ page }) => {
    expect((await page.goto("/no-such-page"))?.status()).toBe(404);
    await expect(page.getByRole("banner").getByRole("link", { name: "Log in" })).toBeVisible();
  });
});
