/**
 * Two `next start` processes on one PostgreSQL database, both with their alert timer at 1 s,
 * while three hosts flap above and below a threshold: no (rule, host) pair ever has two open
 * events, events do not overlap, and every transition is notified exactly once. PostgreSQL
 * only: a PGlite data directory cannot be shared by two processes.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { api, enrolledHost, loginAs, sample, type Api } from "../helpers/api";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { startTestServer, type TestServer } from "../helpers/server";
import { startHttpReceiver, type HttpReceiver } from "../helpers/http-receiver";

const onPostgres = Boolean(inject("databaseUrl"));
const FLAP_MS = 20_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!onPostgres)("two instances with timers on one database", () => {
  let database: TestDatabase;
  const servers: TestServer[] = [];
  let hook: HttpReceiver;

  beforeAll(async () => {
    database = await createTestDatabase("iw_two");
    hook = await startHttpReceiver();
    // One after the other: two parallel free-port probes can hand out the same port.
    for (let i = 0; i < 2; i++) servers.push(await startTestServer({ database, env: { IW_ALERT_INTERVAL_S: "1", IW_NOTIFY_ALLOW_CIDRS: "127.0.0.0/8" } }));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await hook?.close();
    await database?.drop();
  });

  it("produce no duplicate events or notifications", async () => {
    try {
      await flapAndCheck();
    } catch (err) {
      for (const s of servers) console.error(`--- server on ${s.port} (exit ${s.process.exitCode}):\n${s.logs()}`);
      throw err;
    }
  });

  async function flapAndCheck() {
    const [a, b] = servers.map((s) => api(s.baseUrl)) as [Api, Api];
    const admin = (await loginAs(a, servers[0]!.adminEmail, servers[0]!.adminPassword)).accessToken;
    expect((await a.post("/api/channels", { name: "hook", config: { kind: "webhook", url: hook.url } }, admin)).status).toBe(201);
    const hosts = [];
    for (let i = 0; i < 3; i++) {
      const host = await enrolledHost(a, admin);
      const rule = await a.post("/api/alerts", { name: `flap-${i}`, kind: "threshold", metric: "cpuPct", op: ">", threshold: 50, forSeconds: 0, severity: "critical", hostId: host.hostId }, admin);
      expect(rule.status, rule.text).toBe(201);
      hosts.push({ ...host, ruleId: rule.body.id as string });
    }

    // Flap: every 1.5 s each host reports high or low (phase-shifted), alternately through either instance.
    const started = Date.now();
    for (let tick = 0; Date.now() - started < FLAP_MS; tick++) {
      await Promise.all(
        hosts.map((h, i) => {
          const high = Math.floor((tick + i) / 2) % 2 === 0;
          const via = (tick + i) % 2 === 0 ? a : b;
          return via.call("POST", "/api/telemetry", { token: h.agentToken, body: { samples: [sample(0, { cpuPct: high ? 90 : 10 })] } });
        }),
      );
      await sleep(1500);
    }
    // Let the last transitions be evaluated and their notifications arrive.
    await sleep(3000);
    let seen = -1;
    while (seen !== hook.requests.length) {
      seen = hook.requests.length;
      await sleep(1000);
    }
    const elapsedS = (Date.now() - started) / 1000;

    let transitions = 0;
    for (const h of hosts) {
      const events = (await a.get(`/api/alerts/events?ruleId=${h.ruleId}&limit=500`, admin)).body.events as { id: string; state: string; startedAt: string; resolvedAt: string | null }[];
      expect(events.length, `events of ${h.hostname}`).toBeGreaterThanOrEqual(2);
      expect(events.filter((e) => e.state === "firing").length).toBeLessThanOrEqual(1);
      // Oldest first: each event ends before the next begins.
      const ordered = [...events].reverse();
      for (let i = 1; i < ordered.length; i++) {
        expect(ordered[i - 1]!.resolvedAt, `event ${ordered[i - 1]!.id} still open when ${ordered[i]!.id} began`).not.toBeNull();
        expect(Date.parse(ordered[i - 1]!.resolvedAt!)).toBeLessThanOrEqual(Date.parse(ordered[i]!.startedAt));
      }
      // Exactly one message per transition, none for anything else.
      const messages = hook.requests.filter((r) => (r.json as { rule: { id: string } }).rule.id === h.ruleId);
      const expected = events.flatMap((e) => (e.resolvedAt ? [`${e.id}:firing`, `${e.id}:resolved`] : [`${e.id}:firing`])).sort();
      expect(messages.map((m) => m.headers["x-infrawatch-delivery"]).sort()).toEqual(expected);
      transitions += expected.length;
    }
    expect(transitions).toBeGreaterThanOrEqual(12);

    // Grouped sends: six hosts of one selector-scoped rule fire in one evaluation, whichever
    // instance runs it: one message listing all six, sent once.
    const group = [];
    for (let i = 0; i < 6; i++) {
      const host = await enrolledHost(a, admin);
      expect((await (i % 2 ? a : b).patch(`/api/hosts/${host.hostId}`, { labels: { rack: "two-grp" } }, admin)).status).toBe(200);
      group.push(host);
    }
    // Disabled while the samples arrive, so both timers see all six hosts at once when it is enabled.
    const grouped = await a.post("/api/alerts", { name: "rack hot", kind: "threshold", metric: "cpuPct", op: ">", threshold: 50, forSeconds: 0, severity: "critical", selector: "rack=two-grp", enabled: false }, admin);
    expect(grouped.status, grouped.text).toBe(201);
    await Promise.all(group.map((h, i) => (i % 2 ? a : b).call("POST", "/api/telemetry", { token: h.agentToken, body: { samples: [sample(0, { cpuPct: 95 })] } })));
    expect((await b.patch(`/api/alerts/${grouped.body.id}`, { enabled: true }, admin)).status).toBe(200);
    for (let waited = 0; waited < 15_000 && !hook.requests.some((r) => (r.json as { rule: { id: string } }).rule.id === grouped.body.id); waited += 500) await sleep(500);
    await sleep(3000);
    const groupMessages = hook.requests.filter((r) => (r.json as { rule: { id: string } }).rule.id === grouped.body.id);
    expect(groupMessages).toHaveLength(1);
    const body = groupMessages[0]!.json as { hosts: { id: string }[] };
    expect(body.hosts.map((h) => h.id).sort()).toEqual(group.map((h) => h.hostId).sort());

    // Both timers evaluated: more runs than one instance ticking once a second could make.
    const runs = (await b.get("/api/alerts/runs?limit=500", admin)).body.runs as { trigger: string }[];
    expect(runs.every((r) => r.trigger === "timer")).toBe(true);
    expect(runs.length).toBeGreaterThan(elapsedS * 1.2);
    for (const s of servers) expect(s.logs()).not.toMatch(/alert evaluation failed/);
  }
});
