/** Container stats over HTTP: posted with samples by an agent, read back by a viewer at a moment. */
import { beforeAll, describe, expect, it } from "vitest";
import { adminLogin, api, enrolledHost, sample, userWithRole } from "../helpers/api";
import { withContract } from "../helpers/contract";

const a = withContract(api());
let admin: string;

const web = (cpuPct: number) => ({ id: "5b1c0a7d", name: "web", image: "nginx:1.27", state: "running", health: "healthy", restartCount: 1, cpuPct, memBytes: 125538304, netRxBytes: 19391488, netTxBytes: 4546064 });
const job = { id: "o1", name: "job", image: "busybox", state: "exited", restartCount: 0 };

beforeAll(async () => {
  admin = (await adminLogin(a)).accessToken;
});

describe("GET /api/hosts/:id/containers", () => {
  it("answers the newest sample's containers, or the one nearest ?at=, to a viewer", async () => {
    const host = await enrolledHost(a, admin);
    const viewer = (await userWithRole(a, admin, "viewer")).accessToken;
    const none = await a.get(`/api/hosts/${host.hostId}/containers`, viewer);
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ ts: null, containers: [] });

    const samples = [sample(60_000, { containers: [web(4), job] }), sample(30_000), sample(5_000, { containers: [web(9.5)] })];
    expect((await a.post("/api/telemetry", { samples }, host.agentToken)).status).toBe(202);
    const latest = await a.get(`/api/hosts/${host.hostId}/containers`, viewer);
    expect(latest.body).toEqual({ ts: samples[2]!.ts, containers: [web(9.5)] });
    const at = await a.get(`/api/hosts/${host.hostId}/containers?at=${encodeURIComponent(new Date(Date.now() - 50_000).toISOString())}`, viewer);
    expect(at.body).toEqual({ ts: samples[0]!.ts, containers: [web(4), job] });
  });

  it("is a 400 for a bad moment, a 404 for an unknown host, a 401 without a session", async () => {
    const host = await enrolledHost(a, admin);
    const bad = await a.get(`/api/hosts/${host.hostId}/containers?at=yesterday`, admin);
    expect(bad.status).toBe(400);
    expect(bad.body.issues?.[0]?.path).toBe("at");
    expect((await a.get(`/api/hosts/00000000-0000-4000-8000-000000000000/containers`, admin)).status).toBe(404);
    expect((await a.get(`/api/hosts/not-an-id/containers`, admin)).status).toBe(404);
    expect((await a.get(`/api/hosts/${host.hostId}/containers`)).status).toBe(401);
  });
});

describe("container stats an agent may not send", () => {
  it("refuses 101 containers, NUL bytes and unknown states with a 400 naming the field, and stores nothing", async () => {
    const host = await enrolledHost(a, admin);
    const many = Array.from({ length: 101 }, (_, i) => ({ ...web(1), id: `c${i}`, name: `c${i}` }));
    for (const [containers, field] of [
      [many, "samples.0.containers"],
      [[{ ...web(1), name: "a\u0000b" }], "samples.0.containers.0.name"],
      [[{ ...web(1), state: "zombie" }], "samples.0.containers.0.state"],
    ] as const) {
      const r = await a.post("/api/telemetry", { samples: [sample(2_000, { containers })] }, host.agentToken);
      expect(r.status, field).toBe(400);
      expect(r.body.issues.map((i: { path: string }) => i.path), field).toContain(field);
    }
    expect((await a.get(`/api/hosts/${host.hostId}/containers`, admin)).body).toEqual({ ts: null, containers: [] });
  });
});
