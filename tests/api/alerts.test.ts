/**
 * Alert rules, evaluation and events over HTTP against `next start` (the shared server, its
 * timer off: evaluations happen only when a test calls the cron route). Every rule here is
 * scoped to a host this file enrolled, so other files' hosts never fire and this file never
 * counts their events.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import { adminLogin, api, enrolledHost, sample, userWithRole, type Api } from "../helpers/api";
import { withContract } from "../helpers/contract";

const a = withContract(api()); // every answer checked against the OpenAPI document
let admin: string;
let operator: { accessToken: string; id: string; email: string };
let viewer: { accessToken: string; id: string };

beforeAll(async () => {
  admin = (await adminLogin(a)).accessToken;
  operator = await userWithRole(a, admin, "operator");
  viewer = await userWithRole(a, admin, "viewer");
});

const cron = (x: Api = a) => x.call("POST", "/api/cron/alerts", { token: inject("cronSecret") });

async function post(agentToken: string, samples: unknown[]) {
  const r = await a.call("POST", "/api/telemetry", { token: agentToken, body: { samples } });
  expect(r.status, r.text).toBe(202);
}

async function createRule(body: Record<string, unknown>) {
  const r = await a.post("/api/alerts", { name: "cpu high", kind: "threshold", metric: "cpuPct", op: ">", threshold: 90, forSeconds: 0, severity: "warning", ...body }, operator.accessToken);
  expect(r.status, r.text).toBe(201);
  return r.body as { id: string; hostId: string; name: string };
}

async function eventsOf(ruleId: string, extra = "") {
  const r = await a.get(`/api/alerts/events?ruleId=${ruleId}${extra}`, viewer.accessToken);
  expect(r.status, r.text).toBe(200);
  return r.body.events as { id: string; state: string; value: number; hostId: string; hostname: string; ruleName: string; message: string; startedAt: string; resolvedAt: string | null; ackedBy: string | null; ackedAt: string | null; silenced: boolean }[];
}

/** Samples every 30 s from `fromMsAgo` to `toMsAgo`. */
const run = (fromMsAgo: number, toMsAgo: number, v: Record<string, unknown>) => {
  const out = [];
  for (let ago = fromMsAgo; ago >= toMsAgo; ago -= 30_000) out.push(sample(ago, v));
  return out;
};

describe("threshold rules", () => {
  it("forSeconds 0 fires on the latest sample and resolves when it no longer meets the condition", async () => {
    const host = await enrolledHost(a, admin);
    const rule = await createRule({ hostId: host.hostId });
    await post(host.agentToken, [sample(2000, { cpuPct: 97 })]);
    const fired = await cron();
    expect(fired.status, fired.text).toBe(200);
    expect(fired.body).toMatchObject({ evaluated: expect.any(Number), fired: expect.any(Number), resolved: expect.any(Number) });
    expect(fired.body.fired).toBeGreaterThanOrEqual(1);
    let events = await eventsOf(rule.id);
    expect(events).toMatchObject([{ state: "firing", value: 97, hostId: host.hostId, hostname: host.hostname, ruleName: "cpu high", resolvedAt: null, ackedBy: null }]);

    await post(host.agentToken, [sample(0, { cpuPct: 12 })]);
    expect((await cron()).status).toBe(200);
    events = await eventsOf(rule.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ state: "resolved", value: 97, resolvedAt: expect.any(String) });
    expect((await eventsOf(rule.id, "&state=firing"))).toHaveLength(0);
  });

  it("forSeconds 300 fires for a host above the threshold for 7 minutes, not for one above for 1 minute", async () => {
    const long = await enrolledHost(a, admin);
    const short = await enrolledHost(a, admin);
    const longRule = await createRule({ hostId: long.hostId, forSeconds: 300 });
    const shortRule = await createRule({ hostId: short.hostId, forSeconds: 300 });
    await post(long.agentToken, run(7 * 60_000, 0, { cpuPct: 95 }));
    await post(short.agentToken, [...run(7 * 60_000, 90_000, { cpuPct: 20 }), ...run(60_000, 0, { cpuPct: 95 })]);
    expect((await cron()).status).toBe(200);
    const fired = await eventsOf(longRule.id);
    expect(fired).toMatchObject([{ state: "firing", value: 95 }]);
    expect(fired[0]!.message).toMatch(/for 7m/);
    expect(await eventsOf(shortRule.id)).toHaveLength(0);
  });
});

describe("hostDown rules", () => {
  it("fire for a silent host and not for a reporting one", async () => {
    const silent = await enrolledHost(a, admin);
    const reporting = await enrolledHost(a, admin);
    const silentRule = await createRule({ kind: "hostDown", forSeconds: 2, hostId: silent.hostId, metric: null, op: null, threshold: null, name: "down" });
    const reportingRule = await createRule({ kind: "hostDown", forSeconds: 2, hostId: reporting.hostId, metric: null, op: null, threshold: null, name: "down" });
    await new Promise((r) => setTimeout(r, 2500));
    await post(reporting.agentToken, [sample(0)]);
    expect((await cron()).status).toBe(200);
    expect(await eventsOf(silentRule.id)).toMatchObject([{ state: "firing", hostId: silent.hostId }]);
    expect(await eventsOf(reportingRule.id)).toHaveLength(0);

    // The silent host reports: its event resolves.
    await post(silent.agentToken, [sample(0)]);
    expect((await cron()).status).toBe(200);
    expect(await eventsOf(silentRule.id)).toMatchObject([{ state: "resolved" }]);
  });
});

describe("the evaluation trigger", () => {
  it("five concurrent cron calls leave one open event", async () => {
    const host = await enrolledHost(a, admin);
    const rule = await createRule({ hostId: host.hostId });
    await post(host.agentToken, [sample(1000, { cpuPct: 99 })]);
    const replies = await Promise.all([...Array(5)].map(() => cron()));
    for (const r of replies) expect(r.status, r.text).toBe(200);
    expect(await eventsOf(rule.id)).toHaveLength(1);
    expect(await eventsOf(rule.id, "&state=firing")).toHaveLength(1);
  });

  it("GET works too (Vercel cron) and needs the cron secret", async () => {
    expect((await a.get("/api/cron/alerts", inject("cronSecret"))).status).toBe(200);
    expect((await a.get("/api/cron/alerts")).status).toBe(401);
    expect((await a.get("/api/cron/alerts", admin)).status).toBe(401);
  });

  it("records runs", async () => {
    await cron();
    const r = await a.get("/api/alerts/runs?limit=1", viewer.accessToken);
    expect(r.status).toBe(200);
    expect(r.body.runs).toMatchObject([{ trigger: "cron", startedAt: expect.any(String), evaluated: expect.any(Number) }]);
  });
});

describe("acknowledgement", () => {
  it("is refused to a viewer and records who and when for an operator", async () => {
    const host = await enrolledHost(a, admin);
    const rule = await createRule({ hostId: host.hostId });
    await post(host.agentToken, [sample(1000, { cpuPct: 99 })]);
    await cron();
    const [event] = await eventsOf(rule.id);
    const refused = await a.post(`/api/alerts/events/${event!.id}/ack`, undefined, viewer.accessToken);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: expect.any(String) });
    expect((await eventsOf(rule.id))[0]).toMatchObject({ ackedBy: null, ackedAt: null });

    const acked = await a.post(`/api/alerts/events/${event!.id}/ack`, undefined, operator.accessToken);
    expect(acked.status, acked.text).toBe(200);
    expect(acked.body).toMatchObject({ id: event!.id, ackedBy: operator.id, ackedByEmail: operator.email, ackedAt: expect.any(String) });
    // The first acknowledgement stands.
    const again = await a.post(`/api/alerts/events/${event!.id}/ack`, undefined, admin);
    expect(again.body).toMatchObject({ ackedBy: operator.id, ackedAt: acked.body.ackedAt });
    expect((await a.post("/api/alerts/events/00000000-0000-4000-8000-000000000000/ack", undefined, operator.accessToken)).status).toBe(404);
  });
});

describe("rule validation", () => {
  const issuePaths = (r: { body: { issues?: { path: string }[] } }) => (r.body.issues ?? []).map((i) => i.path);

  it("answers 400 with issues naming what is wrong", async () => {
    const host = await enrolledHost(a, admin);
    const cases: [Record<string, unknown>, string[]][] = [
      [{ name: "x", kind: "threshold", severity: "warning" }, ["metric", "op", "threshold"]],
      [{ name: "x", kind: "threshold", metric: "bogus", op: ">", threshold: 1, severity: "warning" }, ["metric"]],
      [{ name: "x", kind: "threshold", metric: "cpuPct", op: "!=", threshold: 1, severity: "warning" }, ["op"]],
      [{ name: "x", kind: "hostDown", forSeconds: 0, severity: "critical" }, ["forSeconds"]],
      // A week of every host's samples per run (issue 11.15): capped at 24 h.
      [{ name: "x", kind: "threshold", metric: "cpuPct", op: ">", threshold: 1, forSeconds: 7 * 24 * 3600, severity: "warning" }, ["forSeconds"]],
      [{ name: "x", kind: "drift", severity: "info", config: { target: "nope" } }, ["config.target"]],
      [{ name: "", kind: "hostDown", forSeconds: 60, severity: "loud" }, ["name", "severity"]],
      [{ name: "x", kind: "hostDown", forSeconds: 60, severity: "info", hostId: "not-a-host" }, ["hostId"]],
      [{ name: "x", kind: "hostDown", forSeconds: 60, severity: "info", hostId: "00000000-0000-4000-8000-000000000000" }, ["hostId"]],
    ];
    for (const [body, paths] of cases) {
      const r = await a.post("/api/alerts", body, operator.accessToken);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error).toEqual(expect.any(String));
      for (const p of paths) expect(issuePaths(r), JSON.stringify(body)).toContain(p);
    }
    expect((await a.call("POST", "/api/alerts", { raw: "{nope", headers: { "content-type": "application/json" }, token: operator.accessToken })).status).toBe(400);
    expect((await a.call("POST", "/api/alerts", { raw: "x", headers: { "content-type": "text/plain" }, token: operator.accessToken })).status).toBe(415);

    // PATCH merges the stored rule with the patch and validates the result.
    const rule = await createRule({ hostId: host.hostId });
    const bad = await a.patch(`/api/alerts/${rule.id}`, { kind: "hostDown" }, operator.accessToken);
    expect(bad.status).toBe(400);
    expect(issuePaths(bad)).toContain("forSeconds");
    expect((await a.patch(`/api/alerts/${rule.id}`, { threshold: "high" }, operator.accessToken)).status).toBe(400);
    expect((await a.patch(`/api/alerts/${rule.id}`, {}, operator.accessToken)).status).toBe(400);
    const ok = await a.patch(`/api/alerts/${rule.id}`, { kind: "hostDown", forSeconds: 120 }, operator.accessToken);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body).toMatchObject({ kind: "hostDown", forSeconds: 120, metric: null, op: null, threshold: null, hostId: host.hostId });
    expect((await a.patch("/api/alerts/00000000-0000-4000-8000-000000000000", { enabled: false }, operator.accessToken)).status).toBe(404);
  });

  it("refuses writes to a viewer", async () => {
    const r = await a.post("/api/alerts", { name: "x", kind: "hostDown", forSeconds: 60, severity: "info" }, viewer.accessToken);
    expect(r.status).toBe(403);
  });
});

describe("rule changes", () => {
  it("are recorded with who made them, and outlive the rule", async () => {
    const host = await enrolledHost(a, admin);
    const rule = await createRule({ hostId: host.hostId, threshold: 80 });
    const patched = await a.patch(`/api/alerts/${rule.id}`, { threshold: 85, enabled: false }, admin);
    expect(patched.status, patched.text).toBe(200);
    expect((await a.del(`/api/alerts/${rule.id}`, operator.accessToken)).status).toBe(204);
    expect((await a.get(`/api/alerts/${rule.id}`, viewer.accessToken)).status).toBe(404);

    const r = await a.get(`/api/alerts/${rule.id}/changes`, viewer.accessToken);
    expect(r.status, r.text).toBe(200);
    const adminEmail = inject("adminEmail");
    expect(r.body.changes).toMatchObject([
      { action: "delete", actorEmail: operator.email, actorId: operator.id, before: { threshold: 85, enabled: false }, after: null },
      { action: "update", actorEmail: adminEmail, before: { threshold: 80, enabled: true }, after: { threshold: 85, enabled: false } },
      { action: "create", actorEmail: operator.email, before: null, after: { threshold: 80, name: "cpu high", hostId: host.hostId } },
    ]);
  });
});

describe("the event log", () => {
  it("filters by host, rule, state and time, and pages with a cursor or an offset", async () => {
    const host = await enrolledHost(a, admin);
    const rules = [];
    for (let i = 0; i < 3; i++) rules.push(await createRule({ hostId: host.hostId, name: `page-${i}`, threshold: 50 + i }));
    await post(host.agentToken, [sample(1000, { cpuPct: 99 })]);
    await cron();

    const all = await a.get(`/api/alerts/events?hostId=${host.hostId}`, viewer.accessToken);
    expect(all.body.events).toHaveLength(3);
    expect(all.body.hasMore).toBe(false);
    const p1 = await a.get(`/api/alerts/events?hostId=${host.hostId}&limit=2`, viewer.accessToken);
    expect(p1.body.events).toHaveLength(2);
    expect(p1.body.nextCursor).toEqual(expect.any(String));
    const p2 = await a.get(`/api/alerts/events?hostId=${host.hostId}&limit=2&cursor=${p1.body.nextCursor}`, viewer.accessToken);
    expect(p2.body.events).toHaveLength(1);
    expect(p2.body.nextCursor).toBeNull();
    const ids = [...p1.body.events, ...p2.body.events].map((e: { id: string }) => e.id);
    expect(new Set(ids).size).toBe(3);
    expect(ids.sort()).toEqual(all.body.events.map((e: { id: string }) => e.id).sort());
    const byOffset = await a.get(`/api/alerts/events?hostId=${host.hostId}&limit=2&offset=2`, viewer.accessToken);
    expect(byOffset.body.events.map((e: { id: string }) => e.id)).toEqual(p2.body.events.map((e: { id: string }) => e.id));

    expect((await a.get(`/api/alerts/events?hostId=${host.hostId}&state=resolved`, viewer.accessToken)).body.events).toHaveLength(0);
    expect((await a.get(`/api/alerts/events?hostId=${host.hostId}&from=-1h&to=now`, viewer.accessToken)).body.events).toHaveLength(3);
    expect((await a.get(`/api/alerts/events?hostId=${host.hostId}&to=-1h`, viewer.accessToken)).body.events).toHaveLength(0);

    for (const bad of ["state=open", "hostId=nope", "from=yesterday", "from=now&to=-1h", "cursor=garbage", "limit=0", "cursor=x&offset=1"]) {
      const r = await a.get(`/api/alerts/events?${bad}`, viewer.accessToken);
      expect(r.status, bad).toBe(400);
      expect(r.body.issues, bad).toEqual(expect.any(Array));
    }
  });
});

describe("silences", () => {
  it("are validated, listed and ended", async () => {
    const host = await enrolledHost(a, admin);
    const rule = await createRule({ hostId: host.hostId });
    const endsAt = new Date(Date.now() + 3600_000).toISOString();
    for (const [body, path] of [
      [{ endsAt, reason: "x" }, "ruleId"],
      [{ ruleId: rule.id, endsAt: new Date(Date.now() - 1000).toISOString(), reason: "x" }, "endsAt"],
      [{ ruleId: rule.id, endsAt, reason: "" }, "reason"],
      [{ ruleId: "00000000-0000-4000-8000-000000000000", endsAt, reason: "x" }, "ruleId"],
    ] as const) {
      const r = await a.post("/api/alerts/silences", body, operator.accessToken);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
    expect((await a.post("/api/alerts/silences", { ruleId: rule.id, endsAt, reason: "x" }, viewer.accessToken)).status).toBe(403);
    const created = await a.post("/api/alerts/silences", { ruleId: rule.id, hostId: host.hostId, endsAt, reason: "maintenance" }, operator.accessToken);
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ ruleId: rule.id, ruleName: "cpu high", hostId: host.hostId, hostname: host.hostname, reason: "maintenance", active: true, createdByEmail: operator.email });
    const listed = await a.get(`/api/alerts/silences?ruleId=${rule.id}`, viewer.accessToken);
    expect(listed.body.silences.map((s: { id: string }) => s.id)).toEqual([created.body.id]);
    const ended = await a.patch(`/api/alerts/silences/${created.body.id}`, { endsAt: new Date(Date.now() + 1000).toISOString() }, operator.accessToken);
    expect(ended.status, ended.text).toBe(200);
    expect((await a.del(`/api/alerts/silences/${created.body.id}`, operator.accessToken)).status).toBe(204);
    expect((await a.get(`/api/alerts/silences?ruleId=${rule.id}&scope=all`, viewer.accessToken)).body.silences).toHaveLength(0);
  });
});

describe("drift rules", () => {
  it("fire once on a snapshot that changed what they name, and close on the next run", async () => {
    const host = await enrolledHost(a, admin);
    const rule = await createRule({ kind: "drift", name: "nginx added", metric: null, op: null, threshold: null, hostId: host.hostId, config: { target: "packages", pattern: "nginx*", changes: ["added"] } });
    const snapshot = (packages: { name: string; version: string }[]) => a.call("POST", "/api/snapshot", { token: host.agentToken, body: { ts: new Date().toISOString(), packages, env: {} } });
    expect((await snapshot([{ name: "bash", version: "5.2" }])).status).toBe(201);
    expect((await snapshot([{ name: "bash", version: "5.2" }, { name: "nginx", version: "1.24" }])).status).toBe(201);
    expect((await snapshot([{ name: "bash", version: "5.3" }, { name: "nginx", version: "1.24" }])).status).toBe(201);
    // Changes are read once they have settled (DRIFT_SETTLE_SECONDS), so a change committed while a run starts is never skipped.
    await new Promise((r) => setTimeout(r, 5500));
    await cron();
    const events = await eventsOf(rule.id);
    expect(events).toMatchObject([{ state: "firing", value: 1 }]);
    expect(events[0]!.message).toContain("nginx 1.24");
    await cron();
    expect(await eventsOf(rule.id)).toMatchObject([{ state: "resolved" }]);
    await cron();
    expect(await eventsOf(rule.id)).toHaveLength(1);
  });
});

describe("serviceFailed, containerDown and processMissing rules", () => {
  it("need a pattern, and a drift rule takes each inventory section as a target", async () => {
    for (const kind of ["serviceFailed", "containerDown", "processMissing"]) {
      const r = await a.post("/api/alerts", { name: "x", kind, severity: "warning" }, operator.accessToken);
      expect(r.status, kind).toBe(400);
      expect(r.body.issues.map((i: { path: string }) => i.path)).toContain("config");
      const ok = await a.post("/api/alerts", { name: kind, kind, severity: "warning", config: { pattern: "nginx*" }, hostId: (await enrolledHost(a, admin)).hostId }, operator.accessToken);
      expect(ok.status, ok.text).toBe(201);
      expect(ok.body).toMatchObject({ kind, config: { pattern: "nginx*" } });
    }
    for (const target of ["ports", "users", "services", "jobs", "files", "containers"]) {
      const r = await a.post("/api/alerts", { name: target, kind: "drift", severity: "info", config: { target, pattern: "*" }, hostId: (await enrolledHost(a, admin)).hostId }, operator.accessToken);
      expect(r.status, r.text).toBe(201);
    }
  });

  it("serviceFailed fires when a unit enters failed and resolves when it is active again", async () => {
    const host = await enrolledHost(a, admin);
    const rule = await createRule({ kind: "serviceFailed", name: "nginx failed", metric: null, op: null, threshold: null, hostId: host.hostId, config: { pattern: "nginx*" } });
    const snapshot = (active: string) =>
      a.call("POST", "/api/snapshot", { token: host.agentToken, body: { ts: new Date().toISOString(), packages: [], env: {}, services: [{ unit: "nginx.service", enabled: "enabled", active }] } });
    expect((await snapshot("active")).status).toBe(201);
    await cron();
    expect(await eventsOf(rule.id)).toEqual([]);
    expect((await snapshot("failed")).status).toBe(201);
    await cron();
    expect(await eventsOf(rule.id)).toMatchObject([{ state: "firing", value: 1, message: "failed: nginx.service" }]);
    expect((await snapshot("active")).status).toBe(201);
    await cron();
    expect(await eventsOf(rule.id)).toMatchObject([{ state: "resolved" }]);
  });

  it("processMissing does not fire from the top processes alone (they prove presence, not absence), and fires and resolves on the complete name list", async () => {
    const host = await enrolledHost(a, admin);
    const rule = await createRule({ kind: "processMissing", name: "sshd missing", metric: null, op: null, threshold: null, hostId: host.hostId, config: { pattern: "sshd" } });
    await post(host.agentToken, [sample(3000, { processes: [{ pid: 1, name: "stress", cpuPct: 99, rssBytes: 1 }] })]);
    await cron();
    expect(await eventsOf(rule.id)).toEqual([]);
    // With the complete name list (Sample.processNames) absence is known: it fires, and resolves once sshd is back.
    await post(host.agentToken, [sample(2000, { processes: [{ pid: 1, name: "stress", cpuPct: 99, rssBytes: 1 }], processNames: ["stress", "cron"] })]);
    await cron();
    expect(await eventsOf(rule.id)).toMatchObject([{ state: "firing", message: "no process matching sshd is running" }]);
    await post(host.agentToken, [sample(1000, { processNames: ["stress", "cron", "sshd"] })]);
    await cron();
    expect(await eventsOf(rule.id)).toMatchObject([{ state: "resolved" }]);
  });
});
