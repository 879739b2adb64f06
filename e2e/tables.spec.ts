import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./fixtures";
import { state } from "./state";

/** Every data table says what it is (its caption is its accessible name) and scopes its headers to columns. */
async function expectAccessibleTables(page: Page, names: string[]) {
  for (const name of names) await expect(page.getByRole("table", { name }), name).toBeVisible();
  const tables = await page.locator("table").evaluateAll((list) =>
    list.map((t) => ({
      name: t.querySelector("caption")?.textContent?.trim() || t.getAttribute("aria-label") || "",
      unscoped: [...t.querySelectorAll("thead th")].filter((th) => th.getAttribute("scope") !== "col").length,
    })),
  );
  expect(tables.length).toBeGreaterThanOrEqual(names.length);
  for (const t of tables) {
    expect(t.name, "a table without a caption or aria-label").not.toBe("");
    expect(t.unscoped, `headers of "${t.name}" without scope="col"`).toBe(0);
  }
}

test("the dashboard's tables have names and scoped headers", async ({ page }) => {
  await signIn(page, state().users.admin);
  await expectAccessibleTables(page, ["Hosts"]);
  await expect(page.getByRole("columnheader", { name: "CPU" })).toHaveAttribute("aria-sort", "none");

  await page.goto(`/hosts/${state().hosts["web-01"]!.id}`);
  await expect(page.getByTestId("config-kernel")).toBeVisible();
  await expectAccessibleTables(page, ["Installed packages"]);

  await page.goto("/alerts");
  await expect(page.getByRole("heading", { level: 1, name: "Alerts" })).toBeVisible();
  await expect(page.getByTestId("rules-table").or(page.getByText("No alert rules yet."))).toBeVisible();
  await expectAccessibleTables(page, []);

  await page.goto("/settings/users");
  await expectAccessibleTables(page, ["User accounts"]);

  await page.goto("/settings/agents");
  await expectAccessibleTables(page, ["Enrolled agents"]);
});
