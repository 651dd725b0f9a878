import { expect, test } from "@playwright/test";
import { members, postOrder, storageStatePath, uniqueId } from "./fixtures";

test.describe("marketer", () => {
  test.use({ storageState: storageStatePath("marketer") });

  test("creates a limited reward that members see, and bad input changes nothing", async ({ page, browser }) => {
    const name = uniqueId("Candle bundle");
    await page.goto("/admin/rewards/new");
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("Kind").selectOption("PERCENT_DISCOUNT");
    await page.getByLabel("Cost in points").fill("50");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("Enter a percentage between 1 and 100.")).toBeVisible();
    await page.getByLabel("Percent off").fill("15");
    await page.getByLabel("Stock").fill("1");
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL(/\/admin\/rewards\?saved=1/);
    await expect(page.getByRole("row", { name: new RegExp(name) })).toBeVisible();

    const member = await members.create(browser);
    await member.page.goto("/rewards");
    const card = member.page.getByRole("listitem").filter({ has: member.page.getByRole("heading", { name }) });
    await expect(card.getByText("15% off")).toBeVisible();
    await expect(card.getByText("1 left")).toBeVisible();
    await card.getByRole("button", { name: "Redeem" }).click();
    await card.getByRole("button", { name: "Redeem" }).click();
    await expect(card.getByTestId("reward-code")).toBeVisible();

    // the second member finds it out of stock
    const other = await members.create(browser);
    await other.page.goto("/rewards");
    const soldOut = other.page.getByRole("listitem").filter({ has: other.page.getByRole("heading", { name }) });
    await expect(soldOut.getByText("Out of stock")).toBeVisible();
    await expect(soldOut.getByRole("button", { name: "Redeem" })).toBeDisabled();
    await member.context.close();
    await other.context.close();
  });

  test("a rule change applies to the next order", async ({ page, browser }) => {
    const member = await members.create(browser);
    await page.goto("/admin/rules");
    const spendForm = page.getByRole("form", { name: "Points on spend" });
    await page.getByLabel("Points per USD spent").fill("2");
    await spendForm.getByRole("button", { name: "Save", exact: true }).click();
    const saved = spendForm.getByText(/Saved as version \d+/);
    await expect(saved).toBeVisible();
    const version = Number((await saved.textContent())!.match(/\d+/)![0]);
    try {
      const order = await postOrder(page.request, member.email, 100);
      expect(order.pointsEarned).toBe(200);
    } finally {
      await page.getByLabel("Points per USD spent").fill("1");
      await spendForm.getByRole("button", { name: "Save", exact: true }).click();
      // wait for this save, not the message the first one left on screen
      await expect(spendForm.getByText(`Saved as version ${version + 1}.`)).toBeVisible();
    }
    const after = await postOrder(page.request, member.email, 100);
    expect(after.pointsEarned).toBe(100);
    await member.context.close();
  });

  test("adjusts a member's points with a reason the member then sees", async ({ page, browser }) => {
    const member = await members.create(browser);
    await page.goto(`/admin/members?q=${encodeURIComponent(member.email)}`);
    await page.getByRole("link", { name: "Erin Example" }).click();
    await page.getByLabel("Points to add (negative to remove)").fill("75");
    await page.getByRole("button", { name: "Adjust points" }).click();
    await expect(page.getByText("Give a reason (at least 3 characters).")).toBeVisible();
    await page.getByLabel("Reason (shown to the member)").fill("Goodwill for a late delivery");
    await page.getByRole("button", { name: "Adjust points" }).click();
    // the same words and figures as the member's dashboard (docs/member-points.md)
    await expect(page.getByText("Done. The member now has 175 available and 0 pending points.")).toBeVisible();
    await member.page.goto("/activity");
    await expect(member.page.getByText("Adjustment: Goodwill for a late delivery")).toBeVisible();
    await member.page.goto("/dashboard");
    await expect(member.page.getByTestId("available-points")).toHaveText("175");
    await member.context.close();
  });

  test("looks up a member", async ({ page }) => {
    await page.goto("/admin/members?q=member@hearth.test");
    await expect(page.getByLabel("Search by email, name or external id")).toHaveAccessibleDescription("Emails and names match from 3 characters; a shorter search matches an external id exactly.");
    await page.getByRole("link", { name: "Alex Kim" }).click();
    await expect(page.getByRole("heading", { name: "Customer Alex Kim" })).toBeVisible();
    await expect(page.getByText("demo-member")).toBeVisible();
  });
});

test.describe("admin", () => {
  test.use({ storageState: storageStatePath("admin") });

  test("creates an API key that works once shown, then revokes it", async ({ page, request }) => {
    const name = uniqueId("Shop");
    await page.goto("/admin/api-keys");
    await page.getByLabel("Name").fill(name);
    await page.getByRole("button", { name: "Create key" }).click();
    const key = (await page.getByTestId("new-api-key").textContent())!;
    expect(key).toMatch(/^hearth_/);
    const ok = await request.get("/api/v1/members/demo-member", { headers: { authorization: `Bearer ${key}` } });
    expect(ok.status()).toBe(200);
    page.once("dialog", (dialog) => dialog.accept());
    await page.getByRole("row", { name: new RegExp(name) }).getByRole("button", { name: /Revoke/ }).click();
    await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText("Revoked");
    const refused = await request.get("/api/v1/members/demo-member", { headers: { authorization: `Bearer ${key}` } });
    expect(refused.status()).toBe(401);
  });

  test("adds a staff account that can log in with its role", async ({ page, browser }) => {
    const email = `${uniqueId("staff")}@hearth.test`;
    await page.goto("/admin/staff");
    await page.getByLabel("Name").fill("Nora New");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Role").selectOption("MANAGER");
    await page.getByLabel("Initial password").fill("a-strong-password");
    await page.getByRole("button", { name: "Add staff account" }).click();
    await expect(page.getByText("Staff account created.")).toBeVisible();
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const other = await context.newPage();
    await other.goto("/login");
    await other.getByLabel("Email").fill(email);
    await other.getByLabel("Password").fill("a-strong-password");
    await other.getByRole("button", { name: "Log in" }).click();
    await other.waitForURL(/\/admin\/analytics/);
    await context.close();
  });
});

test.describe("the demo shop says it is one", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("its login page warns that the demo logins and API key are public", async ({ page }) => {
    await page.goto("/login");
    await expect(page.getByTestId("demo-notice")).toContainText("This is a demo shop");
  });
});
