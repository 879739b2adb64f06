/**
 * Labels in the browser: the agents' labels (seeded by global-setup) on the overview's rows, the
 * label selector filter (URL-synced, the server's refusal shown), grouping by a label key, and
 * the host page's editor for operators (read-only for viewers). The editor test ends by handing
 * every label back to the agent, so the other specs see the seeded labels.
 */
import { expect, screenshot, signIn, test } from "./fixtures";
import { state } from "./state";

const row = (page: import("@playwright/test").Page, name: string) => page.locator(`[data-testid="host-row"][data-host="${name}"]`);

test("the overview shows labels, filters by a selector (in the URL) and groups by a label key", async ({ page }) => {
  await signIn(page, state().users.viewer);
  await expect(row(page, "web-01").getByTestId("label-chips")).toContainText("env=prod");
  await expect(row(page, "web-01").getByTestId("label-chips")).toContainText("gpu");
  await expect(row(page, "db-01").getByTestId("label-chips")).toContainText("team=data");

  const input = page.getByLabel("Label selector");
  await input.fill("env=prod,role in (web,db)");
  await input.press("Enter");
  const rows = page.getByTestId("host-row");
  await expect(rows).toHaveCount(2);
  await expect(row(page, "web-01")).toHaveCount(1);
  await expect(row(page, "db-01")).toHaveCount(1);
  await expect(page.getByTestId("host-count")).toContainText("2 matching hosts");
  expect(new URL(page.url()).searchParams.get("selector")).toBe("env=prod,role in (web,db)");
  await screenshot(page, "labels-overview-filter");

  // A mistake: the server's message, naming the position, under the input; the filter stays to be corrected.
  await input.fill("env=prod,,role=db");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText('invalid selector at position 10: expected a label key, found ","')).toBeVisible();
  await expect(input).toHaveAttribute("aria-invalid", "true");
  await expect(rows).toHaveCount(0);
  await screenshot(page, "labels-overview-bad-selector");

  // Production and staging, grouped by team (web-01 has no team label).
  await input.fill("env in (prod,staging)");
  await input.press("Enter");
  await expect(rows).toHaveCount(7);
  await page.getByTestId("group-by").selectOption("team");
  expect(new URL(page.url()).searchParams.get("group")).toBe("team");
  const groups = page.getByTestId("row-group");
  await expect(groups).toHaveCount(3);
  await expect(groups.nth(0).getByRole("rowheader")).toHaveText("team=data (3)");
  await expect(groups.nth(1).getByRole("rowheader")).toHaveText("team=web (3)");
  await expect(groups.nth(2).getByRole("rowheader")).toHaveText("no team (1)");
  await expect(groups.nth(2).getByTestId("host-row")).toHaveAttribute("data-host", "web-01");
  // Label values are case-sensitive: the heading must not take the column headers' capitals, nor stick over them.
  await expect(groups.nth(0).getByRole("rowheader")).toHaveCSS("text-transform", "none");
  await expect(groups.nth(0).getByRole("rowheader")).toHaveCSS("position", "static");
  await screenshot(page, "labels-overview-grouped");

  // A shared link: the same view on the first paint.
  await page.reload();
  await expect(page.getByLabel("Label selector")).toHaveValue("env in (prod,staging)");
  await expect(page.getByTestId("group-by")).toHaveValue("team");
  await expect(groups).toHaveCount(3);
  await expect(rows).toHaveCount(7);
  await page.getByRole("button", { name: "Clear" }).click();
  await expect(row(page, "new-01")).toHaveCount(1);
  await expect(page.getByTestId("host-count")).not.toContainText("matching");
  expect(new URL(page.url()).searchParams.has("selector")).toBe(false);
});

test("an operator edits a host's labels on its page; the server's refusal is shown; a viewer only reads them", async ({ page, browser }) => {
  const web = state().hosts["web-01"]!;
  await signIn(page, state().users.operator, `/hosts/${web.id}`);
  const panel = page.locator("#labels");
  await expect(panel.getByTestId("labels-table")).toContainText("env=prod");
  await expect(panel.locator('[data-testid="label-row"][data-label="env"]')).toContainText("agent");

  await panel.getByRole("button", { name: "Edit labels" }).click();
  const editRows = panel.getByTestId("label-edit-row");
  await expect(editRows).toHaveCount(3);
  // Rows are in key order: env, gpu, role.
  await panel.getByLabel("Value of label 1").fill("staging");
  await panel.getByRole("button", { name: "Remove label gpu" }).click();
  await panel.getByRole("button", { name: "Add label" }).click();
  await panel.getByLabel("Key of label 4").fill("Team Name");
  await panel.getByLabel("Value of label 4").fill("ops");
  await panel.getByRole("button", { name: "Save labels" }).click();
  await expect(panel.getByText("Could not save the labels: invalid request — labels.Team Name: a label key holds only a-z, 0-9, _ . - and /")).toBeVisible();
  await screenshot(page, "labels-editor-refused");

  await panel.getByLabel("Key of label 4").fill("team");
  await panel.getByRole("button", { name: "Save labels" }).click();
  await expect(panel.getByTestId("label-edit-row")).toHaveCount(0);
  await expect(panel.locator('[data-testid="label-row"][data-label="env"]')).toContainText("env=staging");
  await expect(panel.locator('[data-testid="label-row"][data-label="env"]')).toContainText("user (agent says prod)");
  await expect(panel.locator('[data-testid="label-row"][data-label="team"]')).toContainText("user");
  await expect(panel.getByTestId("removed-labels")).toContainText("gpu");
  await expect(panel.getByTestId("label-history")).toContainText(`${state().users.operator.email} · env: prod \u2192 staging, \u2212gpu, +team=ops`);
  await screenshot(page, "labels-editor-saved");

  // A viewer sees the same labels and no way to change them.
  const viewerContext = await browser.newContext();
  const viewerPage = await viewerContext.newPage();
  await signIn(viewerPage, state().users.viewer, `/hosts/${web.id}`);
  const viewerPanel = viewerPage.locator("#labels");
  await expect(viewerPanel.getByTestId("labels-table")).toContainText("env=staging");
  await expect(viewerPanel.getByRole("button")).toHaveCount(0);
  await screenshot(viewerPage, "labels-viewer");
  await viewerContext.close();

  // Back to the agent's labels: its value for env, gpu restored, team removed.
  await panel.getByRole("button", { name: "Use the agent's value" }).click();
  await expect(panel.locator('[data-testid="label-row"][data-label="env"]')).toContainText("env=prod");
  await panel.getByRole("button", { name: "Restore gpu" }).click();
  await expect(panel.locator('[data-testid="label-row"][data-label="gpu"]')).toHaveCount(1);
  await panel.getByRole("button", { name: "Edit labels" }).click();
  await panel.getByRole("button", { name: "Remove label team" }).click();
  await panel.getByRole("button", { name: "Save labels" }).click();
  await expect(panel.locator('[data-testid="label-row"]')).toHaveCount(3);
  for (const key of ["env", "gpu", "role"]) await expect(panel.locator(`[data-testid="label-row"][data-label="${key}"]`)).toContainText("agent");
});
