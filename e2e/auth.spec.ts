import { expect, screenshot, signIn, test } from "./fixtures";
import { state } from "./state";

test("a signed-out visit goes to /login and signing in returns to the page asked for", async ({ page }) => {
  const web = state().hosts["web-01"]!;
  await page.goto(`/hosts/${web.id}`);
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
  expect(new URL(page.url()).searchParams.get("callbackUrl")).toBe(`/hosts/${web.id}`);
  await expect(page.getByLabel("Email")).toBeVisible();
  await expect(page.getByLabel("Password")).toBeVisible();
  await screenshot(page, "login");

  await page.getByLabel("Email").fill(state().users.admin.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("login-error")).toHaveText("Wrong email or password.");
  await screenshot(page, "login-error");

  await page.getByLabel("Password").fill(state().users.admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(new RegExp(`/hosts/${web.id}$`));
  await expect(page.getByRole("heading", { level: 1, name: "web-01" })).toBeVisible();
  await expect(page.getByTestId("signed-in-user")).toHaveText(state().users.admin.email);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/alerts");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Falerts/);
});

test("the sign-in form works from the keyboard alone", async ({ page }) => {
  await page.goto("/login?callbackUrl=%2Falerts");
  await expect(page.getByLabel("Email")).toBeFocused();
  await page.keyboard.type(state().users.viewer.email);
  await page.keyboard.press("Tab");
  await page.keyboard.type(state().users.viewer.password);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/alerts$/);
  await expect(page.getByRole("heading", { level: 1, name: "Alerts" })).toBeVisible();
});

test("a callbackUrl to another site is not followed", async ({ page }) => {
  await signIn(page, state().users.viewer, "https://evil.example/steal");
  await expect(page).toHaveURL(new RegExp(`^${state().baseUrl}/$`));
});

test("repeated failures get the rate-limit message, not the bad-password one", async ({ page }) => {
  // An account of its own: the limit counts per (account, address), so no other test is locked out.
  await page.goto("/login");
  await page.getByLabel("Email").fill("guesser-target@example.test");
  let text = "";
  for (let i = 0; i < 8 && !/too many/i.test(text); i++) {
    await page.getByLabel("Password").fill(`wrong-password-${i}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("login-error")).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
    text = (await page.getByTestId("login-error").textContent()) ?? "";
  }
  expect(text).toMatch(/Too many failed sign-ins\. Try again in \d+ s\./);
  await screenshot(page, "login-rate-limited");
});
