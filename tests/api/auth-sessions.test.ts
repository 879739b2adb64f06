/**
 * Dashboard sessions that must end (password reset, absolute lifetime) stay ended even through
 * next-auth's renewal endpoint; cookie-authenticated writes must come from the app's own origin.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { adminLogin, api, enrolledHost, sample, userWithRole } from "../helpers/api";
import { startTestServer, type TestServer } from "../helpers/server";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SESSION_COOKIE = "next-auth.session-token=";

/** What the login page does: next-auth's CSRF token, then the credentials callback. Returns the session cookie. */
async function formSignIn(baseUrl: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith(SESSION_COOKIE));
  if (!session) throw new Error(`sign-in of ${email} set no session cookie (${res.status})`);
  return session.split(";")[0]!;
}

/** GET /api/auth/session as the dashboard polls it: the session it reports and the cookie it sets. */
async function renew(baseUrl: string, cookie: string) {
  const res = await fetch(`${baseUrl}/api/auth/session`, { headers: { cookie } });
  const fresh = res.headers.getSetCookie().find((c) => c.startsWith(SESSION_COOKIE));
  const value = fresh?.split(";")[0];
  return { body: (await res.json()) as { user?: unknown; userId?: string }, cookie: value && value !== SESSION_COOKIE ? value : undefined };
}

describe("a revoked dashboard session cannot renew itself", () => {
  const a = api();
  let admin: string;
  beforeAll(async () => {
    admin = (await adminLogin(a)).accessToken;
  });

  it("after a password reset, /api/auth/session gives the old cookie no session and no working cookie", async () => {
    const u = await userWithRole(a, admin, "viewer");
    const cookie = await formSignIn(a.baseUrl, u.email, u.password);
    expect((await a.call("GET", "/api/hosts", { headers: { cookie } })).status).toBe(200);
    // Renewal works while the session is valid, and the renewed cookie is the same user.
    const before = await renew(a.baseUrl, cookie);
    expect(before.body.userId).toBe(u.id);
    // Issue times are whole seconds: let one pass so the reset is later than the sign-in.
    await sleep(1100);
    expect((await a.patch(`/api/users/${u.id}`, { password: "a-brand-new-password" }, admin)).status).toBe(200);

    for (const old of [cookie, before.cookie!]) {
      const after = await renew(a.baseUrl, old);
      expect(after.body.user).toBeUndefined();
      expect(after.body.userId).toBeUndefined();
      if (after.cookie) expect((await a.call("GET", "/api/hosts", { headers: { cookie: after.cookie } })).status).toBe(401);
      expect((await a.call("GET", "/api/hosts", { headers: { cookie: old } })).status).toBe(401);
    }
    // Signing in again with the new password gives a working session.
    const again = await formSignIn(a.baseUrl, u.email, "a-brand-new-password");
    expect((await a.call("GET", "/api/hosts", { headers: { cookie: again } })).status).toBe(200);
  });
});

describe("sessions have an absolute lifetime (IW_SESSION_LIFETIME_S=3)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { IW_SESSION_LIFETIME_S: "3" } });
  });
  afterAll(async () => server?.stop());

  it("renewing every second does not keep a session past its lifetime", async () => {
    let cookie = await formSignIn(server.baseUrl, server.adminEmail, server.adminPassword);
    const s = api(server.baseUrl);
    expect((await s.call("GET", "/api/hosts", { headers: { cookie } })).status).toBe(200);
    for (let i = 0; i < 5; i++) {
      await sleep(1000);
      const r = await renew(server.baseUrl, cookie);
      if (r.cookie) cookie = r.cookie;
    }
    expect((await renew(server.baseUrl, cookie)).body.userId).toBeUndefined();
    expect((await s.call("GET", "/api/hosts", { headers: { cookie } })).status).toBe(401);
  });
});

describe("CSRF: cookie-authenticated writes from another origin", () => {
  const a = api();
  let admin: string;
  let cookie: string;
  const foreign = { origin: "https://evil.example", "content-type": "text/plain" };
  const asAdminCookie = (method: string, url: string, headers: Record<string, string>, raw = "{}") => a.call(method, url, { headers: { cookie, ...headers }, raw });

  beforeAll(async () => {
    admin = (await adminLogin(a)).accessToken;
    cookie = await formSignIn(a.baseUrl, inject("adminEmail"), inject("adminPassword"));
  });

  it("POST /api/enrollment-tokens is refused with 403 JSON and creates nothing", async () => {
    const count = async () => ((await a.get("/api/enrollment-tokens", admin)).body.tokens as unknown[]).length;
    const before = await count();
    const r = await asAdminCookie("POST", "/api/enrollment-tokens", foreign, "");
    expect(r.status).toBe(403);
    expect(r.body.error).toMatch(/cross-site/);
    expect(await count()).toBe(before);
  });

  it("POST /api/hosts/:id/revoke is refused and the agent keeps working", async () => {
    const host = await enrolledHost(a, admin);
    expect((await asAdminCookie("POST", `/api/hosts/${host.hostId}/revoke`, foreign, "")).status).toBe(403);
    expect((await a.post("/api/telemetry", sample(0), host.agentToken)).status).toBe(202);
  });

  it("POST /api/alerts/events/:id/ack and /api/channels/:id/test are refused before they look the id up", async () => {
    const id = "00000000-0000-4000-8000-000000000000";
    expect((await asAdminCookie("POST", `/api/alerts/events/${id}/ack`, foreign)).status).toBe(403);
    expect((await asAdminCookie("POST", `/api/channels/${id}/test`, foreign)).status).toBe(403);
    // Without Origin, a browser's Sec-Fetch-Site decides; same-site is not same-origin.
    expect((await asAdminCookie("POST", `/api/channels/${id}/test`, { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await asAdminCookie("POST", `/api/channels/${id}/test`, { "sec-fetch-site": "same-site" })).status).toBe(403);
    expect((await asAdminCookie("DELETE", `/api/channels/${id}`, { origin: "null" })).status).toBe(403);
  });

  it("the dashboard's own same-origin fetches still work, and bearer calls are not affected", async () => {
    const same = { origin: a.baseUrl, "content-type": "application/json", "sec-fetch-site": "same-origin" };
    expect((await asAdminCookie("POST", "/api/enrollment-tokens", same)).status).toBe(201);
    expect((await asAdminCookie("POST", "/api/enrollment-tokens", { "content-type": "application/json", "sec-fetch-site": "same-origin" })).status).toBe(201);
    const host = await enrolledHost(a, admin);
    expect((await asAdminCookie("POST", `/api/hosts/${host.hostId}/revoke`, same, "")).status).toBe(204);
    // A script or CLI with a bearer token has no ambient credential to abuse.
    const bearer = await a.call("POST", "/api/enrollment-tokens", { token: admin, headers: { origin: "https://evil.example" }, body: {} });
    expect(bearer.status).toBe(201);
    // Reads are not checked.
    expect((await a.call("GET", "/api/hosts", { headers: { cookie, origin: "https://evil.example" } })).status).toBe(200);
  });
});
