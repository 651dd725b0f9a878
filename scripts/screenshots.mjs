#!/usr/bin/env node
// Screenshots of every page as each role, for review and for the README.
// Usage: BASE_URL=http://localhost:3000 OUT=docs/screenshots node scripts/screenshots.mjs
import { mkdirSync } from "node:fs";
import { chromium } from "@playwright/test";

const base = process.env.BASE_URL ?? "http://localhost:3000";
const out = process.env.OUT ?? "docs/screenshots";
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

async function session(email, { width = 1280, height = 900, locale = "en" } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale });
  const page = await context.newPage();
  if (email) {
    await page.goto(`${base}/login`);
    await page.getByLabel(/email|이메일/i).fill(email);
    await page.getByLabel(/password|비밀번호/i).fill("hearth-demo");
    await page.getByRole("button", { name: /log in|로그인/i }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  }
  return { context, page };
}

async function shot(page, path, name) {
  await page.goto(`${base}${path}`);
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
  console.log(`${name}: ${path}`);
}

const anon = await session(null);
await shot(anon.page, "/", "landing");
await shot(anon.page, "/login", "login");
await shot(anon.page, "/join", "join");
await shot(anon.page, "/program", "program");

const member = await session("member@hearth.test");
await shot(member.page, "/dashboard", "member-dashboard");
await shot(member.page, "/rewards", "member-rewards");
await shot(member.page, "/activity", "member-activity");
await shot(member.page, "/profile", "member-profile");
await shot(member.page, "/inbox", "member-inbox");
await shot(member.page, "/offers", "member-offers");
await shot(member.page, "/challenges", "member-challenges");

const memberKo = await session("member@hearth.test", { locale: "ko" });
await memberKo.context.addCookies([{ name: "NEXT_LOCALE", value: "ko", url: base }]);
await shot(memberKo.page, "/dashboard", "member-dashboard-ko");
await shot(memberKo.page, "/offers", "member-offers-ko");
await shot(memberKo.page, "/challenges", "member-challenges-ko");
for (const locale of ["ja", "pt-BR"]) {
  await memberKo.context.addCookies([{ name: "NEXT_LOCALE", value: locale, url: base }]);
  await shot(memberKo.page, "/dashboard", `member-dashboard-${locale}`);
  await shot(memberKo.page, "/rewards", `member-rewards-${locale}`);
}
await memberKo.context.addCookies([{ name: "NEXT_LOCALE", value: "ru", url: base }]);
await shot(memberKo.page, "/program", "program-ru");

const phone = await session("member@hearth.test", { width: 360, height: 780 });
await shot(phone.page, "/dashboard", "member-dashboard-phone");
await shot(phone.page, "/rewards", "member-rewards-phone");
await shot(phone.page, "/inbox", "member-inbox-phone");
await shot(phone.page, "/offers", "member-offers-phone");
await shot(phone.page, "/challenges", "member-challenges-phone");

const manager = await session("manager@hearth.test");
await shot(manager.page, "/admin/analytics", "analytics");
await shot(manager.page, "/admin/members?q=alex", "members-search");

const marketer = await session("marketer@hearth.test");
await shot(marketer.page, "/admin/rewards", "admin-rewards");
await shot(marketer.page, "/admin/rewards/1", "admin-reward-edit");
await shot(marketer.page, "/admin/rules", "admin-rules");
await shot(marketer.page, "/admin/offers", "admin-offers");
await shot(marketer.page, "/admin/offers/1", "admin-offer-edit");
await shot(marketer.page, "/admin/challenges", "admin-challenges");
await shot(marketer.page, "/admin/tiers", "admin-tiers");
await marketer.page.getByRole("button", { name: "Preview member moves" }).click();
await marketer.page.getByTestId("tier-preview").waitFor();
await marketer.page.screenshot({ path: `${out}/admin-tiers-preview.png`, fullPage: true });
await shot(marketer.page, "/admin/messages", "admin-messages");
const firstEmail = marketer.page.getByRole("link", { name: /Welcome to/ }).first();
if (await firstEmail.count()) {
  await firstEmail.click();
  await marketer.page.waitForLoadState("networkidle");
  await marketer.page.screenshot({ path: `${out}/admin-email.png`, fullPage: true });
}

const admin = await session("admin@hearth.test");
await shot(admin.page, "/admin/staff", "admin-staff");
await shot(admin.page, "/admin/api-keys", "admin-api-keys");
await shot(admin.page, "/admin/webhooks", "admin-webhooks");
await shot(admin.page, "/admin/imports", "admin-imports");

await browser.close();
