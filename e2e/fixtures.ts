/** Shared test helpers: sign in through the real form, fail on console errors, save screenshots. */
import fs from "node:fs";
import path from "node:path";
import { test as base, expect, type Page } from "@playwright/test";
import { RESULTS_DIR, state, type Credentials } from "./state";

export const SCREENSHOT_DIR = path.join(RESULTS_DIR, "screenshots");

export const test = base.extend<{ consoleErrors: string[] }>({
  baseURL: async ({}, provide) => provide(state().baseUrl),
  consoleErrors: [
    async ({ page }, provide) => {
      const errors: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
      await provide(errors);
      // Refusals a test provokes (a 400 from a form, a 403) are logged by the browser as failed resources.
      const real = errors.filter((e) => !/Failed to load resource: the server responded with a status of (400|401|403|409)/.test(e));
      expect(real, "console errors").toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

export async function signIn(page: Page, who: Credentials, path = "/") {
  await page.goto(`/login?callbackUrl=${encodeURIComponent(path)}`);
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signed-in-user")).toHaveText(who.email);
}

export async function screenshot(page: Page, name: string) {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // A full-page shot of a scrolled page draws the sticky top bar mid-page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
