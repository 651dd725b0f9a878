import { expect, test } from "@playwright/test";
import { seriousViolations, storageStatePath } from "./fixtures";

// Automated accessibility checks (axe-core, WCAG 2.1 A/AA rules): no serious or critical
// violation on any member page or public page, on a desktop and a 360 px wide screen.

const viewports = [
  { name: "desktop", width: 1280, height: 900 },
  { name: "phone", width: 360, height: 780 },
];

test.describe("public pages", () => {
  for (const path of ["/", "/login", "/join", "/program", "/forgot-password", "/reset-password?token=not-a-valid-token-at-all", "/join/confirm?token=not-a-valid-token-at-all"]) {
    for (const viewport of viewports) {
      test(`${path} (${viewport.name})`, async ({ page }) => {
        await page.setViewportSize(viewport);
        await page.goto(path);
        expect(await seriousViolations(page)).toEqual([]);
      });
    }
  }
});

test.describe("member pages", () => {
  test.use({ storageState: storageStatePath("member") });
  for (const path of ["/dashboard", "/rewards", "/offers", "/challenges", "/activity", "/profile", "/inbox"]) {
    for (const viewport of viewports) {
      test(`${path} (${viewport.name})`, async ({ page }) => {
        await page.setViewportSize(viewport);
        await page.goto(path);
        expect(await seriousViolations(page)).toEqual([]);
      });
    }
  }

  test("/dashboard in Korean", async ({ page, context }) => {
    await context.addCookies([{ name: "NEXT_LOCALE", value: "ko", url: test.info().project.use.baseURL! }]);
    await page.goto("/dashboard");
    expect(await seriousViolations(page)).toEqual([]);
  });
});
