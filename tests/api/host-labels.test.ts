/**
 * Host labels over HTTP against `next start`: the agent's labels arrive with telemetry, an
 * operator's PATCH wins over them and survives the next report, viewers may not edit, bad labels
 * and bad selectors are 400s that say what and where, and the Prometheus exposition carries them.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { adminLogin, api, enrolledHost, sample, userWithRole } from "../helpers/api";

const a = api();
let admin: string;
let operator: string;
let viewer: string;
let host: { hostId: string; agentToken: string; hostname: string };
let msAgo = 50_000;
const report = (labels: Record<string, unknown> | undefined, h = host) =>
  a.post("/api/telemetry", { host: { hostname: h.hostname, ...(labels ? { labels } : {}) }, samples: [sample((msAgo -= 1000))] }, h.agentToken);

beforeAll(async () => {
  admin = (await adminLogin(a)).accessToken;
  operator = (await userWithRole(a, admin, "operator")).accessToken;
  viewer = (await userWithRole(a, admin, "viewer")).accessToken;
  host = await enrolledHost(a, admin);
});

describe("host labels", () => {
  it("agent labels, an operator's edit, the next agent report: the operator's value and removal stay", async () => {
    expect((await report({ env: "prod", role: "web", gpu: "" })).status).toBe(202);
    expect((await a.get(`/api/hosts/${host.hostId}`, viewer)).body).toMatchObject({ labels: { env: "prod", role: "web", gpu: "" }, labelSources: { env: "agent" } });

    const patched = await a.patch(`/api/hosts/${host.hostId}`, { labels: { env: "staging", role: "web", team: "db" } }, operator);
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ id: host.hostId, labels: { env: "staging", role: "web", team: "db" }, labelSources: { env: "user", role: "agent", team: "user" }, removedLabels: ["gpu"] });

    expect((await report({ env: "prod", role: "api", gpu: "" })).status).toBe(202);
    const after = (await a.get(`/api/hosts/${host.hostId}`, viewer)).body;
    expect(after.labels).toEqual({ env: "staging", role: "api", team: "db" });
    expect(after.agentLabels).toEqual({ env: "prod", role: "api", gpu: "" });
    const listed = (await a.get("/api/hosts", viewer)).body.hosts.find((h: { id: string }) => h.id === host.hostId);
    expect(listed.labels).toEqual(after.labels);

    // Handing env back to the agent.
    const reset = await a.patch(`/api/hosts/${host.hostId}`, { labels: { role: "api", team: "db" }, resetLabels: ["env"] }, admin);
    expect(reset.body.labels).toEqual({ env: "prod", role: "api", team: "db" });

    // Who changed what, newest first, readable by viewers.
    const log = await a.get(`/api/hosts/${host.hostId}/label-changes`, viewer);
    expect(log.status).toBe(200);
    expect(log.body.changes).toHaveLength(2);
    expect(log.body.changes[0]).toMatchObject({ after: { labels: { env: "prod", role: "api", team: "db" } }, actorEmail: expect.stringContaining("admin") });
    expect(log.body.changes[1]).toMatchObject({ before: { labels: { env: "prod", role: "web", gpu: "" } }, after: { labels: { env: "staging", role: "web", team: "db" } } });
    expect(log.body.changes[1].actorEmail).toMatch(/^operator-/);
    expect((await a.get(`/api/hosts/00000000-0000-4000-8000-000000000000/label-changes`, viewer)).status).toBe(404);
  });

  it("refuses viewers, bad labels and unknown fields with the reason, changing nothing", async () => {
    const before = (await a.get(`/api/hosts/${host.hostId}`, viewer)).body.labels;
    expect((await a.patch(`/api/hosts/${host.hostId}`, { labels: {} }, viewer)).status).toBe(403);
    const bad = await a.patch(`/api/hosts/${host.hostId}`, { labels: { Env: "prod", role: "-x" } }, operator);
    expect(bad.status).toBe(400);
    expect(bad.body.issues).toEqual([
      { path: "labels.Env", message: "a label key holds only a-z, 0-9, _ . - and /" },
      { path: "labels.role", message: "a label value begins and ends with a letter or digit" },
    ]);
    const many = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, "v"]));
    expect((await a.patch(`/api/hosts/${host.hostId}`, { labels: many }, operator)).body.issues).toEqual([{ path: "labels", message: "at most 32 labels per host" }]);
    expect((await a.patch(`/api/hosts/${host.hostId}`, { labels: {}, hostname: "x" }, operator)).status).toBe(400);
    expect((await a.patch(`/api/hosts/${host.hostId}`, { labels: "env=prod" }, operator)).status).toBe(400);
    expect((await a.patch(`/api/hosts/00000000-0000-4000-8000-000000000000`, { labels: {} }, operator)).status).toBe(404);
    expect((await a.get(`/api/hosts/${host.hostId}`, viewer)).body.labels).toEqual(before);
  });

  it("refuses a telemetry batch with bad labels, storing none of it", async () => {
    const r = await report({ env: "pr od" });
    expect(r.status).toBe(400);
    expect(r.body.issues).toEqual([{ path: "host.labels.env", message: "a label value holds only A-Z, a-z, 0-9, _ . and -" }]);
  });

  it("GET /api/hosts?selector= filters, and a bad selector is a 400 naming the position", async () => {
    const other = await enrolledHost(a, admin);
    expect((await report({ env: "prod", zone: "eu-1" }, other)).status).toBe(202);
    const ids = async (selector: string) => {
      const r = await a.get(`/api/hosts?selector=${encodeURIComponent(selector)}`, viewer);
      expect(r.status, r.text).toBe(200);
      return (r.body.hosts as { id: string }[]).map((h) => h.id).filter((id) => id === host.hostId || id === other.hostId);
    };
    expect(await ids("env=prod,team=db")).toEqual([host.hostId]);
    expect(await ids("zone in (eu-1,eu-2)")).toEqual([other.hostId]);
    expect((await ids("env=prod")).sort()).toEqual([host.hostId, other.hostId].sort());
    expect(await ids("env=prod,!zone,team notin (web)")).toEqual([host.hostId]);
    expect((await ids("")).length).toBe(2);

    const bad = await a.get(`/api/hosts?selector=${encodeURIComponent("env=prod,,x")}`, viewer);
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      error: 'invalid selector at position 10: expected a label key, found ","',
      issues: [{ path: "selector", message: 'invalid selector at position 10: expected a label key, found ","' }],
    });
    const open = await a.get(`/api/hosts?selector=${encodeURIComponent("team in (a,b")}`, viewer);
    expect(open.body.error).toBe('invalid selector at position 13: expected "," or ")", found the end of the selector');
    expect((await a.get(`/api/hosts?selector=${"a".repeat(2000)}`, viewer)).status).toBe(400);
  });

  it("the Prometheus exposition carries the labels, sanitised, never replacing host_id or hostname", async () => {
    await a.patch(`/api/hosts/${host.hostId}`, { labels: { env: "staging", "k8s.io/team": "db", hostname: "spoof" } }, operator);
    const key = (await a.post("/api/tokens", { name: "labels-scrape", role: "viewer" }, admin)).body.token as string;
    const text = (await a.get("/api/prometheus/metrics", key)).text;
    const line = text.split("\n").find((l) => l.startsWith("infrawatch_host_up{") && l.includes(`host_id="${host.hostId}"`));
    expect(line).toBe(`infrawatch_host_up{host_id="${host.hostId}",hostname="${host.hostname}",env="staging",label_hostname="spoof",k8s_io_team="db"} 1`);
  });
});
