import path from "node:path";
import { defineConfig } from "@playwright/test";
import { RESULTS_DIR } from "./e2e/state";

/**
 * Browser tests against `next start` on a production build (NEXT_DIST_DIR, default .next) with
 * a fresh database seeded through the real HTTP API by e2e/global-setup.ts.
 * Chromium is Debian's (/usr/bin/chromium): Playwright's own download is not available here.
 */
export default defineConfig({
  testDir: "e2e",
  outputDir: path.join(RESULTS_DIR, "playwright"),
  globalSetup: "./e2e/global-setup.ts",
  globalTeardown: "./e2e/global-teardown.ts",
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    viewport: { width: 1280, height: 900 },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
});
