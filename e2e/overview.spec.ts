import { expect, screenshot, signIn, test } from "./fixtures";
import { state } from "./state";

test("the overview lists every host with its status, numbers and sparklines; search and sort work", async ({ page }) => {
  await signIn(page, state().users.viewer);
  const rows = page.getByTestId("host-row");
  const row = (name: string) => page.locator(`[data-testid="host-row"][data-host="${name}"]`);
  for (const name of Object.keys(state().hosts)) await expect(row(name)).toHaveCount(1);
  await expect(row("web-01").locator("[data-status]")).toHaveAttribute("data-status", "up");
  await expect(row("old-01").locator("[data-status]")).toHaveAttribute("data-status", "down");
  await expect(row("new-01").locator("[data-status]")).toHaveAttribute("data-status", "new");
  await expect(row("new-01")).toContainText("never");
  await expect(row("db-01")).toContainText("Rocky Linux 9.4");
  await expect(row("db-01").locator("svg.spark polyline").first()).toBeVisible();
  // Sorted by status by default: down first.
  await expect(rows.first()).toHaveAttribute("data-host", "old-01");
  await screenshot(page, "overview");

  await page.getByLabel("Search").fill("rocky");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute("data-host", "db-01");
  await page.getByLabel("Search").fill("");

  await page.getByRole("button", { name: "CPU" }).click();
  await expect(rows.first()).toHaveAttribute("data-host", "db-01");

  await row("web-01").getByRole("link", { name: "web-01" }).click();
  await expect(page).toHaveURL(new RegExp(`/hosts/${state().hosts["web-01"]!.id}`));
});

test("the overview fits a phone-width screen", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, state().users.viewer);
  await expect(page.getByTestId("host-row").first()).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await screenshot(page, "overview-phone");
});

test("host detail and alerts work at phone width", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, state().users.operator, `/hosts/${state().hosts["web-01"]!.id}`);
  await expect(page.getByTestId("chart-cpu").locator("canvas")).toBeVisible();
  let overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await screenshot(page, "host-detail-phone");
  await page.goto("/alerts");
  await expect(page.getByRole("button", { name: "New rule" })).toBeVisible();
  overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await screenshot(page, "alerts-phone");
});
