import { expect, test } from "@playwright/test";
import { confirmJoinByEmail, members, postOrder } from "./fixtures";

test("a customer joins, earns on an order, redeems a reward and sees it everywhere", async ({ browser }) => {
  const { page, email, context } = await members.create(browser);
  await expect(page.getByRole("heading", { name: /Welcome to the program, Erin Example/ })).toBeVisible();
  await expect(page.getByTestId("available-points")).toHaveText("100");
  await expect(page.getByText("Welcome bonus")).toBeVisible();

  const earned = await postOrder(page.request, email, 250);
  expect(earned.pointsEarned).toBe(250);
  await postOrder(page.request, email, 40, 1); // recent: still pending
  await page.reload();
  await expect(page.getByTestId("available-points")).toHaveText("350");
  await expect(page.getByTestId("pending-points")).toHaveText("40");
  // what becomes available and what expires, by date
  await expect(page.getByTestId("points-schedule").getByText(/^40 points become available on /)).toBeVisible();
  await expect(page.getByTestId("points-schedule").getByText(/points expire on /).first()).toBeVisible();
  await expect(page.getByTestId("tier-name")).toHaveText("Bronze");
  await expect(page.getByRole("progressbar", { name: "Progress to Silver" })).toBeVisible();

  await page.getByRole("link", { name: "Rewards" }).first().click();
  await expect(page.getByTestId("rewards-available")).toContainText("350");
  const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Free shipping" }) });
  await card.getByRole("button", { name: "Redeem" }).click();
  await card.getByRole("button", { name: "Redeem" }).click(); // confirm
  const code = await card.getByTestId("reward-code").textContent();
  expect(code).toMatch(/^HRTH-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  await expect(page.getByTestId("rewards-available")).toContainText("50");
  await expect(page.getByRole("region", { name: /My rewards/ }).or(page.locator("section", { hasText: "My rewards" })).getByText(code!)).toBeVisible();

  await page.getByRole("link", { name: "Activity" }).click();
  await expect(page.getByText("Redeemed: Free shipping")).toBeVisible();
  await expect(page.getByText("-300").or(page.getByText("−300"))).toBeVisible();
  await context.close();
});

test("not enough points: a clear message and nothing changes", async ({ browser }) => {
  const { page, context } = await members.create(browser);
  await page.goto("/rewards");
  const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "$25 partner voucher" }) });
  await expect(card.getByText("2,400 more points needed")).toBeVisible();
  await card.getByRole("button", { name: "Redeem" }).click();
  await card.getByRole("button", { name: "Redeem" }).click();
  await expect(card.getByRole("alert")).toHaveText(/don't have enough available points.*Nothing was deducted/);
  await page.reload();
  await expect(page.getByTestId("rewards-available")).toContainText("100");
  await expect(page.getByText("You haven't redeemed anything yet.")).toBeVisible();
  await context.close();
});

test("keyboard only: redeem with Tab and Enter", async ({ browser }) => {
  const { page, email, context } = await members.create(browser);
  await postOrder(page.request, email, 300);
  await page.goto("/rewards");
  const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Free shipping" }) });
  await card.getByRole("button", { name: "Redeem" }).focus();
  await page.keyboard.press("Enter");
  await expect(card.getByRole("button", { name: "Redeem" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(card.getByTestId("reward-code")).toBeVisible();
  await context.close();
});

test("the language switcher shows the portal in Korean and remembers it", async ({ browser }) => {
  const { page, context } = await members.create(browser);
  await page.getByLabel("Language").selectOption("ko");
  await expect(page.getByRole("heading", { name: /다시 오신 것을 환영합니다|가입을 환영합니다/ })).toBeVisible();
  await expect(page.getByText("사용 가능 포인트")).toBeVisible();
  await page.goto("/rewards");
  await expect(page.getByRole("heading", { name: "리워드", level: 1 })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "ko");
  await context.close();
});

test("the demo member sees points, tier progress and explained history", async ({ browser }) => {
  const context = await browser.newContext({ storageState: "e2e/.auth/member.json" });
  const page = await context.newPage();
  await page.goto("/dashboard");
  await expect(page.getByTestId("tier-name")).toHaveText("Silver");
  await expect(page.getByTestId("tier-next")).toHaveText(/ more by .+ reaches Gold\./);
  await expect(page.getByText(/Order demo-ord-/).first()).toBeVisible();
  await page.goto("/activity");
  await expect(page.getByText("Welcome bonus")).toBeVisible();
  await expect(page.getByText("Redeemed: Free shipping")).toBeVisible();
  await expect(page.getByText("Return on order demo-ord-009")).toBeVisible();
  await context.close();
});

test("sign up errors are explained and create nothing", async ({ page }) => {
  await page.goto("/join");
  await page.getByLabel("Name").fill("Dup");
  await page.getByLabel("Email").fill("member@hearth.test");
  await page.getByRole("button", { name: "Join and get my points" }).click();
  await expect(page.getByText("Please accept the program terms.")).toBeVisible();
  await page.getByLabel(/I accept the program terms/).check();
  await page.getByRole("button", { name: "Join and get my points" }).click();
  // an existing address gets the same answer as a new one: the form never says who has an account
  await expect(page.getByTestId("join-check-email")).toContainText("we've sent a link to member@hearth.test");
  await expect(page.getByText(/already exists/)).toHaveCount(0);
});

test("wrong password is refused; logging out ends the session", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("member@hearth.test");
  await page.getByLabel("Password").fill("wrong-password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Email or password is incorrect." })).toBeVisible();
  await page.getByLabel("Password").fill("hearth-demo");
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(/\/dashboard/);
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/login/);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/login/);
});

test("older activity loads on demand", async ({ browser }) => {
  const { page, email, context } = await members.create(browser);
  for (let index = 0; index < 26; index += 1) await postOrder(page.request, email, 10 + index);
  await page.goto("/activity");
  const lines = page.getByRole("main").getByRole("listitem");
  await expect(lines).toHaveCount(25);
  await page.getByRole("button", { name: "Show older activity" }).click();
  await expect(lines).toHaveCount(27); // 26 orders and the welcome bonus
  await expect(page.getByText("Welcome bonus")).toBeVisible();
  await expect(page.getByRole("button", { name: "Show older activity" })).toHaveCount(0);
  await context.close();
});

test("my rewards show each code's status; the shop marks one used, the member cancels another and gets the points back", async ({ browser }) => {
  const { page, email, context } = await members.create(browser);
  await postOrder(page.request, email, 600);
  await page.goto("/rewards");
  const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Free shipping" }) });
  const codes: string[] = [];
  for (const left of ["400", "100"]) {
    // the first click opens the confirmation; wait for it before confirming, so a click that
    // lands before the page is interactive shows here and not as a missing redemption later
    await card.getByRole("button", { name: "Redeem" }).click();
    await expect(card.getByRole("group")).toBeVisible();
    await card.getByRole("group").getByRole("button", { name: "Redeem" }).click();
    await expect(card.getByTestId("reward-code")).toBeVisible();
    codes.push((await card.getByTestId("reward-code").textContent())!);
    await page.reload();
    await expect(page.getByTestId("rewards-available")).toContainText(left);
  }
  expect(new Set(codes).size).toBe(2);
  // the shop marks the first code used at checkout
  const used = await page.request.post(`/api/v1/redemptions/${codes[0]}/use`, { headers: { authorization: "Bearer hearth_demo_key", "idempotency-key": `use-${codes[0]}` } });
  expect(used.status()).toBe(200);
  await page.reload();
  const usedRow = page.getByRole("listitem").filter({ hasText: codes[0] });
  await expect(usedRow.getByText("Used")).toBeVisible();
  await expect(usedRow.getByRole("button", { name: /Cancel and refund/ })).toHaveCount(0);
  // the member cancels the second one
  const activeRow = page.getByRole("listitem").filter({ hasText: codes[1] });
  page.once("dialog", (dialog) => dialog.accept());
  await activeRow.getByRole("button", { name: /Cancel and refund/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "Cancelled. 300 points are available again." })).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: codes[1] }).getByText("Cancelled", { exact: true })).toBeVisible();
  await expect(page.getByTestId("rewards-available")).toContainText("400");
  await page.goto("/activity");
  await expect(page.getByText(`Reward cancelled, points refunded: ${codes[1]}`)).toBeVisible();
  await context.close();
});

test("join via a referral link: the friend is welcomed by name, both earn on the friend's first order", async ({ browser }) => {
  const referrer = await members.create(browser);
  await referrer.page.goto("/dashboard");
  const link = await referrer.page.getByLabel("Your invitation link").inputValue();
  expect(link).toMatch(/\/join\?ref=[A-Z0-9]{8}$/);

  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto(new URL(link).pathname + new URL(link).search);
  await expect(page.getByText("Erin Example invited you: you get 250 extra points with your first order.")).toBeVisible();
  const email = `friend-${Date.now().toString(36)}@example.test`;
  await page.getByLabel("Name").fill("Fran Friend");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel(/I accept the program terms/).check();
  await page.getByRole("button", { name: "Join and get my points" }).click();
  await confirmJoinByEmail(page, email, "correct-horse-battery");
  const order = await postOrder(page.request, email, 30);
  expect(order.pointsEarned).toBe(30);
  await page.goto("/activity");
  await expect(page.getByText("Referral bonus for your first order")).toBeVisible();

  await referrer.page.reload();
  await expect(referrer.page.getByText(/1 joined · 1 ordered · 500 points earned/)).toBeVisible();
  await referrer.page.goto("/activity");
  await expect(referrer.page.getByText("Referral: a friend you invited placed their first order")).toBeVisible();
  await context.close();
  await referrer.context.close();
});

test("a member completes their profile and gets the profile bonus once", async ({ browser }) => {
  const { page, context } = await members.create(browser);
  await page.getByRole("link", { name: "Profile" }).click();
  await expect(page.getByText("Complete your profile to get 50 points.")).toBeVisible();
  await page.getByLabel("Birthday").fill("1991-03-14");
  await page.getByLabel("kitchen").check();
  await page.getByLabel("Email", { exact: true }).check();
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("Profile complete: 50 points added.")).toBeVisible();
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByText("Your birthday is set. To correct it, contact the shop.")).toBeVisible();
  await page.goto("/activity");
  await expect(page.getByText("Profile completed")).toHaveCount(1);
  await context.close();
});

test.describe("password guessing", () => {
  test("after ten failed logins an account is locked for a while, even with the right password; the message is in the member's language", async ({ browser }) => {
    const member = await members.create(browser);
    await member.context.close();
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    await page.goto("/login");
    for (let attempt = 0; attempt < 10; attempt += 1) {
      await page.getByLabel("Email").fill(member.email);
      await page.getByLabel("Password").fill(`wrong-password-${attempt}`);
      await page.getByRole("button", { name: "Log in" }).click();
      await expect(page.getByText("Email or password is incorrect.")).toBeVisible();
    }
    await page.getByLabel("Email").fill(member.email);
    await page.getByLabel("Password").fill(member.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByText("Too many attempts. Please wait a moment.")).toBeVisible();
    await expect(page).toHaveURL(/\/login/);
    await context.close();
    const korean = await browser.newContext({ storageState: { cookies: [], origins: [] }, locale: "ko-KR", extraHTTPHeaders: { "accept-language": "ko-KR,ko" } });
    const koPage = await korean.newPage();
    await koPage.goto("/login");
    await koPage.locator("input[type=email]").fill(member.email);
    await koPage.locator("input[type=password]").fill(member.password);
    await koPage.locator("form button[type=submit]").click();
    await expect(koPage.getByText("시도 횟수가 너무 많습니다. 잠시 후 다시 시도해 주세요.")).toBeVisible();
    await korean.close();
  });
});
