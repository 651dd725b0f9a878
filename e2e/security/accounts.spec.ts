import { expect, test } from "@playwright/test";
import { linkFromEmail, logIn, members, seriousViolations, storageStatePath } from "../fixtures";

// Account security in the browser (issue 11): reset links, password change and "sign out
// everywhere" end other sessions; staff deactivate a member and the member's session ends.

test("forgot password: the emailed link sets a new password once; the old password and the old session stop working", async ({ browser }) => {
  const member = await members.create(browser);
  const other = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await other.newPage();
  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  // the login page has an Email field too: wait for the new page before filling
  await page.waitForURL(/\/forgot-password/);
  await expect(page.getByRole("heading", { name: "Set a new password" })).toBeVisible();
  await page.getByLabel("Email").fill(member.email);
  await page.getByRole("button", { name: "Email me a link" }).click();
  await expect(page.getByText("If that address belongs to an account, a link is on its way.")).toBeVisible();
  const link = await linkFromEmail(member.email, "password_reset");
  await page.goto(link);
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByLabel("New password").fill("a-brand-new-password");
  await page.getByRole("button", { name: "Save the new password" }).click();
  await page.waitForURL(/\/login\?reset=1/);
  await expect(page.getByText("Your new password is saved. Log in with it.")).toBeVisible();
  // the member's first browser is signed out
  await member.page.goto("/dashboard");
  await expect(member.page).toHaveURL(/\/login/);
  // the old password fails, the new one works, the link is dead
  await page.getByLabel("Email").fill(member.email);
  await page.getByLabel("Password").fill(member.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Email or password is incorrect." })).toBeVisible();
  await logIn(page, member.email, "a-brand-new-password");
  await expect(page).toHaveURL(/\/dashboard/);
  await page.goto(link);
  await expect(page.getByText("This link has expired or was already used.")).toBeVisible();
  await other.close();
  await member.context.close();
});

test("changing the password keeps this session and ends the others; sign out everywhere ends all", async ({ browser }) => {
  const member = await members.create(browser);
  const second = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const secondPage = await second.newPage();
  await logIn(secondPage, member.email, member.password);
  const { page } = member;
  await page.goto("/profile");
  await page.getByLabel("Current password").fill("wrong-password-here");
  await page.getByLabel("New password").fill("changed-password-1");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Your current password is not right." })).toBeVisible();
  await page.getByLabel("Current password").fill(member.password);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText(/Your password is changed/)).toBeVisible();
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/dashboard/);
  await secondPage.goto("/dashboard");
  await expect(secondPage).toHaveURL(/\/login/);

  await logIn(secondPage, member.email, "changed-password-1");
  await page.goto("/profile");
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await page.waitForURL(/\/login\?signedOut=everywhere/);
  await secondPage.goto("/dashboard");
  await expect(secondPage).toHaveURL(/\/login/);
  await second.close();
  await member.context.close();
});

test.describe("staff", () => {
  test.use({ storageState: storageStatePath("admin") });

  test("an admin deactivates a member: the member is signed out and can't log in; reactivating lets them back", async ({ page, browser }) => {
    const member = await members.create(browser);
    await page.goto(`/admin/members?q=${encodeURIComponent(member.email)}`);
    await page.getByRole("link", { name: "Erin Example" }).first().click();
    await page.getByLabel("Reason (kept in the audit log)").fill("e2e: chargebacks");
    await page.getByRole("button", { name: /Deactivate member/ }).click();
    await expect(page.getByTestId("member-deactivated")).toContainText("Reason: e2e: chargebacks");
    expect(await seriousViolations(page)).toEqual([]);

    await member.page.goto("/dashboard");
    await expect(member.page).toHaveURL(/\/login/);
    await member.page.getByLabel("Email").fill(member.email);
    await member.page.getByLabel("Password").fill(member.password);
    await member.page.getByRole("button", { name: "Log in" }).click();
    await expect(member.page.getByRole("alert").filter({ hasText: "Email or password is incorrect." })).toBeVisible();

    await page.getByRole("button", { name: /Reactivate member/ }).click();
    await expect(page.getByTestId("member-deactivated")).toHaveCount(0);
    await logIn(member.page, member.email, member.password);
    await expect(member.page).toHaveURL(/\/dashboard/);
    await member.context.close();
  });

  test("your account page is reachable from the console header and accessible", async ({ page }) => {
    await page.goto("/admin/members");
    await page.getByRole("link", { name: "Your account" }).click();
    await expect(page.getByRole("heading", { name: "Password and sessions" })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
});
