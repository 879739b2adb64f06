import { expect, screenshot, signIn, test } from "./fixtures";
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
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API" }).click();
  await expect(page).toHaveURL(/\/docs\/api$/);
  const docs = page.getByTestId("api-docs");
  await expect(docs.getByRole("heading", { name: "Infra-Watch API" })).toBeVisible({ timeout: 20_000 });
  await expect(docs.getByText("/api/openapi.json").first()).toBeVisible();
  // Tags fold out; each operation shows its summary, auth, parameters and response schema.
  await docs.getByText("hosts", { exact: true }).first().click();
  await docs.getByText("List hosts with their latest sample").first().click();
  await expect(docs.getByText("droppedSamples").first()).toBeVisible();
  await screenshot(page, "api-docs");
  expect(foreign).toEqual([]);
});

test("the API reference needs a signed-in user; the document itself is public", async ({ page, request }) => {
  await page.goto("/docs/api");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fdocs%2Fapi/);
  const doc = await request.get("/api/openapi.json");
  expect(doc.status()).toBe(200);
  expect((await doc.json()).openapi).toBe("3.1.0");
});
