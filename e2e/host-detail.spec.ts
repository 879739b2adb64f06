import { expect, screenshot, signIn, test } from "./fixtures";
import { state } from "./state";

test("host detail draws the charts and changes range", async ({ page }) => {
  const web = state().hosts["web-01"]!;
  await signIn(page, state().users.viewer, `/hosts/${web.id}`);
  for (const chart of ["cpu", "memory", "disk", "load", "network", "processes", "temperature"]) {
    await expect(page.getByTestId(`chart-${chart}`).locator("canvas")).toBeVisible();
  }
  const charts = page.getByTestId("charts");
  const points = Number(await charts.getAttribute("data-points"));
  expect(points).toBeGreaterThanOrEqual(60);
  await expect(page.getByTestId("mounts")).toContainText("/var/lib/postgresql");
  // What the agent reported about itself (issue 16).
  const facts = page.locator("dl.facts").first();
  await expect(facts).toContainText("0.1.0");
  await expect(facts).toContainText("current (auto-update on)");
  await expect(facts).toContainText("0 samples waiting");
  await page.waitForTimeout(300);
  await screenshot(page, "host-detail");

  const span = async () => Number(await charts.getAttribute("data-to")) - Number(await charts.getAttribute("data-from"));
  expect(await span()).toBeLessThanOrEqual(3_600_000 + 1000);

  const request = page.waitForRequest((r) => r.url().includes("/api/metrics") && r.url().includes("from=-7d"));
  await page.getByRole("button", { name: "7d", exact: true }).click();
  const url = new URL((await request).url());
  expect(url.searchParams.get("points")).toBe(String(points));
  await expect(page.getByRole("button", { name: "7d", exact: true })).toHaveAttribute("aria-pressed", "true");
  await expect.poll(span).toBeGreaterThan(6 * 86_400_000);
  await page.waitForTimeout(300);
  await screenshot(page, "host-detail-7d");

  // Drag across the CPU chart: a narrower custom range, fetched at full resolution.
  const box = (await page.getByTestId("chart-cpu").locator("canvas").boundingBox())!;
  const before = await span();
  const zoomed = page.waitForRequest((r) => r.url().includes("/api/metrics") && !r.url().includes("from=-7d"));
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.5, { steps: 8 });
  await page.mouse.up();
  await zoomed;
  await expect.poll(span).toBeLessThan(before / 3);
  await expect(page.getByRole("button", { name: "Reset zoom" })).toBeVisible();
  await page.getByRole("button", { name: "Reset zoom" }).click();
  await expect.poll(span).toBeGreaterThan(6 * 86_400_000);
});

test("a custom range asks for exactly that window", async ({ page }) => {
  const web = state().hosts["web-01"]!;
  await signIn(page, state().users.viewer, `/hosts/${web.id}`);
  await expect(page.getByTestId("chart-cpu").locator("canvas")).toBeVisible();
  await page.getByRole("button", { name: "Custom" }).click();
  const from = new Date(Date.now() - 2 * 3_600_000).toISOString().slice(0, 16);
  const to = new Date(Date.now() - 3_600_000).toISOString().slice(0, 16);
  await page.getByLabel("From (UTC)").fill(from);
  await page.getByLabel("To (UTC)").fill(to);
  const request = page.waitForRequest((r) => r.url().includes("/api/metrics") && r.url().includes(encodeURIComponent(`${from}:00.000Z`)));
  await page.getByRole("button", { name: "Apply" }).click();
  const url = new URL((await request).url());
  expect(url.searchParams.get("to")).toBe(`${to}:00.000Z`);
  const charts = page.getByTestId("charts");
  await expect(charts).toHaveAttribute("data-from", String(Date.parse(`${from}:00Z`)));
  await expect(charts).toHaveAttribute("data-to", String(Date.parse(`${to}:00Z`)));

  await page.getByLabel("From (UTC)").fill(to);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("“From” must be before “To”.")).toBeVisible();
});

test("the timeline shows the reboot (uptime reset)", async ({ page }) => {
  const web = state().hosts["web-01"]!;
  await signIn(page, state().users.viewer, `/hosts/${web.id}`);
  await page.getByRole("button", { name: "6h", exact: true }).click();
  await expect(page.getByTestId("timeline").locator('li[data-kind="reboot"]')).toHaveCount(1);
});
