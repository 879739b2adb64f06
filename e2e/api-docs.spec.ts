import path from "node:path";
import { SCREENSHOT_DIR, expect, signIn, test } from "./fixtures";
import { state } from "./state";

test("the API reference renders the OpenAPI document from this server alone, reachable from the nav", async ({ page }) => {
  // Offline: any request to another host is refused and remembered.
  const foreign: string[] = [];
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.origin === new URL(state().baseUrl).origin) return route.continue();
    foreign.push(url.href);
    return route.abort();
  });
  await signIn(page, state().users.viewer, "/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API docs", exact: true }).click();
  await expect(page).toHaveURL(/\/docs\/api$/);
  const docs = page.getByTestId("api-docs");
  await expect(docs.getByRole("heading", { name: "Infra-Watch API" })).toBeVisible({ timeout: 20_000 });
  const sidebar = docs.getByRole("complementary", { name: "Sidebar for Infra-Watch API" });
  await expect(sidebar.getByRole("link", { name: /Sign in with email and password/ })).toBeVisible();
  // Tags fold out; each operation shows its summary, auth, parameters and response schema.
  await sidebar.getByRole("button", { name: "Open Group - hosts" }).click();
  await sidebar.getByRole("link", { name: /List hosts with their latest sample/ }).click();
  const main = docs.getByRole("main", { name: "API documentation for Infra-Watch API" });
  await expect(main.getByRole("heading", { name: "List hosts with their latest sample" })).toBeVisible();
  await expect(main.getByText("droppedSamples").first()).toBeAttached();
  // The operation in view (the whole reference is ~15,000 px tall).
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, "api-docs.png") });
  expect(foreign).toEqual([]);
});

test("the API reference needs a signed-in user; the document itself is public", async ({ page, request }) => {
  await page.goto("/docs/api");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fdocs%2Fapi/);
  const doc = await request.get("/api/openapi.json");
  expect(doc.status()).toBe(200);
  expect((await doc.json()).openapi).toBe("3.1.0");
});
