/** The core contract over HTTP against `next start`: health, login, enrollment, telemetry, hosts, metrics. */
import { beforeAll, describe, expect, it } from "vitest";
import { adminLogin, api, enrolledHost, sample, unique, userWithRole } from "../helpers/api";
import { withContract } from "../helpers/contract";

// Every answer is checked against the OpenAPI document (tests/helpers/contract.ts).
const a = withContract(api());
let admin: string;
let viewer: string;
let operator: string;

beforeAll(async () => {
  admin = (await adminLogin(a)).accessToken;
  viewer = (await userWithRole(a, admin, "viewer")).accessToken;
  operator = (await userWithRole(a, admin, "operator")).accessToken;
});

describe("health", () => {
  it("answers 200 with the database state and version", async () => {
    const r = await a.get("/api/health");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "ok", db: "ok", version: expect.any(String) });
  });
});

describe("login", () => {
  it("issues an access token, a refresh token and the user", async () => {
    const r = await a.post("/api/auth/login", { email: "ADMIN@example.test", password: "admin-password-123" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ expiresIn: 900, user: { email: "admin@example.test", role: "admin" } });
    expect(r.body.accessToken.split(".")).toHaveLength(3);
    expect(r.body.refreshToken).toMatch(/^iwr_/);
  });
  it("refuses bad credentials with 401 and the same message for an unknown user", async () => {
    const wrong = await a.post("/api/auth/login", { email: "admin@example.test", password: "not-the-password" });
    const unknown = await a.post("/api/auth/login", { email: "nobody@example.test", password: "not-the-password" });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error).toBe(unknown.body.error);
  });
  it("answers malformed input with 400/415, never 5xx", async () => {
    expect((await a.post("/api/auth/login", { email: 42 })).status).toBe(400);
    expect((await a.call("POST", "/api/auth/login", { raw: "{not json", headers: { "content-type": "application/json" } })).status).toBe(400);
    expect((await a.call("POST", "/api/auth/login", { raw: "email=x", headers: { "content-type": "application/x-www-form-urlencoded" } })).status).toBe(415);
    expect((await a.call("POST", "/api/auth/login", { raw: "x".repeat(70 * 1024), headers: { "content-type": "application/json" } })).status).toBe(413);
  });
});

describe("enrollment", () => {
  it("lets only admins mint tokens", async () => {
    expect((await a.post("/api/enrollment-tokens", {})).status).toBe(401);
    expect((await a.post("/api/enrollment-tokens", {}, viewer)).status).toBe(403);
    expect((await a.post("/api/enrollment-tokens", {}, operator)).status).toBe(403);
    const r = await a.post("/api/enrollment-tokens", { ttlHours: 2, maxUses: 3 }, admin);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ id: expect.any(String), token: expect.stringMatching(/^iwe_/), expiresAt: expect.any(String) });
    expect(Date.parse(r.body.expiresAt) - Date.now()).toBeGreaterThan(7000_000);
    const bad = await a.post("/api/enrollment-tokens", { ttlHours: -1, maxUses: 0 }, admin);
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(["maxUses", "ttlHours"]);
  });

  it("a revoked enrollment token no longer enrolls; listing shows it inactive", async () => {
    const t = (await a.post("/api/enrollment-tokens", { maxUses: 5 }, admin)).body;
    expect((await a.del(`/api/enrollment-tokens/${t.id}`, operator)).status).toBe(403);
    expect((await a.del(`/api/enrollment-tokens/${t.id}`, admin)).status).toBe(204);
    expect((await a.del(`/api/enrollment-tokens/${t.id}`, admin)).status).toBe(404);
    expect((await a.post("/api/agents/enroll", { token: t.token, hostname: "h", machineId: unique("m") })).status).toBe(401);
    const list = await a.get("/api/enrollment-tokens", admin);
    expect(list.body.tokens.find((x: { id: string }) => x.id === t.id)).toMatchObject({ active: false });
    expect(JSON.stringify(list.body)).not.toContain(t.token);
  });

  it("accepts an empty body with defaults", async () => {
    const r = await a.call("POST", "/api/enrollment-tokens", { token: admin });
    expect(r.status).toBe(201);
  });

  it("refuses unknown, used-up and expired tokens with 401", async () => {
    expect((await a.post("/api/agents/enroll", { token: "iwe_nope", hostname: "h", machineId: "m" })).status).toBe(401);
    const once = (await a.post("/api/enrollment-tokens", { maxUses: 1 }, admin)).body.token;
    expect((await a.post("/api/agents/enroll", { token: once, hostname: "h1", machineId: unique("m") })).status).toBe(201);
    expect((await a.post("/api/agents/enroll", { token: once, hostname: "h2", machineId: unique("m") })).status).toBe(401);
    const short = (await a.post("/api/enrollment-tokens", { ttlHours: 1 / 3600 }, admin)).body.token;
    await new Promise((r) => setTimeout(r, 1500));
    expect((await a.post("/api/agents/enroll", { token: short, hostname: "h3", machineId: unique("m") })).status).toBe(401);
    expect((await a.post("/api/agents/enroll", { token: once, hostname: "" })).status).toBe(400);
  });

  it("keeps the host id for a machine enrolled again with its current token as proof, and only the new agent token works", async () => {
    const t = (await a.post("/api/enrollment-tokens", { maxUses: 3 }, admin)).body.token;
    const machineId = unique("machine");
    const first = await a.post("/api/agents/enroll", { token: t, hostname: "again", machineId });
    // Without proof the machine id alone takes nothing over (tests/api/reenrollment.test.ts).
    expect((await a.post("/api/agents/enroll", { token: t, hostname: "again", machineId })).status).toBe(409);
    const second = await a.post("/api/agents/enroll", { token: t, hostname: "again", machineId, currentAgentToken: first.body.agentToken });
    expect(second.status).toBe(201);
    expect(second.body.hostId).toBe(first.body.hostId);
    expect(second.body.agentToken).not.toBe(first.body.agentToken);
    expect((await a.post("/api/telemetry", sample(1000), first.body.agentToken)).status).toBe(401);
    expect((await a.post("/api/telemetry", sample(1000), second.body.agentToken)).status).toBe(202);
  });
});

describe("telemetry", () => {
  it("accepts a batch with host facts, counts a resend as duplicates, and a bare sample", async () => {
    const host = await enrolledHost(a, admin);
    const samples = [sample(3000, { cpuPct: 1 }), sample(2000, { cpuPct: 2, load1: 0.5, swapPct: 3, disks: [{ mount: "/", pct: 30, usedBytes: 3, totalBytes: 10 }] })];
    const facts = { hostname: host.hostname, ip: "10.9.8.7", os: "Debian GNU/Linux 12", kernel: "6.1.0-18-amd64", arch: "x64", agentVersion: "0.1.0" };
    expect(await a.post("/api/telemetry", { host: facts, samples }, host.agentToken)).toMatchObject({ status: 202, body: { accepted: 2, duplicates: 0 } });
    expect(await a.post("/api/telemetry", { host: facts, samples }, host.agentToken)).toMatchObject({ status: 202, body: { accepted: 0, duplicates: 2 } });
    expect(await a.post("/api/telemetry", sample(500, { cpuPct: 9 }), host.agentToken)).toMatchObject({ status: 202, body: { accepted: 1 } });
    const h = await a.get(`/api/hosts/${host.hostId}`, viewer);
    expect(h.body).toMatchObject({ ip: "10.9.8.7", kernel: "6.1.0-18-amd64", os: "Debian GNU/Linux 12", status: "up", latest: { cpuPct: 9 } });
  });

  it("refuses credentials that are not this host's agent token", async () => {
    expect((await a.post("/api/telemetry", sample(1000))).status).toBe(401);
    expect((await a.post("/api/telemetry", sample(1000), admin)).status).toBe(401);
    expect((await a.post("/api/telemetry", sample(1000), "iwa_forged")).status).toBe(401);
  });

  it("answers every malformed body with a 4xx that names the field, and stores nothing", async () => {
    const host = await enrolledHost(a, admin);
    const post = (body: unknown) => a.post("/api/telemetry", body, host.agentToken);
    const over = await post({ samples: [sample(1000), sample(900, { cpuPct: 101 })] });
    expect(over.status).toBe(400);
    expect(over.body.issues).toContainEqual(expect.objectContaining({ path: expect.stringContaining("cpuPct") }));
    const future = await post({ samples: [sample(-10 * 60_000)] });
    expect(future).toMatchObject({ status: 400, body: { issues: [{ path: "samples.0.ts" }] } });
    expect((await post({ samples: [] })).status).toBe(400);
    expect((await post({ samples: Array.from({ length: 1001 }, (_, i) => sample(i * 1000)) })).status).toBe(400);
    expect((await post({ samples: [{ ...sample(1000), ts: "yesterday" }] })).status).toBe(400);
    expect((await post({ host: { hostname: "x".repeat(254) }, samples: [sample(1000)] })).status).toBe(400);
    expect((await post([1, 2, 3])).status).toBe(400);
    expect((await post(null)).status).toBe(400);
    expect((await a.call("POST", "/api/telemetry", { token: host.agentToken, raw: "{", headers: { "content-type": "application/json" } })).status).toBe(400);
    expect((await a.call("POST", "/api/telemetry", { token: host.agentToken, raw: JSON.stringify(sample(1)), headers: { "content-type": "text/plain" } })).status).toBe(415);
    const huge = JSON.stringify({ samples: [sample(1000)], pad: "x".repeat(1024 * 1024) });
    expect((await a.call("POST", "/api/telemetry", { token: host.agentToken, raw: huge, headers: { "content-type": "application/json" } })).status).toBe(413);
    const h = await a.get(`/api/hosts/${host.hostId}`, admin);
    expect(h.body).toMatchObject({ status: "new", latest: null });
  });

  it("enforces the body limit while reading a chunked body with no length", async () => {
    const host = await enrolledHost(a, admin);
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream({
      pull(c) {
        if (sent++ < 24) c.enqueue(chunk);
        else c.close();
      },
    });
    const res = await fetch(`${a.baseUrl}/api/telemetry`, {
      method: "POST",
      headers: { authorization: `Bearer ${host.agentToken}`, "content-type": "application/json" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
  });
});

describe("hosts", () => {
  it("lists hosts for every role, 404s unknown ids, and lets only admins delete", async () => {
    const host = await enrolledHost(a, admin);
    const list = await a.get("/api/hosts", viewer);
    expect(list.status).toBe(200);
    expect(list.body.hosts.find((h: { id: string }) => h.id === host.hostId)).toMatchObject({ hostname: host.hostname, status: "new", latest: null, lastSeenAt: null });
    expect((await a.get("/api/hosts/00000000-0000-4000-8000-000000000000", viewer)).status).toBe(404);
    expect((await a.get("/api/hosts/not-a-uuid", viewer)).status).toBe(404);
    expect((await a.del(`/api/hosts/${host.hostId}`, operator)).status).toBe(403);
    expect((await a.del(`/api/hosts/${host.hostId}`, viewer)).status).toBe(403);
    expect((await a.del(`/api/hosts/${host.hostId}`, admin)).status).toBe(204);
    expect((await a.get(`/api/hosts/${host.hostId}`, admin)).status).toBe(404);
    expect((await a.del(`/api/hosts/${host.hostId}`, admin)).status).toBe(404);
    expect((await a.post("/api/telemetry", sample(1000), host.agentToken)).status).toBe(401);
  });

  it("revoking an agent stops its token and keeps the host", async () => {
    const host = await enrolledHost(a, admin);
    expect((await a.post(`/api/hosts/${host.hostId}/revoke`, {}, operator)).status).toBe(403);
    expect((await a.post(`/api/hosts/${host.hostId}/revoke`, {}, admin)).status).toBe(204);
    expect((await a.post("/api/telemetry", sample(1000), host.agentToken)).status).toBe(401);
    expect((await a.get(`/api/hosts/${host.hostId}`, admin)).status).toBe(200);
  });
});

describe("metrics", () => {
  it("returns exactly the posted values at a fine step and weighted averages downsampled", async () => {
    const host = await enrolledHost(a, admin);
    const values = Array.from({ length: 120 }, (_, i) => (i * 7) % 100);
    const end = Date.now() - 60_000;
    const samples = values.map((v, i) => ({ ...sample(0), ts: new Date(end - (120 - i) * 30_000).toISOString(), cpuPct: v, memPct: 50 }));
    expect((await a.post("/api/telemetry", { samples }, host.agentToken)).status).toBe(202);
    const from = new Date(end - 121 * 30_000).toISOString();
    const to = new Date(end).toISOString();
    const fine = await a.get(`/api/metrics?hostId=${host.hostId}&from=${from}&to=${to}&points=2000`, viewer);
    expect(fine.status).toBe(200);
    expect(fine.body.series.map((p: { cpuPct: number }) => p.cpuPct)).toEqual(values);
    const coarse = await a.get(`/api/metrics?hostId=${host.hostId}&from=${from}&to=${to}&points=10`, viewer);
    expect(coarse.body.series.length).toBeLessThanOrEqual(10);
    expect(coarse.body.stepSeconds).toBeGreaterThanOrEqual(363);
    const weighted = coarse.body.series.reduce((acc: number, p: { cpuPct: number; ts: string }) => {
      const n = samples.filter((s) => Date.parse(s.ts) >= Date.parse(p.ts) && Date.parse(s.ts) < Date.parse(p.ts) + coarse.body.stepSeconds * 1000).length;
      return acc + p.cpuPct * n;
    }, 0);
    expect(weighted / 120).toBeCloseTo(values.reduce((x, y) => x + y, 0) / 120, 6);
  });

  it("carries the process and thread counts through ingest and back, and refuses counts that are not whole", async () => {
    const host = await enrolledHost(a, admin);
    // A minute into an hour two hours ago, 30 s apart: one hourly bucket holds all three.
    const hour = Math.floor((Date.now() - 2 * 3600_000) / 3600_000) * 3600_000;
    const at = (i: number) => Date.now() - (hour + 60_000 + i * 30_000);
    const samples = [sample(at(0), { procCount: 120, threadCount: 340 }), sample(at(1), { procCount: 124, threadCount: 352 }), sample(at(2))];
    expect(await a.post("/api/telemetry", { samples }, host.agentToken)).toMatchObject({ status: 202, body: { accepted: 3 } });
    const range = (ms: number, points: number) => `from=${new Date(hour).toISOString()}&to=${new Date(hour + ms).toISOString()}&points=${points}`;
    const fine = await a.get(`/api/metrics?hostId=${host.hostId}&${range(300_000, 2000)}`, viewer);
    expect(fine.body.series.map((p: Record<string, unknown>) => [p.procCount, p.threadCount])).toEqual([[120, 340], [124, 352], [undefined, undefined]]);
    const coarse = await a.get(`/api/metrics?hostId=${host.hostId}&${range(3000_000, 1)}`, viewer);
    expect(coarse.body.series).toEqual([expect.objectContaining({ ts: new Date(hour).toISOString(), procCount: 122, threadCount: 346 })]);
    for (const bad of [{ procCount: 1.5 }, { threadCount: -1 }]) {
      const r = await a.post("/api/telemetry", { samples: [sample(10_000, bad)] }, host.agentToken);
      expect(r.status).toBe(400);
      expect(r.body.issues).toContainEqual(expect.objectContaining({ path: `samples.0.${Object.keys(bad)[0]}` }));
    }
    expect((await a.post("/api/telemetry", { samples: [sample(10_000, { procCount: "12" })] }, host.agentToken)).status).toBe(400);
    const stored = await a.get(`/api/metrics?hostId=${host.hostId}&from=-1m&to=now&points=2000`, viewer);
    expect(stored.body.series).toEqual([]);
  });

  it("defaults to the last hour and accepts relative ranges", async () => {
    const host = await enrolledHost(a, admin);
    await a.post("/api/telemetry", { samples: [sample(10 * 60_000, { cpuPct: 5 }), sample(2 * 3600_000, { cpuPct: 6 })] }, host.agentToken);
    const def = await a.get(`/api/metrics?hostId=${host.hostId}`, viewer);
    expect(def.body.series.map((p: { cpuPct: number }) => p.cpuPct)).toEqual([5]);
    expect(Date.parse(def.body.to) - Date.parse(def.body.from)).toBe(3600_000);
    const day = await a.get(`/api/metrics?hostId=${host.hostId}&from=-24h&to=now`, viewer);
    expect(day.body.series.map((p: { cpuPct: number }) => p.cpuPct)).toEqual([6, 5]);
  });

  it("validates its parameters", async () => {
    const host = await enrolledHost(a, admin);
    const q = (s: string) => a.get(`/api/metrics?${s}`, viewer);
    expect((await q("")).status).toBe(400);
    expect((await q("hostId=nope")).status).toBe(400);
    expect((await q(`hostId=${host.hostId}&from=now&to=-1h`)).body).toMatchObject({ issues: [{ path: "from" }] });
    expect((await q(`hostId=${host.hostId}&from=tomorrow`)).status).toBe(400);
    expect((await q(`hostId=${host.hostId}&points=5000`)).status).toBe(400);
    expect((await q(`hostId=${host.hostId}&points=0`)).status).toBe(400);
    expect((await q("hostId=00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await a.get(`/api/metrics?hostId=${host.hostId}`)).status).toBe(401);
  });
});
