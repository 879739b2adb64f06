import path from "node:path";
import { SCREENSHOT_DIR, expect, screenshot, signIn, test } from "./fixtures";
import { state } from "./state";

test("the host page lists the containers of the newest sample, trouble first", async ({ page }) => {
  const web = state().hosts["web-01"]!;
  await signIn(page, state().users.viewer, `/hosts/${web.id}`);
  const panel = page.locator("#containers");
  const table = page.getByRole("table", { name: "Containers on this host" });
  await expect(table).toBeVisible();
  await expect(panel).toContainText("2 of 3 running, 1 unhealthy");
  const rows = table.getByTestId("container-row");
  // Unhealthy first, then the stopped one, then the healthy.
  await expect(rows).toHaveCount(3);
  expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-name")))).toEqual(["api", "migrate", "web"]);
  const api = table.locator('tr[data-name="api"]');
  await expect(api).toContainText("registry.example.com/shop/api:2026.12.01");
  await expect(api).toContainText("unhealthy");
  await expect(api).toContainText("142.5%");
  await expect(api).toContainText("4");
  // A stopped container has no stats to show, and says so rather than showing zeros.
  const migrate = table.locator('tr[data-name="migrate"]');
  await expect(migrate).toContainText("exited");
  await expect(migrate.getByLabel("not measured")).toHaveCount(3);
  await page.waitForTimeout(300);
  await screenshot(page, "host-containers");
  await panel.screenshot({ path: path.join(SCREENSHOT_DIR, "host-containers-panel.png") });
});

test("a host whose agent sends no containers says why", async ({ page }) => {
  const db = state().hosts["db-01"]!;
  await signIn(page, state().users.viewer, `/hosts/${db.id}`);
  await expect(page.locator("#containers")).toContainText("found no Docker or podman Engine API socket");
});
