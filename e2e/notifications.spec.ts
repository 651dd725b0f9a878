import { expect, test } from "@playwright/test";
import { DEMO_API_KEY, joinedBy, members, storageStatePath, uniqueId } from "./fixtures";

// The member is told about expiring points on the dashboard and in the inbox (written by the
// notify job from the event outbox); the marketer sets the reminder window and reads the
// emails in the outbox (no SMTP in tests).

test("an expiring-soon notice on the dashboard, and the inbox fills from the notify job", async ({ browser }) => {
  test.setTimeout(180_000);
  const { page, email, context } = await members.create(browser);
  // an order from 12 months minus 5 days ago: its points expire in 5 days (the demo expires after 12 months)
  const placedAt = new Date();
  placedAt.setUTCMonth(placedAt.getUTCMonth() - 12);
  placedAt.setUTCDate(placedAt.getUTCDate() + 5);
  await joinedBy(email, new Date(placedAt.getTime() - 60_000));
  const response = await page.request.post("/api/v1/orders", {
    headers: { authorization: `Bearer ${DEMO_API_KEY}`, "idempotency-key": uniqueId("idem") },
    data: { externalId: uniqueId("order"), member: { email }, currency: "USD", total: 120, placedAt: placedAt.toISOString(), lines: [{ sku: "E2E-1", category: "home", quantity: 1, unitPrice: 120 }] },
  });
  expect(response.status()).toBe(201);
  await page.goto("/dashboard");
  await expect(page.getByTestId("expiring-notice")).toHaveText(/^120 points expire on .+\. Use them before then\.$/);
  await page.getByRole("link", { name: "Choose a reward" }).click();
  await expect(page).toHaveURL(/\/rewards/);

  // the job runs every minute on PostgreSQL (pg-boss): the welcome arrives in the inbox
  await expect
    .poll(
      async () => {
        await page.goto("/inbox");
        return page.getByTestId("inbox").getByText("Welcome to Hearth Demo Shop").count();
      },
      { timeout: 150_000, intervals: [5_000] },
    )
    .toBe(1);
  await expect(page.getByTestId("inbox-unread")).toBeVisible();
  await page.getByRole("button", { name: "Mark all as read" }).click();
  await expect(page.getByTestId("inbox-unread")).toHaveCount(0);
  await context.close();
});

test.describe("marketer", () => {
  test.use({ storageState: storageStatePath("marketer") });

  test("sets the reminder window and reads a rendered email in the outbox", async ({ page }) => {
    await page.goto("/admin/messages");
    await expect(page.getByTestId("email-mode")).toHaveText(/No SMTP server is configured/);
    await page.getByLabel("Expiry reminder (days ahead)").fill("0");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("Please check the highlighted fields.")).toBeVisible();
    await page.getByLabel("Expiry reminder (days ahead)").fill("30");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("Saved: reminders 30 days ahead.")).toBeVisible();
    const first = page.getByRole("link", { name: /^Welcome to Hearth Demo Shop$/ }).first();
    await expect(first).toBeVisible();
    await first.click();
    await expect(page.getByTestId("email-text")).toContainText("You're in.");
    await expect(page.frameLocator("iframe").getByRole("link", { name: "Open your account" })).toBeVisible();
  });
});
