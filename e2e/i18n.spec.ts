import { expect, test } from "@playwright/test";
import { members } from "./fixtures";

// The portal in all six languages: the member's choice (remembered) first, then the browser's.

const portal = [
  { locale: "ja", available: "利用可能ポイント", rewards: "特典", lang: "ja" },
  { locale: "ru", available: "Доступно баллов", rewards: "Награды", lang: "ru" },
  { locale: "hu", available: "Felhasználható pontok", rewards: "Jutalmak", lang: "hu" },
  { locale: "pt-BR", available: "Pontos disponíveis", rewards: "Recompensas", lang: "pt-BR" },
];

for (const { locale, available, rewards, lang } of portal) {
  test(`a member switches the portal to ${locale}; pages, numbers and dates follow`, async ({ browser }) => {
    const { page, context } = await members.create(browser);
    await page.getByLabel("Language").selectOption(locale);
    await expect(page.getByText(available)).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", lang);
    await page.goto("/rewards");
    await expect(page.getByRole("heading", { name: rewards, level: 1 })).toBeVisible();
    await page.goto("/activity");
    await expect(page.getByRole("heading", { level: 1 })).not.toHaveText("Points activity");
    await context.close();
  });
}

test("a visitor's browser language picks the portal language (pt-PT falls back to pt-BR)", async ({ browser }) => {
  for (const [header, text] of [["ja-JP,ja;q=0.9", "お買い物のたびにポイントが貯まる"], ["pt-PT,pt;q=0.9", "Ganhe pontos em todas as compras"], ["hu-HU", "Gyűjts pontokat minden vásárlással"], ["ru", "Получайте баллы за каждую покупку"]]) {
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] }, locale: header.split(",")[0] });
    const page = await context.newPage();
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(text);
    await context.close();
  }
});

test("the public program page in Russian uses Russian plural forms", async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] }, locale: "ru-RU" });
  const page = await context.newPage();
  await page.goto("/program");
  await expect(page.getByText("сразу получите 100 приветственных баллов")).toBeVisible();
  await expect(page.getByText("Баллы сгорают через 12 месяцев после начисления.")).toBeVisible();
  await context.close();
});
