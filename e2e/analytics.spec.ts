import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import Papa from "papaparse";
import { seriousViolations, storageStatePath } from "./fixtures";

// A manager reads the overview: every population side by side, a period picker (presets and a
// custom range) with the previous period, trend charts with a table alternative, the time the
// figures were last brought up to date; an admin sets the reporting time zone.

test.describe("manager", () => {
  test.use({ storageState: storageStatePath("manager") });

  test("reads every population for this month against last month, then the last 90 days and a custom range", async ({ page }) => {
    await page.goto("/admin/analytics");
    await expect(page.getByRole("heading", { level: 1, name: "Analytics" })).toBeVisible();
    await expect(page.getByRole("heading", { level: 2, name: /^This month:/ })).toBeVisible();
    await expect(page.getByText("Partial", { exact: true }).first()).toBeVisible();
    await expect(page.getByTestId("comparison")).toContainText("Compared with");
    await expect(page.getByTestId("freshness")).toContainText("Figures up to date as of");
    const table = page.getByRole("region", { name: "Figures by population" });
    for (const population of ["All customers", "Members", "Non-members", "Redeemers", "Non-redeemers"]) {
      await expect(table.getByRole("columnheader", { name: population, exact: true })).toBeVisible();
    }
    await expect(table.getByRole("columnheader", { name: /^Tier / }).first()).toBeVisible();
    await expect(page.getByTestId("cell-netCents-all")).toContainText("$");
    await expect(page.getByTestId("cell-repeatRate-members")).toContainText("%");
    await expect(page.locator(".recharts-line")).toHaveCount(12); // 4 charts x 3 populations

    await page.getByLabel("Period", { exact: true }).selectOption("t90");
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page).toHaveURL(/period=t90/);
    await expect(page.getByRole("heading", { level: 2, name: /^Last 90 days:/ })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Trend by week" })).toBeVisible();

    await page.getByLabel("Period", { exact: true }).selectOption("custom");
    await page.getByLabel("From", { exact: true }).fill("2026-03-10");
    await page.getByLabel("To", { exact: true }).fill("2026-03-01");
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page.getByText("the last day is before the first")).toBeVisible();
    await expect(page.getByText("That period could not be read")).toBeVisible();

    await page.getByLabel("From", { exact: true }).fill("2026-01-01");
    await page.getByLabel("To", { exact: true }).fill("2026-03-31");
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page.getByRole("heading", { level: 2, name: /^Custom range:/ })).toBeVisible();
    await expect(page.getByTestId("comparison")).toContainText("Compared with");
    await page.getByText("Trend as a table").click();
    // January to March by week: 14 ISO weeks overlap it
    await expect(page.getByRole("region", { name: "Trend as a table" }).getByRole("row")).toHaveCount(15);
  });


  test("a manager does not see the reporting settings", async ({ page }) => {
    await page.goto("/admin/analytics");
    await expect(page.getByRole("heading", { name: "Reporting settings" })).toHaveCount(0);
  });
});

test.describe("admin", () => {
  test.use({ storageState: storageStatePath("admin") });

  test("sets the reporting time zone; the page says which one the days are cut in", async ({ page }) => {
    await page.goto("/admin/analytics");
    await page.getByLabel("Time zone", { exact: true }).selectOption("Europe/Budapest");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("Time zone set to Europe/Budapest.")).toBeVisible();
    await page.reload();
    await expect(page.getByTestId("comparison")).toContainText("days in Europe/Budapest");
    await page.getByLabel("Time zone", { exact: true }).selectOption("UTC");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("Time zone set to UTC.")).toBeVisible();
  });
});

test.describe("cohorts", () => {
  test.use({ storageState: storageStatePath("manager") });

  test("a manager reads the retention heatmap, opens a cohort cell and the LTV table, then switches to join cohorts", async ({ page }) => {
    await page.goto("/admin/analytics");
    await page.getByRole("navigation", { name: "Analytics views" }).getByRole("link", { name: "Cohorts" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Cohorts" })).toBeVisible();
    const heatmap = page.getByRole("region", { name: /^Cohorts by month/ });
    await expect(heatmap.getByRole("columnheader", { name: "M0", exact: true })).toBeVisible();
    // month 0 of a first-order cohort is 100% by definition
    const firstCell = heatmap.getByRole("link", { name: /cohort, month 0: 100%/ }).first();
    await expect(firstCell).toBeVisible();
    const laterCell = heatmap.getByRole("link", { name: /cohort, month 1: / }).first();
    await laterCell.click();
    await expect(page.getByTestId("cell-detail")).toContainText(/\d+ of \d+ customers ordered/);
    await page.getByText("Lifetime value as a table").click();
    await expect(page.getByRole("region", { name: "Lifetime value as a table" }).getByRole("row", { name: /All cohorts/ })).toBeVisible();

    await page.getByLabel("Group customers by").selectOption("join");
    await page.getByLabel("Customers", { exact: true }).selectOption("members");
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page).toHaveURL(/kind=join/);
    await expect(page.getByRole("region", { name: /^Cohorts by month/ }).getByRole("columnheader", { name: "Joined" })).toBeVisible();
  });

});

test.describe("program impact", () => {
  test.use({ storageState: storageStatePath("manager") });

  test("a manager reads the naive gap beside the program effect with its interval, and recomputes it", async ({ page }) => {
    await page.goto("/admin/analytics");
    await page.getByRole("navigation", { name: "Analytics views" }).getByRole("link", { name: "Program impact" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Program impact" })).toBeVisible();
    for (const key of ["orders", "revenue"]) {
      const card = page.getByTestId(`impact-${key}`);
      await expect(card.getByText("Naive gap", { exact: true })).toBeVisible();
      await expect(page.getByTestId(`naive-${key}`)).not.toHaveText("—");
    }
    // the small e2e shop may have too few members with a full year of history to estimate the
    // effect: then the page says so instead of showing a number
    const effect = (await page.getByTestId("effect-orders").textContent())!;
    if (effect === "—") await expect(page.getByText("Not enough members who joined 3 to 14 months ago")).toBeVisible();
    else {
      await expect(page.getByTestId("interval-orders")).toContainText(" to ");
      await expect(page.getByTestId("impact-return")).toContainText("Points issued (average of the last 6 complete months)");
      await expect(page.getByTestId("return-ratio")).toContainText("$");
    }
    await expect(page.getByTestId("impact-freshness")).toContainText("had comparable non-members");
    await page.getByRole("button", { name: "Recompute now" }).click();
    await expect(page.getByRole("button", { name: "Recompute now" })).toBeEnabled();
    await expect(page.getByTestId("impact-freshness")).toContainText("Estimated on");
  });

});

test.describe("points and liability", () => {
  test.use({ storageState: storageStatePath("manager") });

  test("a manager reads the liability gross and net of breakage, points by month, ages, expiry months and curves", async ({ page }) => {
    await page.goto("/admin/analytics/impact");
    await page.getByRole("navigation", { name: "Analytics views" }).getByRole("link", { name: "Points and liability" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Points and liability" })).toBeVisible();
    for (const key of ["available", "pending", "gross", "breakage", "net", "unswept"]) await expect(page.getByTestId(`money-${key}`)).toBeVisible();
    await expect(page.getByTestId("money-gross")).toContainText("$");
    await expect(page.getByTestId("money-breakage")).toContainText("%");
    const flows = page.getByRole("region", { name: "Points by month as a table" });
    await expect(flows.getByRole("row")).toHaveCount(13);
    await expect(page.getByRole("region", { name: "Redemption curves by earning month" }).getByRole("columnheader", { name: "M0", exact: true })).toBeVisible();
  });

});

test.describe("best customers", () => {
  test.use({ storageState: storageStatePath("manager") });

  test("a manager reads the recency x frequency grid, opens a cell, pages its customers and downloads all of them with progress", async ({ page }) => {
    await page.goto("/admin/analytics/money");
    await page.getByRole("navigation", { name: "Analytics views" }).getByRole("link", { name: "Best customers" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Best customers" })).toBeVisible();
    await expect(page.getByTestId("freshness")).toContainText("Grid as of");
    const grid = page.getByRole("region", { name: "Recency by frequency grid" });
    await expect(grid.getByRole("link")).toHaveCount(25);
    await expect(grid.getByRole("rowheader", { name: "0–30 days ago" })).toBeVisible();
    await expect(page.getByTestId("cell-5-5")).toContainText("Champions");
    await expect(page.getByTestId("segment-atRisk")).toContainText("At risk");

    // the largest cell of the grid
    const counts = await Promise.all(Array.from({ length: 25 }, async (_, index) => {
      const testId = `cell-${5 - Math.floor(index / 5)}-${(index % 5) + 1}`;
      const text = (await page.getByTestId(testId).locator("span").nth(1).textContent())!;
      return { testId, customers: Number(text.replace(/[^0-9]/g, "")) };
    }));
    const biggest = counts.sort((a, b) => b.customers - a.customers)[0];
    expect(biggest.customers).toBeGreaterThan(2);
    await page.getByTestId(biggest.testId).click();
    await expect(page.getByTestId(biggest.testId)).toHaveAttribute("aria-current", "true");
    const list = page.getByRole("region", { name: "Customers in this cell" });
    await expect(list.getByRole("row")).toHaveCount(Math.min(biggest.customers, 25) + 1);
    const revenue = async (row: number) => Number((await list.getByRole("row").nth(row).getByRole("cell").nth(2).textContent())!.replace(/[^0-9.]/g, ""));
    expect(await revenue(1)).toBeGreaterThanOrEqual(await revenue(2));
    const firstName = (await list.getByRole("rowheader").first().textContent())!;
    if (biggest.customers > 25) {
      await page.getByRole("link", { name: "Next page" }).click();
      await expect(list.getByRole("cell").first()).toHaveText("26");
    } else {
      await expect(page.getByRole("link", { name: "Next page" })).toHaveCount(0);
    }

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: `Download all ${biggest.customers.toLocaleString("en-US")} customers (CSV)` }).click(),
    ]);
    await expect(page.getByTestId("csv-progress")).toHaveText(`Downloaded ${biggest.customers.toLocaleString("en-US")} rows.`);
    const rows = Papa.parse<Record<string, string>>(readFileSync((await download.path())!, "utf8").replace(/^\uFEFF/, ""), { header: true, skipEmptyLines: true }).data;
    expect(rows).toHaveLength(biggest.customers);
    expect(firstName).toContain(rows[0].customer_id);

    await page.getByRole("navigation", { name: "Whose customers" }).getByRole("link", { name: "Members", exact: true }).click();
    await expect(page).toHaveURL(/population=members/);
    await expect(page.getByTestId("without-order")).toBeVisible();
    await expect(page.getByRole("region", { name: "Top customers" }).getByRole("row")).toHaveCount(11);
    await expect(page.getByRole("region", { name: "Category share of spend by segment" }).getByRole("columnheader", { name: "Whole shop" })).toBeVisible();
  });

  test("reward cost by reward on the money view, for the last 12 months and all time", async ({ page }) => {
    await page.goto("/admin/analytics/money");
    const table = page.getByRole("region", { name: "Reward cost by reward" });
    await expect(table.getByRole("rowheader", { name: "Total" })).toBeVisible();
    expect(await table.getByRole("row").count()).toBeGreaterThan(2);
    await page.getByRole("link", { name: "All time" }).click();
    await expect(page).toHaveURL(/rewards=all/);
    await expect(page.getByRole("link", { name: "All time" })).toHaveAttribute("aria-current", "page");
  });
});

test.describe("CSV", () => {
  test.use({ storageState: storageStatePath("manager") });

  test("the overview's CSV download has the rows of the table", async ({ page }) => {
    await page.goto("/admin/analytics?period=t90");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
    const rows = Papa.parse<Record<string, string>>(readFileSync((await download.path())!, "utf8").replace(/^\uFEFF/, ""), { header: true, skipEmptyLines: true }).data;
    const headers = await page.getByRole("region", { name: "Figures by population" }).getByRole("columnheader").allTextContents();
    expect(rows.filter((row) => row.period === "current")).toHaveLength(headers.length - 1);
    for (const [population, figure] of [["all", "orders"], ["members", "orders"], ["nonMembers", "active_customers"]] as const) {
      const row = rows.find((candidate) => candidate.population === population && candidate.period === "current")!;
      const cell = (await page.getByTestId(`cell-${figure === "orders" ? "orders" : "customers"}-${population}`).locator("span").first().textContent())!;
      expect(Number(cell.replace(/[^0-9.]/g, ""))).toBe(Number(row[figure]));
    }
    const revenue = rows.find((row) => row.population === "all" && row.period === "current")!.net_revenue;
    const shown = (await page.getByTestId("cell-netCents-all").locator("span").first().textContent())!;
    expect(Number(shown.replace(/[^0-9.]/g, ""))).toBeCloseTo(Number(revenue), 2);
  });

  test("every other view offers its CSV", async ({ page, browser }) => {
    for (const [path, file] of [["/admin/analytics/cohorts", "cohorts.csv"], ["/admin/analytics/impact", "impact.csv"], ["/admin/analytics/money", "points.csv"], ["/admin/analytics/money", "rewards.csv"], ["/admin/analytics/customers", "customers.csv"], ["/admin/analytics/customers", "categories.csv"]]) {
      await page.goto(path);
      const href = (await page.locator(`a[href*="${file}"]`).first().getAttribute("href"))!;
      expect(href).toContain(file);
      const response = await page.request.get(href);
      expect(response.status()).toBe(200);
      expect(response.headers()["content-type"]).toContain("text/csv");
    }
    // every table of the money and best-customers views has its own CSV
    for (const [path, count] of [["/admin/analytics/money", 5], ["/admin/analytics/customers", 4]] as const) {
      await page.goto(path);
      const links = page.getByRole("link", { name: "Download CSV" });
      await expect(links).toHaveCount(count);
      for (const href of await links.evaluateAll((nodes) => nodes.map((node) => node.getAttribute("href")!))) {
        const response = await page.request.get(href);
        expect(response.status(), href).toBe(200);
        expect((await response.text()).split("\r\n").filter(Boolean).length, href).toBeGreaterThan(1);
      }
    }
    // signed out, the downloads answer 401, never data
    const anonymous = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    expect((await anonymous.request.get("/admin/analytics/export/points.csv")).status()).toBe(401);
    await anonymous.close();
  });
});

test.describe("accessibility", () => {
  test.use({ storageState: storageStatePath("manager") });
  const views: [string, string][] = [
    ["/admin/analytics?period=t30", "Figures by population"],
    ["/admin/analytics/cohorts", "Cohorts by month with their size and the share ordering in each following month"],
    ["/admin/analytics/impact", "How this is estimated"],
    ["/admin/analytics/money", "Points by month as a table"],
    ["/admin/analytics/customers?r=5&f=5", "Customers in this cell"],
  ];
  for (const [path, landmark] of views) {
    for (const viewport of [{ width: 1280, height: 900 }, { width: 360, height: 780 }]) {
      test(`${path} is accessible at ${viewport.width} px (axe: no serious or critical violation)`, async ({ page }) => {
        await page.setViewportSize(viewport);
        await page.goto(path);
        await expect(page.getByText(landmark, { exact: true }).or(page.getByRole("region", { name: landmark })).first()).toBeVisible();
        expect(await seriousViolations(page)).toEqual([]);
      });
    }
  }
});
