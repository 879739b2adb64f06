import { expect, screenshot, signIn, test } from "./fixtures";
import { state } from "./state";

test("an operator creates a rule from the form, sees it fire after a cron run, acknowledges and silences it", async ({ page }) => {
  await signIn(page, state().users.operator, "/alerts");
  await page.getByRole("button", { name: "New rule" }).click();
  const form = page.getByTestId("rule-form");

  // The API's validation messages reach the form.
  await form.getByRole("button", { name: "Create rule" }).click();
  await expect(form.getByTestId("rule-form-error")).toBeVisible();
  await expect(form.locator(".field-error").first()).toBeVisible();
  await expect(form.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Threshold")).toHaveAttribute("aria-invalid", "true");
  await screenshot(page, "alerts-rule-form-errors");

  await form.getByLabel("Name").fill("db CPU high");
  await form.getByLabel("Hosts").selectOption({ label: "db-01" });
  await form.getByLabel("Severity").selectOption("critical");
  await form.getByLabel("Metric").selectOption("cpuPct");
  await form.getByLabel("Operator").selectOption(">");
  await form.getByLabel("Threshold").fill("50");
  await form.getByLabel("For (seconds)").fill("0");
  await form.getByRole("button", { name: "Create rule" }).click();
  await expect(page.getByTestId("rule-form")).toHaveCount(0);
  const rule = page.locator('[data-testid="rule-row"][data-rule="db CPU high"]');
  await expect(rule).toContainText("CPU % > 50");
  await expect(rule).toContainText("db-01");

  const run = await page.request.post("/api/cron/alerts", { headers: { authorization: `Bearer ${state().cronSecret}` } });
  expect(run.status()).toBe(200);
  expect((await run.json()).fired).toBeGreaterThanOrEqual(1);

  const event = page.locator('[data-testid="event-row"][data-rule="db CPU high"]');
  await expect(event).toHaveCount(1, { timeout: 20_000 }); // the event log polls every 15 s
  await expect(event).toHaveAttribute("data-state", "firing");
  await expect(event).toContainText("db-01");
  await expect(event).toContainText("critical");
  // Firing events come first.
  await expect(page.getByTestId("event-row").first()).toHaveAttribute("data-state", "firing");

  await event.getByRole("button", { name: /^Acknowledge/ }).click();
  await expect(event.getByTestId("ack-cell")).toContainText(`by ${state().users.operator.email}`);
  await expect(event.getByRole("button", { name: /^Acknowledge/ })).toHaveCount(0);

  await event.getByRole("button", { name: /^Silence/ }).click();
  await event.getByLabel("Reason").fill("planned load test");
  await event.getByRole("button", { name: "Silence", exact: true }).click();
  const silence = page.getByTestId("silence-row").filter({ hasText: "planned load test" });
  await expect(silence).toContainText("db CPU high");
  await expect(silence).toContainText("db-01");
  await screenshot(page, "alerts");

  // Filters: by state and by host.
  await page.getByLabel("State").selectOption("resolved");
  await expect(event).toHaveCount(0);
  await page.getByLabel("State").selectOption("firing");
  await expect(event).toHaveCount(1);
  await page.getByLabel("Host", { exact: true }).selectOption({ label: "web-01" });
  await expect(event).toHaveCount(0);
  await page.getByLabel("Host", { exact: true }).selectOption({ label: "db-01" });
  await expect(event).toHaveCount(1);

  // Edit, disable and delete from the table.
  await rule.getByRole("button", { name: "Edit db CPU high" }).click();
  await page.getByTestId("rule-form").getByLabel("Threshold").fill("60");
  await page.getByTestId("rule-form").getByRole("button", { name: "Save rule" }).click();
  await expect(rule).toContainText("CPU % > 60");
  await rule.getByRole("checkbox").click(); // controlled by the server's answer, so no uncheck()
  await expect(rule.getByRole("checkbox")).not.toBeChecked();
  await expect(rule).toContainText("off");

  // The host page shows the alert in its timeline and the overview counts it.
  await page.goto(`/hosts/${state().hosts["db-01"]!.id}`);
  await expect(page.getByTestId("timeline").locator('li[data-kind="fired"]')).toContainText("db CPU high fired");
  await page.goto("/");
  await expect(page.locator('[data-testid="host-row"][data-host="db-01"] .alert-count')).toHaveText("1");

  await page.goto("/alerts");
  await rule.getByRole("button", { name: "Delete db CPU high" }).click();
  await rule.getByRole("button", { name: "Confirm delete" }).click();
  await expect(rule).toHaveCount(0);
});
