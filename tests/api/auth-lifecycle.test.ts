/** Refresh rotation, reuse detection, logout, disable, demotion, last-admin protection, sessions. */
import { beforeAll, describe, expect, inject, it } from "vitest";
import { adminLogin, api, loginAs, unique, userWithRole } from "../helpers/api";

const a = api();
let admin: string;

beforeAll(async () => {
  admin = (await adminLogin(a)).accessToken;
});

describe("refresh tokens", () => {
  it("rotate on every use: the new pair works, the old refresh token does not", async () => {
    const u = await userWithRole(a, admin, "viewer");
    const r1 = await a.post("/api/auth/refresh", { refreshToken: u.refreshToken });
    expect(r1.status).toBe(200);
    expect(r1.body.refreshToken).not.toBe(u.refreshToken);
    expect((await a.get("/api/hosts", r1.body.accessToken)).status).toBe(200);
    const r2 = await a.post("/api/auth/refresh", { refreshToken: r1.body.refreshToken });
    expect(r2.status).toBe(200);
  });

  it("presenting a rotated token revokes the whole family", async () => {
    const u = await userWithRole(a, admin, "viewer");
    const next = await a.post("/api/auth/refresh", { refreshToken: u.refreshToken });
    expect(next.status).toBe(200);
    // An attacker replays the stolen original:
    expect((await a.post("/api/auth/refresh", { refreshToken: u.refreshToken })).status).toBe(401);
    // ...and the legitimate holder's newer token is now dead too.
    expect((await a.post("/api/auth/refresh", { refreshToken: next.body.refreshToken })).status).toBe(401);
    // Another login of the same user is a different family and still works.
    const other = await loginAs(a, u.email, u.password);
    expect((await a.post("/api/auth/refresh", { refreshToken: other.refreshToken })).status).toBe(200);
  });

  it("two concurrent refreshes with one token: one wins, and the loser's replay revokes the family", async () => {
    const u = await userWithRole(a, admin, "viewer");
    const [x, y] = await Promise.all([a.post("/api/auth/refresh", { refreshToken: u.refreshToken }), a.post("/api/auth/refresh", { refreshToken: u.refreshToken })]);
    expect([x.status, y.status].sort()).toEqual([200, 401]);
  });

  it("logout revokes the login's refresh tokens and answers 204", async () => {
    const u = await userWithRole(a, admin, "viewer");
    const r = await a.post("/api/auth/logout", { refreshToken: u.refreshToken });
    expect(r.status).toBe(204);
    expect((await a.post("/api/auth/refresh", { refreshToken: u.refreshToken })).status).toBe(401);
    expect((await a.post("/api/auth/logout", { refreshToken: "iwr_unknown" })).status).toBe(204);
  });

  it("garbage refresh tokens are 401 or 400, never 500", async () => {
    expect((await a.post("/api/auth/refresh", { refreshToken: "nope" })).status).toBe(401);
    expect((await a.post("/api/auth/refresh", {})).status).toBe(400);
    expect((await a.post("/api/auth/refresh", { refreshToken: 5 })).status).toBe(400);
  });
});

describe("user administration", () => {
  it("disabling a user stops their access token on the next request and revokes their refresh tokens", async () => {
    const u = await userWithRole(a, admin, "operator");
    expect((await a.get("/api/hosts", u.accessToken)).status).toBe(200);
    expect((await a.patch(`/api/users/${u.id}`, { disabled: true }, admin)).status).toBe(200);
    expect((await a.get("/api/hosts", u.accessToken)).status).toBe(401);
    expect((await a.post("/api/auth/refresh", { refreshToken: u.refreshToken })).status).toBe(401);
    expect((await a.post("/api/auth/login", { email: u.email, password: u.password })).status).toBe(401);
    expect((await a.patch(`/api/users/${u.id}`, { disabled: false }, admin)).status).toBe(200);
    expect((await a.post("/api/auth/login", { email: u.email, password: u.password })).status).toBe(200);
  });

  it("a changed role takes effect on the very next request with the same token", async () => {
    const u = await userWithRole(a, admin, "admin");
    expect((await a.get("/api/users", u.accessToken)).status).toBe(200);
    expect((await a.patch(`/api/users/${u.id}`, { role: "viewer" }, admin)).body).toMatchObject({ role: "viewer" });
    expect((await a.get("/api/users", u.accessToken)).status).toBe(403);
    expect((await a.get("/api/hosts", u.accessToken)).status).toBe(200);
  });

  it("creates users with validation, refuses duplicates with 409 and never returns a password", async () => {
    const email = `${unique("new")}@example.test`;
    const r = await a.post("/api/users", { email, password: "long-enough-pw", role: "viewer", name: "New Person" }, admin);
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ id: expect.any(String), email, name: "New Person", role: "viewer", disabled: false, createdAt: expect.any(String) });
    expect((await a.post("/api/users", { email: email.toUpperCase(), password: "long-enough-pw", role: "viewer" }, admin)).status).toBe(409);
    const bad = await a.post("/api/users", { email: "not-an-email", password: "short", role: "root" }, admin);
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(["email", "password", "role"]);
    const list = await a.get("/api/users", admin);
    expect(JSON.stringify(list.body)).not.toMatch(/password|scrypt/i);
  });

  it("resets a password: the old one stops working and the user's refresh tokens are revoked", async () => {
    const u = await userWithRole(a, admin, "viewer");
    // Credentials carry their issue time in whole seconds: let one pass so the reset is later.
    await new Promise((r) => setTimeout(r, 1100));
    expect((await a.patch(`/api/users/${u.id}`, { password: "a-brand-new-password" }, admin)).status).toBe(200);
    expect((await a.get("/api/hosts", u.accessToken)).status).toBe(401);
    expect((await a.post("/api/auth/login", { email: u.email, password: u.password })).status).toBe(401);
    expect((await a.post("/api/auth/login", { email: u.email, password: "a-brand-new-password" })).status).toBe(200);
    expect((await a.post("/api/auth/refresh", { refreshToken: u.refreshToken })).status).toBe(401);
  });

  it("the last active admin cannot be demoted, disabled or deleted (409)", async () => {
    const users = (await a.get("/api/users", admin)).body.users as { id: string; role: string; disabled: boolean; email: string }[];
    // Leave exactly one active admin: the first one.
    const first = users.find((u) => u.email === inject("adminEmail"))!;
    for (const u of users) if (u.role === "admin" && !u.disabled && u.id !== first.id) await a.patch(`/api/users/${u.id}`, { role: "viewer" }, admin);
    expect((await a.patch(`/api/users/${first.id}`, { role: "operator" }, admin)).status).toBe(409);
    expect((await a.patch(`/api/users/${first.id}`, { disabled: true }, admin)).status).toBe(409);
    expect((await a.del(`/api/users/${first.id}`, admin)).status).toBe(409);
    // With a second admin, the first may step down.
    const second = await userWithRole(a, admin, "admin");
    expect((await a.patch(`/api/users/${first.id}`, { role: "operator" }, second.accessToken)).status).toBe(200);
    expect((await a.patch(`/api/users/${first.id}`, { role: "admin" }, second.accessToken)).status).toBe(200);
  });

  it("deletes a user (404 afterwards) and 404s unknown ids", async () => {
    const u = await userWithRole(a, admin, "viewer");
    expect((await a.del(`/api/users/${u.id}`, admin)).status).toBe(204);
    expect((await a.get("/api/hosts", u.accessToken)).status).toBe(401);
    expect((await a.del(`/api/users/${u.id}`, admin)).status).toBe(404);
    expect((await a.patch(`/api/users/not-a-uuid`, { role: "viewer" }, admin)).status).toBe(404);
    expect((await a.patch(`/api/users/${u.id}`, {}, admin)).status).toBe(400);
  });
});

/** What the login page does: next-auth's CSRF token, then the credentials callback. */
async function signInThroughForm(email: string, password: string) {
  const csrf = await fetch(`${a.baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookieJar = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  return fetch(`${a.baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieJar },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
}

describe("dashboard sessions", () => {
  it("next-auth's credentials sign-in gives a session cookie the API guard accepts as the same actor", async () => {
    const u = await userWithRole(a, admin, "viewer");
    const signIn = await signInThroughForm(u.email, u.password);
    const session = signIn.headers.getSetCookie().find((c) => c.startsWith("next-auth.session-token="));
    expect(session, "session cookie").toBeTruthy();
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    const cookie = session!.split(";")[0]!;
    expect((await a.call("GET", "/api/hosts", { headers: { cookie } })).status).toBe(200);
    expect((await a.call("GET", "/api/users", { headers: { cookie } })).status).toBe(403);
    // Disabling the user ends the session on the next request too (a second later than the
    // sign-in: issue times are whole seconds).
    await new Promise((r) => setTimeout(r, 1100));
    await a.patch(`/api/users/${u.id}`, { disabled: true }, admin);
    expect((await a.call("GET", "/api/hosts", { headers: { cookie } })).status).toBe(401);
    // Enabling the user again does not revive sessions from before the disable.
    await a.patch(`/api/users/${u.id}`, { disabled: false }, admin);
    expect((await a.call("GET", "/api/hosts", { headers: { cookie } })).status).toBe(401);
  });

  it("a wrong password through the sign-in form sets no session", async () => {
    const signIn = await signInThroughForm(inject("adminEmail"), "wrong-password!");
    expect(signIn.headers.getSetCookie().some((c) => c.startsWith("next-auth.session-token="))).toBe(false);
  });

  it("security headers are on pages and API answers", async () => {
    const res = await fetch(`${a.baseUrl}/login`);
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("x-powered-by")).toBeNull();
  });
});
