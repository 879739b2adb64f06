import type { APIRequestContext } from "@playwright/test";
import { expect, screenshot, signIn, test } from "./fixtures";
import { state } from "./state";

const MIN = 60_000;

/** A host of this spec's own, labelled tier=storage, whose / has filled from 60 % to 82 % over six hours. */
async function fillingHost(request: APIRequestContext) {
  const login = await request.post("/api/auth/login", { data: state().users.admin });
  const admin = { authorization: `Bearer ${(await login.json()).accessToken}` };
  const token = await (await request.post("/api/enrollment-tokens", { headers: admin, data: { ttlHours: 1, maxUses: 1 } })).json();
  const enrolled = await (await request.post("/api/agents/enroll", { data: { token: token.token, hostname: "disk-fill-01", machineId: `disk-fill-${Date.now()}` } })).json();
  const now = Date.now();
  const samples = Array.from({ length: 73 }, (_, i) => {
    const minutesAgo = (72 - i) * 5;
    const pct = 82 - (minutesAgo / 360) * 22;
    return {
      ts: new Date(now - minutesAgo * MIN - 5000).toISOString(),
      cpuPct: 12,
      memPct: 40,
      diskPct: pct,
      uptimeS: 90_000 + i * 300,
      disks: [
        { mount: "/", pct, usedBytes: pct * 1e9, totalBytes: 100e9 },
        { mount: "/boot", pct: 24, usedBytes: 0.12e9, totalBytes: 0.5e9 },
      ],
    };
  });
  const posted = await request.post("/api/telemetry", {
    headers: { authorization: `Bearer ${enrolled.agentToken}` },
    data: { host: { hostname: "disk-fill-01", os: "Debian GNU/Linux 12 (bookworm)", kernel: "6.1.0-27-amd64", arch: "x64", agentVersion: "0.1.0", intervalS: 300 }, samples },
  });
  expect(posted.status()).toBe(202);
  const labelled = await request.patch(`/api/hosts/${enrolled.hostId}`, { headers: admin, data: { labels: { tier: "storage" } } });
  expect(labelled.status()).toBe(200);
  return enrolled.hostId as string;
}

test("a forecast rule scoped by a selector previews its hosts, fires 'full in ~…', and a maintenance window marks the host", async ({ page }) => {
  await fillingHost(page.request);
  await signIn(page, state().users.operator, "/alerts");
  await page.getByRole("button", { name: "New rule" }).click();
  const form = page.getByTestId("rule-form");
  await form.getByLabel("Name").fill("Disk fills");
  await form.getByLabel("Kind").selectOption("forecast");
  await form.getByLabel("Hosts").selectOption({ label: "Hosts matching a label selector" });

  // The preview asks the server: a mistake comes back naming its position.
  await form.getByLabel("Label selector").fill("tier in (storage");
  await expect(form.getByTestId("selector-preview-error")).toContainText(/position \d+/);
  await form.getByLabel("Label selector").fill("tier=storage");
  await expect(form.getByTestId("selector-preview")).toHaveText("1 host matches now: disk-fill-01");
  await form.getByLabel("Fit over (seconds)").fill("21600");
  await form.getByLabel("Full within (seconds)").fill("86400");
  await form.getByLabel("Severity").selectOption("critical");
  await screenshot(page, "alerts-rule-selector-preview");

  await form.getByRole("button", { name: "Create rule" }).click();
  await expect(page.getByTestId("rule-form")).toHaveCount(0);
  const rule = page.locator('[data-testid="rule-row"][data-rule="Disk fills"]');
  await expect(rule).toContainText("labels tier=storage");
  await expect(rule).toContainText("any mount full within 1d (fit over 6h)");

  const run = await page.request.post("/api/cron/alerts", { headers: { authorization: `Bearer ${state().cronSecret}` } });
  expect(run.status()).toBe(200);
  const event = page.locator('[data-testid="event-row"][data-rule="Disk fills"]');
  await expect(event).toHaveCount(1, { timeout: 20_000 });
  await expect(event).toHaveAttribute("data-host", "disk-fill-01");
  await expect(event).toContainText(/\/ on disk-fill-01 full in ~4h \d+m at the current rate/);
  await event.scrollIntoViewIfNeeded();
  await screenshot(page, "alerts-forecast-event");

  // A one-off maintenance window over the same selector, from now for two hours.
  await page.getByRole("button", { name: "New window" }).click();
  const mform = page.getByTestId("maintenance-form");
  await mform.getByRole("button", { name: "Create window" }).click();
  await expect(mform.getByTestId("maintenance-form-error")).toBeVisible();
  await expect(mform.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await mform.getByLabel("Name").fill("storage patching");
  await mform.getByLabel("Label selector").fill("tier=storage");
  await expect(mform.getByTestId("selector-preview")).toHaveText("1 host matches now: disk-fill-01");
  await mform.getByRole("button", { name: "Create window" }).click();
  const window = page.locator('[data-testid="maintenance-row"][data-name="storage patching"]');
  await expect(window).toContainText("tier=storage");
  await expect(window).toContainText("in maintenance");
  await window.scrollIntoViewIfNeeded();
  await screenshot(page, "alerts-maintenance-window");

  await page.goto("/");
  const host = page.locator('[data-testid="host-row"][data-host="disk-fill-01"]');
  await expect(host.getByTestId("host-maintenance")).toHaveText("maintenance");

  // Leave the fleet as other specs expect it: the window and the rule go again.
  await page.goto("/alerts");
  await window.getByRole("button", { name: "Delete window storage patching" }).click();
  await window.getByRole("button", { name: "Confirm delete" }).click();
  await expect(window).toHaveCount(0);
  await rule.getByRole("button", { name: "Delete Disk fills" }).click();
  await rule.getByRole("button", { name: "Confirm delete" }).click();
  await expect(rule).toHaveCount(0);
});
