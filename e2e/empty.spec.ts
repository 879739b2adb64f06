/** A server of its own with no host yet: the overview explains how to enroll the first agent. */
import { test as base, expect } from "@playwright/test";
import { startTestServer, type TestServer } from "../tests/helpers/server";
import { screenshot } from "./fixtures";

const test = base.extend<Record<never, never>, { empty: TestServer }>({
  empty: [
    async ({}, provide) => {
      const server = await startTestServer({ distDir: process.env.NEXT_DIST_DIR || ".next" });
      await provide(server);
      await server.stop();
    },
    { scope: "worker", timeout: 120_000 },
  ],
});

test("a new installation's overview tells the admin how to enroll the first agent", async ({ page, empty }) => {
  const errors: string[] = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(`${empty.baseUrl}/login`);
  await page.getByLabel("Email").fill(empty.adminEmail);
  await page.getByLabel("Password").fill(empty.adminPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
  const onboarding = page.getByTestId("empty-hosts");
  await expect(onboarding).toBeVisible();
  await expect(onboarding).toContainText("No hosts yet");
  await expect(onboarding).toContainText("install command");
  await screenshot(page, "overview-empty");
  await onboarding.getByRole("link", { name: "Settings → Agents" }).click();
  await expect(page).toHaveURL(/\/settings\/agents$/);
  await expect(page.getByText("No agent has enrolled yet.")).toBeVisible();
  await page.goto(`${empty.baseUrl}/alerts`);
  await expect(page.getByText("No alert has fired yet.")).toBeVisible();
  await expect(page.getByText("No alert rules yet.")).toBeVisible();
  await screenshot(page, "alerts-empty");
  expect(errors).toEqual([]);
});
