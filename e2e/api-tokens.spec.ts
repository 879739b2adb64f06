import fs from "node:fs";
import { expect, screenshot, signIn, test } from "./fixtures";
import { state } from "./state";

test("an operator creates an API token (shown once), it works, shows its last use, and is revoked", async ({ page }) => {
  await signIn(page, state().users.operator);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API tokens" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "API tokens" })).toBeVisible();
  // No role above the operator's own is offered.
  await expect(page.getByLabel("Role").locator("option")).toHaveText(["viewer", "operator"]);

  await page.getByLabel("Name").fill("ci-script");
  await page.getByLabel("Role").selectOption("operator");
  await page.getByRole("button", { name: "Create token" }).click();
  const value = page.getByTestId("api-token-value");
  await expect(value).toHaveText(/^iwk_/);
  await expect(page.getByRole("button", { name: "Copy the API token" })).toBeVisible();
  const token = (await value.textContent())!;
  await screenshot(page, "api-tokens-created");

  const used = await page.request.get("/api/hosts", { headers: { authorization: `Bearer ${token}` } });
  expect(used.status()).toBe(200);

  await page.reload();
  const row = page.locator('[data-testid="api-token-row"][data-name="ci-script"]');
  await expect(row).toContainText("operator");
  await expect(row).toContainText(/\d+s ago|just now/);
  expect(await page.content()).not.toContain(token);

  await row.getByRole("button", { name: "Revoke the token ci-script" }).click();
  await row.getByRole("button", { name: "Confirm revoke" }).click();
  await expect(row).toContainText("revoked");
  await screenshot(page, "api-tokens-revoked");
  expect((await page.request.get("/api/hosts", { headers: { authorization: `Bearer ${token}` } })).status()).toBe(401);
});

test("the host page downloads the shown range as CSV; the alerts page links the event log export", async ({ page }) => {
  await signIn(page, state().users.viewer);
  await page.goto(`/hosts/${state().hosts["web-01"]!.id}`);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
  expect(download.suggestedFilename()).toMatch(/^metrics-.*\.csv$/);
  const text = fs.readFileSync((await download.path())!, "utf8");
  expect(text.split("\r\n")[0]).toMatch(/^ts,cpu_pct,mem_pct,disk_pct,/);
  expect(text.split("\r\n").length).toBeGreaterThan(2);
  await screenshot(page, "host-export-links");

  await page.goto("/alerts");
  const [events] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-events").click()]);
  expect(events.suggestedFilename()).toMatch(/^alert-events-.*\.csv$/);
  expect(fs.readFileSync((await events.path())!, "utf8")).toMatch(/^id,started_at,resolved_at,state,severity,rule,/);
});
