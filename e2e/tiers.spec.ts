import { expect, test } from "@playwright/test";
import { DEMO_API_KEY, members, postOrder, storageStatePath } from "./fixtures";

// Tiers and tier-exclusive rewards, end to end: the member earns their way to Silver, sees what
// it gives and what keeps it, and redeems a reward only Silver and Gold may have; the marketer
// previews a tier change before saving it and sets a VIP floor.

test("a member earns their way to Silver and redeems a reward only Silver and Gold may have", async ({ browser }) => {
  const { page, email, context } = await members.create(browser);
  await expect(page.getByTestId("tier-name")).toHaveText("Bronze");
  await expect(page.getByTestId("tier-next")).toHaveText(/\$500 more within 12 months reaches Silver\./);

  await page.goto("/rewards");
  const preview = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Preview evening" }) });
  await expect(preview.getByText("Only for Silver, Gold members")).toBeVisible();
  await expect(preview.getByText("Reach Silver to unlock this reward")).toBeVisible();
  await expect(preview.getByRole("button", { name: "Redeem" })).toBeDisabled();

  const first = await postOrder(page.request, email, 600);
  expect(first.tier).toBe("Silver");
  const second = await postOrder(page.request, email, 700);
  expect(second.pointsEarned).toBe(875); // Silver earns x1.25
  await page.goto("/dashboard");
  await expect(page.getByTestId("tier-name")).toHaveText("Silver");
  await expect(page.getByText("Offers 12 hours before everyone else")).toBeVisible();
  await expect(page.getByText("100 extra points on your birthday")).toBeVisible();
  await expect(page.getByTestId("tier-next")).toHaveText(/\$200 more by .+ reaches Gold\./);
  await expect(page.getByTestId("tier-keep")).toHaveText(/^Silver is yours until at least .+\.$/);

  await page.goto("/rewards");
  await expect(preview.getByText("Reach Silver to unlock this reward")).toHaveCount(0);
  await preview.getByRole("button", { name: "Redeem" }).click();
  await preview.getByRole("button", { name: "Redeem" }).click(); // confirm
  await expect(preview.getByTestId("reward-code")).toHaveText(/^HRTH-/);
  await expect(page.getByTestId("rewards-available")).toContainText("75"); // 100 + 600 + 875 - 1,500
  await context.close();
});

test.describe("marketer", () => {
  test.use({ storageState: storageStatePath("marketer") });

  test("previews a tier change, then saves it; the program page follows", async ({ page }) => {
    await page.goto("/admin/tiers");
    await expect(page.getByRole("heading", { name: "Tiers", exact: true })).toBeVisible();
    const save = page.getByRole("button", { name: "Save tiers" });
    await expect(save).toBeDisabled();
    const description = `For regulars (${Date.now()})`;
    await page.getByLabel("Description for members").nth(1).fill(description);
    await page.getByRole("button", { name: "Preview member moves" }).click();
    await expect(page.getByTestId("tier-preview")).toContainText(/: 0 would move up, 0 would move down/);
    await expect(save).toBeEnabled();
    // editing after the preview asks for a new one
    await page.getByLabel("Grace period (days)").fill("45");
    await expect(save).toBeDisabled();
    await page.getByLabel("Grace period (days)").fill("30");
    await page.getByRole("button", { name: "Preview member moves" }).click();
    await save.click();
    await expect(page.getByText(/^Saved\. 0 moved now/)).toBeVisible();
    await page.goto("/program");
    await expect(page.getByText(description)).toBeVisible();
    await expect(page.getByText("If you fall below your tier, you keep it 30 more days before moving down.")).toBeVisible();
  });

  test("a bad tier set is refused field by field and nothing changes", async ({ page }) => {
    await page.goto("/admin/tiers");
    await page.getByLabel("Reached at spend (USD)").nth(2).fill("100");
    await page.getByRole("button", { name: "Preview member moves" }).click();
    await expect(page.getByText("Each tier must ask for more than the one before it.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Save tiers" })).toBeDisabled();
  });

  test("sets a VIP floor: the member moves up at once", async ({ page, request }) => {
    const externalId = `vip-${Date.now()}`;
    const created = await request.post("/api/v1/members", {
      headers: { authorization: `Bearer ${DEMO_API_KEY}`, "idempotency-key": externalId },
      data: { externalId, email: `${externalId}@example.test`, name: "Vera Vip" },
    });
    expect(created.status()).toBe(201);
    await page.goto(`/admin/members?q=${externalId}`);
    await page.getByRole("link", { name: "Vera Vip" }).click();
    await page.getByLabel("Floor", { exact: true }).selectOption({ label: "Gold" });
    await page.getByLabel("Reason (internal)").fill("Press partner");
    await page.getByRole("button", { name: "Set floor" }).click();
    await expect(page.getByText("Saved. Floor: Gold.")).toBeVisible();
    await page.reload();
    await expect(page.getByText("Current floor: Gold")).toBeVisible();
    await expect(page.getByText(/Tier: Gold/)).toBeVisible();
  });

  test("imports partner voucher codes from a CSV; a bad file changes nothing", async ({ page }) => {
    await page.goto("/admin/rewards");
    await page.getByRole("link", { name: "$25 partner voucher" }).click();
    const pool = page.getByTestId("voucher-pool");
    const before = await pool.textContent();
    await page.getByLabel("CSV file of codes").setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from("code\nOK-1\nnot ok!\n") });
    await page.getByRole("button", { name: "Import codes" }).click();
    await expect(page.getByTestId("voucher-errors")).toContainText("Row 3:");
    await page.reload();
    await expect(pool).toHaveText(before!);
    const stamp = Date.now();
    await page.getByLabel("CSV file of codes").setInputFiles({ name: "ok.csv", mimeType: "text/csv", buffer: Buffer.from(`code\nE2E-${stamp}-1\nE2E-${stamp}-2\n`) });
    await page.getByRole("button", { name: "Import codes" }).click();
    await expect(page.getByText("2 codes added; 0 were already in the pool.")).toBeVisible();
  });
});
