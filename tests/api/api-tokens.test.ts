/**
 * API tokens over HTTP: created once-shown, role at most the creator's, listed with last use,
 * revocable, expiring, dead with a disabled user, capped by a demoted user's role; never
 * accepted as agent tokens, and agent tokens never accepted as them.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { adminLogin, api, enrolledHost, sample, unique, userWithRole } from "../helpers/api";

const a = api();
let admin: string;

beforeAll(async () => {
  admin = (await adminLogin(a)).accessToken;
});

async function newToken(creator: string, body: Record<string, unknown>) {
  const r = await a.post("/api/tokens", { name: unique("tok"), ...body }, creator);
  expect(r.status, r.text).toBe(201);
  return r.body as { id: string; token: string; name: string; role: string; expiresAt: string | null };
}

describe("creating and using API tokens", () => {
  it("a viewer makes a viewer token: shown once, prefixed, reads with the viewer role", async () => {
    const viewer = await userWithRole(a, admin, "viewer");
    const t = await newToken(viewer.accessToken, { role: "viewer" });
    expect(t.token).toMatch(/^iwk_[A-Za-z0-9_-]{43}$/);
    expect((await a.get("/api/hosts", t.token)).status).toBe(200);
    expect((await a.post("/api/alerts", { name: "x" }, t.token)).status).toBe(403);

    const list = await a.get("/api/tokens", viewer.accessToken);
    expect(list.status).toBe(200);
    expect(list.body.tokens).toMatchObject([{ id: t.id, name: t.name, role: "viewer", userEmail: viewer.email, active: true, revokedAt: null, expiresAt: null }]);
    // Never again: neither the token nor its hash is in any listing.
    expect(list.text).not.toContain(t.token);
    expect(list.text).not.toMatch(/hash/i);
  });

  it("a token's role is at most its creator's", async () => {
    const viewer = await userWithRole(a, admin, "viewer");
    const refused = await a.post("/api/tokens", { name: "up", role: "operator" }, viewer.accessToken);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatch(/at most your own/);
    const operator = await userWithRole(a, admin, "operator");
    expect((await a.post("/api/tokens", { name: "up", role: "admin" }, operator.accessToken)).status).toBe(403);
    const t = await newToken(operator.accessToken, { role: "operator" });
    // Operator permissions: an empty rule is a 400 from validation, not a 401/403.
    expect((await a.post("/api/alerts", {}, t.token)).status).toBe(400);
    expect((await a.get("/api/users", t.token)).status).toBe(403);
    // A token cannot mint a token above itself either.
    const viewerToken = await newToken(operator.accessToken, { role: "viewer" });
    expect((await a.post("/api/tokens", { name: "esc", role: "operator" }, viewerToken.token)).status).toBe(403);
  });

  it("bad input is a 400 that creates nothing", async () => {
    const viewer = await userWithRole(a, admin, "viewer");
    for (const body of [{ role: "viewer" }, { name: "", role: "viewer" }, { name: "x", role: "root" }, { name: "x", role: "viewer", expiresAt: "tomorrow" }, { name: "x", role: "viewer", expiresAt: new Date(Date.now() - 1000).toISOString() }]) {
      const r = await a.post("/api/tokens", body, viewer.accessToken);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.issues?.length ?? 0, JSON.stringify(body)).toBeGreaterThan(0);
    }
    expect((await a.get("/api/tokens", viewer.accessToken)).body.tokens).toEqual([]);
  });

  it("records the last use (at most once a minute)", async () => {
    const viewer = await userWithRole(a, admin, "viewer");
    const t = await newToken(viewer.accessToken, { role: "viewer" });
    const before = (await a.get("/api/tokens", viewer.accessToken)).body.tokens[0];
    expect(before.lastUsedAt).toBeNull();
    await a.get("/api/hosts", t.token);
    const first = (await a.get("/api/tokens", viewer.accessToken)).body.tokens[0].lastUsedAt;
    expect(Date.now() - Date.parse(first)).toBeLessThan(60_000);
    await a.get("/api/hosts", t.token);
    expect((await a.get("/api/tokens", viewer.accessToken)).body.tokens[0].lastUsedAt).toBe(first);
  });
});

describe("revocation, expiry, the user's state", () => {
  it("a revoked token stops working; another user cannot see or revoke it; an admin can", async () => {
    const owner = await userWithRole(a, admin, "operator");
    const other = await userWithRole(a, admin, "operator");
    const t = await newToken(owner.accessToken, { role: "viewer" });
    expect((await a.del(`/api/tokens/${t.id}`, other.accessToken)).status).toBe(404);
    expect((await a.get("/api/tokens", other.accessToken)).body.tokens).toEqual([]);
    expect((await a.get("/api/hosts", t.token)).status).toBe(200);

    const all = await a.get("/api/tokens", admin);
    expect(all.body.tokens.map((x: { id: string }) => x.id)).toContain(t.id);
    expect((await a.del(`/api/tokens/${t.id}`, admin)).status).toBe(204);
    const refused = await a.get("/api/hosts", t.token);
    expect(refused.status).toBe(401);
    expect((await a.get("/api/tokens", owner.accessToken)).body.tokens[0]).toMatchObject({ id: t.id, active: false, revokedAt: expect.any(String) });
    // Revoking again changes nothing; an unknown id is a 404.
    expect((await a.del(`/api/tokens/${t.id}`, owner.accessToken)).status).toBe(204);
    expect((await a.del("/api/tokens/00000000-0000-4000-8000-000000000000", owner.accessToken)).status).toBe(404);
  });

  it("an expired token is refused", async () => {
    const viewer = await userWithRole(a, admin, "viewer");
    const t = await newToken(viewer.accessToken, { role: "viewer", expiresAt: new Date(Date.now() + 1500).toISOString() });
    expect((await a.get("/api/hosts", t.token)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2000));
    expect((await a.get("/api/hosts", t.token)).status).toBe(401);
    expect((await a.get("/api/tokens", viewer.accessToken)).body.tokens[0]).toMatchObject({ active: false, revokedAt: null });
  });

  it("a disabled user's tokens stop working, and a demoted user's tokens are demoted too", async () => {
    const user = await userWithRole(a, admin, "operator");
    const t = await newToken(user.accessToken, { role: "operator" });
    expect((await a.post("/api/alerts", {}, t.token)).status).toBe(400);
    expect((await a.patch(`/api/users/${user.id}`, { role: "viewer" }, admin)).status).toBe(200);
    expect((await a.post("/api/alerts", {}, t.token)).status).toBe(403);
    expect((await a.get("/api/hosts", t.token)).status).toBe(200);
    expect((await a.patch(`/api/users/${user.id}`, { disabled: true }, admin)).status).toBe(200);
    expect((await a.get("/api/hosts", t.token)).status).toBe(401);
  });
});

describe("API tokens and agent tokens never cross", () => {
  it("an API token cannot post telemetry or snapshots; an agent token cannot call user routes or scrape", async () => {
    const t = await newToken(admin, { role: "admin" });
    const host = await enrolledHost(a, admin);
    expect((await a.call("POST", "/api/telemetry", { token: t.token, body: { samples: [sample(0)] } })).status).toBe(401);
    expect((await a.call("POST", "/api/snapshot", { token: t.token, body: { ts: new Date().toISOString(), packages: [], env: {} } })).status).toBe(401);
    expect((await a.get("/api/hosts", host.agentToken)).status).toBe(401);
    expect((await a.get("/api/tokens", host.agentToken)).status).toBe(401);
    expect((await a.get("/api/prometheus/metrics", host.agentToken)).status).toBe(401);
    // The agent token with the API prefix pasted on, and the reverse, are unknown tokens.
    expect((await a.get("/api/hosts", "iwk_" + host.agentToken.slice(4))).status).toBe(401);
    expect((await a.call("POST", "/api/telemetry", { token: "iwa_" + t.token.slice(4), body: { samples: [sample(0)] } })).status).toBe(401);
    // Both still work where they belong.
    expect((await a.call("POST", "/api/telemetry", { token: host.agentToken, body: { samples: [sample(0)] } })).status).toBe(202);
    expect((await a.get("/api/hosts", t.token)).status).toBe(200);
  });

  it("the scrape route takes only an API token: not a session's access token", async () => {
    const viewer = await userWithRole(a, admin, "viewer");
    expect((await a.get("/api/prometheus/metrics")).status).toBe(401);
    const jwt = await a.get("/api/prometheus/metrics", viewer.accessToken);
    expect(jwt.status).toBe(401);
    expect(jwt.body.error).toMatch(/API token/);
    const t = await newToken(viewer.accessToken, { role: "viewer" });
    const ok = await a.get("/api/prometheus/metrics", t.token);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(ok.text).toContain("# TYPE infrawatch_host_up gauge");
  });
});
