/**
 * Single sign-on end to end: a real OpenID Provider (oidc-provider) on a free port, a second
 * Infra-Watch server configured for it, and Chromium following the real redirects: the app's
 * button -> the provider's login page -> back to /api/auth/callback/oidc -> a session.
 */
import { expect, screenshot, test } from "./fixtures";
import type { Page } from "@playwright/test";
import { freePort, startTestServer, type TestServer } from "../tests/helpers/server";
import { startTestProvider, type TestAccount, type TestProvider } from "../tests/helpers/oidc-provider";

const ACCOUNTS: TestAccount[] = [
  { sub: "olga", email: "olga.ops@example.test", email_verified: true, name: "Olga Ops", groups: ["staff", "ops"] },
  // An existing password user; the IdP's groups would say admin, but an existing user keeps their role here.
  { sub: "vera", email: "Vera.Viewer@Example.test", email_verified: true, name: "Vera", groups: ["admins"] },
  { sub: "mallory", email: "admin@example.test", email_verified: false, name: "Not the admin", groups: ["admins"] },
  { sub: "dora", email: "dora.disabled@example.test", email_verified: true, name: "Dora", groups: [] },
];

let idp: TestProvider;
let app: TestServer;
let adminToken: string;

async function apiCall(method: string, path: string, body?: unknown, token = adminToken) {
  const res = await fetch(app.baseUrl + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
}

const userByEmail = async (email: string) => ((await apiCall("GET", "/api/users")).body.users as { id: string; email: string; role: string; disabled: boolean }[]).find((u) => u.email === email);

/** Click the app's SSO button and sign in at the provider as `username`. */
async function signInWithIdp(page: Page, username: string, shot?: string) {
  await page.goto(`${app.baseUrl}/login?callbackUrl=%2Falerts`);
  await page.getByRole("button", { name: "Sign in with Test IdP" }).click();
  await expect(page).toHaveURL(new RegExp(`^${idp.issuer}/interaction/`));
  await expect(page.getByText("Sign in to continue to infra-watch-test.")).toBeVisible();
  if (shot) await screenshot(page, shot);
  await page.getByLabel("Username").fill(username);
  await page.getByRole("button", { name: "Continue" }).click();
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  const appPort = await freePort();
  idp = await startTestProvider({ accounts: ACCOUNTS, redirectUri: `http://127.0.0.1:${appPort}/api/auth/callback/oidc` });
  app = await startTestServer({
    port: appPort,
    env: {
      IW_OIDC_ISSUER: idp.issuer,
      IW_OIDC_CLIENT_ID: idp.clientId,
      IW_OIDC_CLIENT_SECRET: idp.clientSecret,
      IW_OIDC_NAME: "Test IdP",
      IW_OIDC_ROLE_CLAIM: "groups",
      IW_OIDC_ROLE_MAP: "admins:admin,ops:operator",
    },
  });
  const login = await fetch(`${app.baseUrl}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: app.adminEmail, password: app.adminPassword }) });
  adminToken = (await login.json()).accessToken;
  expect((await apiCall("POST", "/api/users", { email: "vera.viewer@example.test", password: "vera-password-123", role: "viewer" })).status).toBe(201);
  expect((await apiCall("POST", "/api/users", { email: "dora.disabled@example.test", password: "dora-password-123", role: "operator" })).status).toBe(201);
});

test.afterAll(async () => {
  const logs = app?.logs() ?? "";
  await app?.stop();
  await idp?.stop();
  // Nothing the server wrote while SSO ran holds the client secret.
  expect(logs).not.toContain(idp.clientSecret);
});

test("a new user signs in through the provider and is created with the role their groups map to", async ({ page }) => {
  await page.goto(`${app.baseUrl}/login`);
  await expect(page.getByRole("button", { name: "Sign in with Test IdP" })).toBeVisible();
  await expect(page.getByLabel("Password")).toBeVisible();
  await screenshot(page, "sso-login");
  expect(await userByEmail("olga.ops@example.test")).toBeUndefined();

  await signInWithIdp(page, "olga", "sso-idp-login");
  await expect(page).toHaveURL(`${app.baseUrl}/alerts`);
  await expect(page.getByTestId("signed-in-user")).toHaveText("olga.ops@example.test");
  await expect(page.locator(".whoami .badge")).toHaveText("operator");
  await screenshot(page, "sso-signed-in");

  const olga = await userByEmail("olga.ops@example.test");
  expect(olga).toMatchObject({ role: "operator", disabled: false });

  // The session is the ordinary one: the API accepts its cookie, and the CSRF check still applies to it.
  const cookies = await page.context().cookies(app.baseUrl);
  const session = cookies.find((c) => c.name === "next-auth.session-token");
  expect(session).toBeDefined();
  const cookie = `${session!.name}=${session!.value}`;
  const hosts = await fetch(`${app.baseUrl}/api/hosts`, { headers: { cookie } });
  expect(hosts.status).toBe(200);
  const crossSite = await fetch(`${app.baseUrl}/api/alerts`, { method: "POST", headers: { cookie, origin: "https://evil.example", "content-type": "application/json" }, body: "{}" });
  expect(crossSite.status).toBe(403);
  // An SSO user has no password: the password form cannot sign them in.
  const pw = await fetch(`${app.baseUrl}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "olga.ops@example.test", password: "!" }) });
  expect(pw.status).toBe(401);
});

test("an existing user is matched by verified email (any case) and keeps their role", async ({ page }) => {
  const before = await userByEmail("vera.viewer@example.test");
  await signInWithIdp(page, "vera");
  await expect(page.getByTestId("signed-in-user")).toHaveText("vera.viewer@example.test");
  await expect(page.locator(".whoami .badge")).toHaveText("viewer");
  const after = await userByEmail("vera.viewer@example.test");
  expect(after?.id).toBe(before?.id);
  expect(after?.role).toBe("viewer");
});

test("an unverified email is refused and matches nobody", async ({ page }) => {
  await signInWithIdp(page, "mallory");
  await expect(page).toHaveURL(/\/login\?error=OidcUnverified/);
  await expect(page.getByTestId("login-error")).toHaveText("Your identity provider did not confirm that email address, so it cannot be used to sign in.");
  await screenshot(page, "sso-unverified");
  expect((await page.context().cookies(app.baseUrl)).some((c) => c.name === "next-auth.session-token")).toBe(false);
  await page.goto(`${app.baseUrl}/alerts`);
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
});

test("a disabled user is refused, and disabling ends an SSO session too", async ({ page }) => {
  const dora = await userByEmail("dora.disabled@example.test");
  await signInWithIdp(page, "dora");
  await expect(page.getByTestId("signed-in-user")).toHaveText("dora.disabled@example.test");

  expect((await apiCall("PATCH", `/api/users/${dora!.id}`, { disabled: true })).status).toBe(200);
  await page.goto(`${app.baseUrl}/alerts`);
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);

  // Dora is still signed in at the provider, so it sends her straight back: the refusal is this server's.
  await page.goto(`${app.baseUrl}/login?callbackUrl=%2Falerts`);
  await page.getByRole("button", { name: "Sign in with Test IdP" }).click();
  await expect(page).toHaveURL(/\/login\?error=OidcDisabled/);
  await expect(page.getByTestId("login-error")).toHaveText("This account is disabled. Ask an administrator.");
  await screenshot(page, "sso-disabled");
});

test.describe("with password sign-in turned off", () => {
  let closed: TestServer;
  test.beforeAll(async () => {
    closed = await startTestServer({
      env: { IW_OIDC_ISSUER: idp.issuer, IW_OIDC_CLIENT_ID: idp.clientId, IW_OIDC_CLIENT_SECRET: idp.clientSecret, IW_PASSWORD_LOGIN: "false" },
    });
  });
  test.afterAll(async () => {
    await closed?.stop();
  });

  test("the form is gone and both password routes refuse", async ({ page }) => {
    await page.goto(`${closed.baseUrl}/login`);
    await expect(page.getByRole("button", { name: `Sign in with 127.0.0.1:${idp.port}` })).toBeVisible();
    await expect(page.getByLabel("Password")).toHaveCount(0);
    await screenshot(page, "sso-only-login");

    const api = await fetch(`${closed.baseUrl}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: closed.adminEmail, password: closed.adminPassword }) });
    expect(api.status).toBe(403);
    expect((await api.json()).error).toMatch(/password sign-in is turned off/);

    // next-auth's credentials callback, driven as the form would (with its CSRF token).
    const csrfRes = await fetch(`${closed.baseUrl}/api/auth/csrf`);
    const { csrfToken } = await csrfRes.json();
    const csrfCookie = (csrfRes.headers.getSetCookie?.() ?? []).map((c) => c.split(";")[0]).join("; ");
    const cb = await fetch(`${closed.baseUrl}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie, origin: closed.baseUrl },
      body: new URLSearchParams({ csrfToken, email: closed.adminEmail, password: closed.adminPassword, json: "true" }),
    });
    // With json=true (as next-auth's client sends it) the answer names the error page in its body, else in Location.
    expect(cb.headers.get("location") ?? (await cb.text())).toContain("error=PasswordLoginOff");
    expect((cb.headers.getSetCookie?.() ?? []).some((c) => c.startsWith("next-auth.session-token="))).toBe(false);
  });
});
