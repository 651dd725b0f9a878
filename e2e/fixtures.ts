import { randomBytes } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import pg from "pg";

export const DEMO_PASSWORD = "hearth-demo";
export const DEMO_API_KEY = "hearth_demo_key";
export const roles = ["member", "marketer", "manager", "admin"] as const;
export type DemoRole = (typeof roles)[number];
export const storageStatePath = (role: DemoRole) => `e2e/.auth/${role}.json`;

export function uniqueId(prefix: string) {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
}

export async function logIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

/** Per-test members: each signs up through the join page and gets its own browser context. */
export const members = {
  async create(browser: Browser) {
    // an empty state: specs that run as staff must not hand their session to the new member
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    const email = `${uniqueId("e2e")}@example.test`;
    const password = "correct-horse-battery";
    await page.goto("/join");
    await page.getByLabel("Name").fill("Erin Example");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel(/I accept the program terms/).check();
    await page.getByRole("button", { name: "Join and get my points" }).click();
    await confirmJoinByEmail(page, email, password);
    return { context, page, email, password };
  },
};

/** The newest email of `kind` to `email` in the outbox (no SMTP in e2e): the path of its link. */
export async function linkFromEmail(email: string, kind: string) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const { rows } = await client.query(`SELECT "text" FROM "EmailMessage" WHERE "toEmail" = $1 AND "kind" = $2 ORDER BY "id" DESC LIMIT 1`, [email.toLowerCase(), kind]);
      const match = rows[0] ? /https?:\/\/[^/\s]+(\/\S+token=[\w-]+)/.exec(rows[0].text) : null;
      if (match) return match[1];
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no ${kind} email to ${email}`);
  } finally {
    await client.end();
  }
}

/** After the join form: the "check your email" answer, then the emailed link: choose the password, join, signed in. */
export async function confirmJoinByEmail(page: Page, email: string, password: string) {
  await expect(page.getByTestId("join-check-email")).toBeVisible();
  await page.goto(await linkFromEmail(email, "join_confirm"));
  await page.getByLabel("Choose a password").fill(password);
  await page.getByRole("button", { name: "Confirm and join" }).click();
  await page.waitForURL(/\/dashboard\?welcome=1/);
}

/**
 * Test setup for "a member who joined before this order": a member who signs up in a test joins
 * now, and an order placed before joining is a guest order that earns nothing (docs/analytics.md),
 * so orders placed in the past need a member who joined earlier.
 */
export async function joinedBy(email: string, at: Date) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(`UPDATE "Customer" SET "enrolledAt" = LEAST("enrolledAt", $2) WHERE "email" = $1 AND "enrolledAt" IS NOT NULL`, [email.toLowerCase(), at]);
  } finally {
    await client.end();
  }
}

/** Posts an order through the REST API, placed long enough ago that its points are available. */
export async function postOrder(request: APIRequestContext, email: string, total: number, daysAgo = 20) {
  const placedAt = new Date(Date.now() - daysAgo * 86_400_000);
  if (daysAgo > 0) await joinedBy(email, new Date(placedAt.getTime() - 60_000));
  const response = await request.post("/api/v1/orders", {
    headers: { authorization: `Bearer ${DEMO_API_KEY}`, "idempotency-key": uniqueId("idem") },
    data: {
      externalId: uniqueId("order"),
      member: { email },
      currency: "USD",
      total,
      placedAt: placedAt.toISOString(),
      lines: [{ sku: "E2E-1", category: "home", quantity: 1, unitPrice: total }],
    },
  });
  expect(response.status()).toBe(201);
  return response.json();
}

/** axe-core (WCAG 2.1 A/AA rules): the serious and critical violations on the page. */
export async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, targets: violation.nodes.map((node) => node.target.join(" ")).slice(0, 5) }));
}
