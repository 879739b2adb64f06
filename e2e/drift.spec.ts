import { expect, screenshot, signIn, test } from "./fixtures";
import { state } from "./state";

test.beforeEach(() => {
  test.skip(!state().snapshots.supported, "POST /api/snapshot is not available on this build");
});

test("a drift marker on the charts opens the diff of that snapshot", async ({ page }) => {
  const web = state().hosts["web-01"]!;
  const [first, second, third] = state().snapshots.ids as [string, string, string];
  await signIn(page, state().users.viewer, `/hosts/${web.id}`);
  const cpu = page.getByTestId("chart-cpu");
  // The first snapshot is the baseline, not a change: no marker for it.
  await expect(cpu.getByTestId("drift-marker")).toHaveCount(2);
  await expect(cpu.locator(`[data-testid="drift-marker"][data-snapshot-id="${first}"]`)).toHaveCount(0);

  await cpu.locator(`[data-testid="drift-marker"][data-snapshot-id="${second}"]`).click();
  const diff = page.getByTestId("diff-panel");
  await expect(diff).toHaveAttribute("data-snapshot-id", second);
  await expect(page).toHaveURL(new RegExp(`snapshot=${second}`));
  await expect(diff.getByTestId("diff-snapshot")).toHaveValue(second);
  await expect(diff.getByTestId("diff-against")).toHaveValue("previous");

  // The diff: added, removed and changed packages, the kernel change, env keys.
  await expect(diff.getByTestId("kernel-change")).toHaveText("Kernel: 6.1.0-26-amd64 → 6.1.0-27-amd64");
  await expect(diff.getByTestId("diff-added")).toContainText("Added (1)");
  await expect(diff.getByTestId("diff-added")).toContainText("htop:amd64 3.2.2-2");
  await expect(diff.getByTestId("diff-removed")).toContainText("Removed (1)");
  await expect(diff.getByTestId("diff-removed")).toContainText("curl:amd64 7.88.1-10+deb12u8");
  await expect(diff.getByTestId("diff-changed")).toContainText("Changed (1)");
  await expect(diff.getByTestId("diff-changed")).toContainText("nginx:amd64 1.22.1-9 → 1.24.0-2");
  await expect(diff.getByTestId("diff-env")).toContainText("FEATURE_FLAGS");
  await expect(diff.getByTestId("diff-env")).toContainText("DB_PASSWORD");
  await screenshot(page, "host-detail-drift");

  // The other marker opens its own diff: one package added, nothing else.
  await cpu.locator(`[data-testid="drift-marker"][data-snapshot-id="${third}"]`).click();
  await expect(diff).toHaveAttribute("data-snapshot-id", third);
  await expect(diff.getByTestId("diff-added")).toContainText("redis-server");
  await expect(diff.getByTestId("kernel-change")).toHaveCount(0);
  await expect(diff.getByTestId("diff-removed")).toContainText("Removed (0)");

  // Against a chosen snapshot: the newest against the first shows both changes together.
  await diff.getByTestId("diff-against").selectOption(first);
  await expect(diff.getByTestId("diff-added")).toContainText("Added (2)");
  await expect(diff.getByTestId("kernel-change")).toBeVisible();
});

test("the overview lists the hosts whose configuration changed, each linking to its diff", async ({ page }) => {
  const web = state().hosts["web-01"]!;
  const newest = state().snapshots.ids[2]!;
  await signIn(page, state().users.viewer);
  const item = page.getByTestId("fleet-drift").locator('li[data-host="web-01"]');
  await expect(item).toContainText("2 changes");
  await item.locator(`[data-snapshot-id="${newest}"]`).click();
  await expect(page).toHaveURL(new RegExp(`/hosts/${web.id}\\?snapshot=${newest}`));
  await expect(page.getByTestId("diff-panel")).toHaveAttribute("data-snapshot-id", newest);
  await expect(page.getByTestId("diff-added")).toContainText("redis-server");
});

test("the configuration panel shows the latest snapshot: searchable packages, redacted env, kernel", async ({ page }) => {
  const web = state().hosts["web-01"]!;
  await signIn(page, state().users.viewer, `/hosts/${web.id}`);
  await expect(page.getByTestId("config-kernel")).toHaveText("6.1.0-27-amd64");
  await page.getByLabel("Search packages").fill("redis");
  await expect(page.getByTestId("packages-table").locator("tbody tr")).toHaveCount(1);
  await page.getByRole("tab", { name: /Environment/ }).click();
  const secret = page.getByTestId("env-table").locator("tr", { hasText: "DB_PASSWORD" });
  await expect(secret.locator(".redacted")).toHaveText("redacted");
  await expect(page.getByTestId("env-table")).toContainText("C.UTF-8");
  await expect(page.getByTestId("env-table")).not.toContainText("hmac-sha256");
  const timeline = page.getByTestId("timeline");
  await expect(timeline.locator('li[data-kind="snapshot"]')).toHaveCount(2);
  await timeline.locator('li[data-kind="snapshot"]').last().getByRole("button").click();
  await expect(page.getByTestId("diff-panel")).toHaveAttribute("data-snapshot-id", state().snapshots.ids[1]!);
});
