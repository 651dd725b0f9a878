import { mkdirSync } from "node:fs";
import { chromium, type FullConfig } from "@playwright/test";
import { logIn, roles, storageStatePath } from "./fixtures";

// One signed-in storage state per demo role, reused by the specs.
export default async function globalSetup(config: FullConfig) {
  const { baseURL, launchOptions } = config.projects[0].use;
  mkdirSync("e2e/.auth", { recursive: true });
  const browser = await chromium.launch(launchOptions);
  for (const role of roles) {
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await logIn(page, `${role}@hearth.test`);
    await context.storageState({ path: storageStatePath(role) });
    await context.close();
  }
  await browser.close();
}
