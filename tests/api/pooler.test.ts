/**
 * Production path through a real connection pooler (issue 10): Debian's PgBouncer in
 * transaction mode in front of the CI PostgreSQL, two `next start` instances started at the
 * same moment through it with IW_DB_POOLER=transaction, 50 hosts enrolled across both, 30 s
 * of telemetry from all of them while both alert timers (1 s) evaluate a rule that fires and
 * resolves. Then, read straight from PostgreSQL: every acknowledged enrollment and sample is
 * stored, no answer was a 5xx, alert events never duplicate or overlap, migrations ran once,
 * and PostgreSQL logged no ERROR for this database during the test.
 */
import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, loginAs, type Api } from "../helpers/api";
import { createTestDatabase, testServerUrl, type TestDatabase } from "../helpers/database";
import { openServerLog, pgbouncerUnavailable, startPgBouncer, type PgBouncer, type ServerLog } from "../helpers/pgbouncer";
import { freePort, startTestServer, type TestServer } from "../helpers/server";

const unavailable = pgbouncerUnavailable();
const HOSTS = 50;
const POST_MS = 30_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(unavailable !== null)(`through PgBouncer in transaction mode${unavailable ? ` (skipped: ${unavailable})` : ""}`, () => {
  let database: TestDatabase;
  let pooler: PgBouncer;
  let pgLog: ServerLog;
  let direct: postgres.Sql;
  const servers: TestServer[] = [];
  let admin = "";
  const enrolled: { hostId: string; agentToken: string }[] = [];

  beforeAll(async () => {
    database = await createTestDatabase("iw_pool");
    pooler = await startPgBouncer(testServerUrl()!);
    pgLog = openServerLog();
    direct = postgres(database.url!, { max: 2, onnotice: () => {} });
    const viaPooler: TestDatabase = { url: pooler.via(database.url!), drop: async () => {} };
    const ports: number[] = [];
    while (ports.length < 2) {
      const p = await freePort();
      if (!ports.includes(p)) ports.push(p);
    }
    // Both at once: they race for the startup lock, one migrates, the other finds it done.
    const env = { IW_DB_POOLER: "transaction", IW_ALERT_INTERVAL_S: "1" };
    const distDir = process.env.NEXT_DIST_DIR || ".next";
    servers.push(...(await Promise.all(ports.map((port) => startTestServer({ database: viaPooler, env, port, distDir })))));
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await direct?.end({ timeout: 5 });
    await pooler?.stop();
    await database?.drop();
  });

  it("loses nothing, answers no 5xx, keeps alert events single, and PostgreSQL logs no error", async () => {
    try {
      await run();
    } catch (err) {
      for (const s of servers) console.error(`--- server on ${s.port}:\n${s.logs()}`);
      console.error(`--- pgbouncer:\n${pooler.logs().slice(-5000)}`);
      throw err;
    }
  });

  async function run() {
    const [a, b] = servers.map((s) => api(s.baseUrl)) as [Api, Api];
    const via = (i: number) => (i % 2 === 0 ? a : b);
    const statuses = new Map<number, number>();
    const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);

    const journal = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "..", "..", "drizzle", "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
    const [migrated] = await direct<{ n: number; distinct: number }[]>`select count(*)::int as n, count(distinct hash)::int as distinct from drizzle.__drizzle_migrations`;
    expect(migrated, "each migration applied exactly once").toEqual({ n: journal.entries.length, distinct: journal.entries.length });

    admin = (await loginAs(a, servers[0]!.adminEmail, servers[0]!.adminPassword)).accessToken;
    const rule = await b.post("/api/alerts", { name: "pooler-flap", kind: "threshold", metric: "cpuPct", op: ">", threshold: 50, forSeconds: 0, severity: "warning" }, admin);
    expect(rule.status, rule.text).toBe(201);
    const token = await a.post("/api/enrollment-tokens", { ttlHours: 1, maxUses: HOSTS }, admin);
    expect(token.status, token.text).toBe(201);

    // 50 enrollments, alternately through either instance, ten at a time.
    for (let start = 0; start < HOSTS; start += 10) {
      await Promise.all(
        Array.from({ length: 10 }, async (_, k) => {
          const i = start + k;
          const r = await via(i).post("/api/agents/enroll", { token: token.body.token, hostname: `pool-host-${i}`, machineId: `pool-machine-${i}-${Date.now()}` });
          count(r.status);
          if (r.status === 201) enrolled.push(r.body);
        }),
      );
    }
    expect(enrolled.length, "every enrollment answered 201").toBe(HOSTS);
    // Straight from PostgreSQL, not through the pooler or the app.
    const storedHosts = new Set((await direct<{ id: string }[]>`select id from hosts`).map((r) => r.id));
    expect(enrolled.filter((e) => !storedHosts.has(e.hostId)).length, "acknowledged enrollments missing from the database").toBe(0);

    // 30 s: every host posts about once a second, through alternating instances; cpu flips
    // above and below the threshold every 3 s (hosts phase-shifted), so the rule keeps firing and resolving.
    const acked: { hostId: string; ts: string }[] = [];
    const started = Date.now();
    await Promise.all(
      enrolled.map(async (host, h) => {
        await sleep((h * 1000) / HOSTS);
        for (let n = 0; Date.now() - started < POST_MS; n++) {
          const ts = new Date().toISOString();
          const high = Math.floor((Date.now() - started + h * 300) / 3000) % 2 === 0;
          const r = await via(h + n).call("POST", "/api/telemetry", { token: host.agentToken, body: { samples: [{ ts, cpuPct: high ? 90 : 10, memPct: 20, diskPct: 30, uptimeS: n }] } });
          count(r.status);
          if (r.status === 202 && r.body.accepted === 1) acked.push({ hostId: host.hostId, ts });
          await sleep(1000);
        }
      }),
    );
    // The timers' last runs finish within a tick or two.
    await sleep(2500);

    const fivexx = [...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
    expect(fivexx, `answers by status: ${JSON.stringify(Object.fromEntries(statuses))}`).toBe(0);
    expect([...statuses.keys()].sort(), "every enrollment 201, every post 202").toEqual([201, 202]);
    // About 30 per host on an idle machine; the bound only says the load was real (CI is shared).
    expect(acked.length).toBeGreaterThan(HOSTS * 5);

    const storedSamples = new Set((await direct<{ k: string }[]>`select host_id::text || ' ' || (extract(epoch from ts) * 1000)::bigint::text as k from metrics`).map((r) => r.k));
    const missing = acked.filter((s) => !storedSamples.has(`${s.hostId} ${Date.parse(s.ts)}`));
    expect(missing.length, "acknowledged samples missing from the database").toBe(0);

    const events = await direct<{ host_id: string; state: string; started_at: Date; resolved_at: Date | null }[]>`
      select host_id, state, started_at, resolved_at from alert_events where rule_id = ${rule.body.id} order by host_id, started_at, resolved_at nulls last`;
    expect(events.filter((e) => e.state === "resolved").length, "the rule fired and resolved").toBeGreaterThan(10);
    const problems: string[] = [];
    for (let i = 1; i < events.length; i++) {
      const [prev, cur] = [events[i - 1]!, events[i]!];
      if (prev.host_id !== cur.host_id) continue;
      if (prev.resolved_at === null || prev.resolved_at > cur.started_at) problems.push(`${cur.host_id}: event from ${prev.started_at.toISOString()} overlaps one from ${cur.started_at.toISOString()}`);
    }
    expect(problems, "duplicate or overlapping alert events").toEqual([]);
    const [runs] = await direct<{ n: number }[]>`select count(*)::int as n from alert_runs`;
    expect(runs!.n, "the timers evaluated throughout").toBeGreaterThan(10);

    console.log(`pooler test: ${enrolled.length} enrollments, ${acked.length} samples acknowledged, ${events.length} alert events, ${runs!.n} evaluation runs, answers ${JSON.stringify(Object.fromEntries(statuses))}`);
    expectNoErrorLogged();
  }

  /** Neither instance logged a failure, and PostgreSQL logged no error for this database since the start. */
  function expectNoErrorLogged() {
    for (const s of servers) expect(s.logs(), `server ${s.port} logged a failure`).not.toMatch(/ failed:|unhandled error|prepared statement/);
    if (!pgLog.readable) {
      console.warn(`PostgreSQL's log is unreadable, not checked: ${pgLog.reason}`);
      return;
    }
    const name = new URL(database.url!).pathname.slice(1);
    const errors = pgLog
      .since()
      .split("\n")
      .filter((line) => line.includes(`@${name} `) && /\b(ERROR|FATAL|PANIC):/.test(line));
    expect(errors, "PostgreSQL logged errors for this database").toEqual([]);
  }

  it("serves snapshots and their diffs, the cron route, and signed-in dashboard pages through the pooler", async () => {
    expect(enrolled.length, "the first test enrolled the hosts").toBe(HOSTS);
    const [a, b] = servers.map((s) => api(s.baseUrl)) as [Api, Api];
    const via = (i: number) => (i % 2 === 0 ? a : b);
    const packages = [
      { name: "openssl", version: "3.0.11-1", arch: "amd64", manager: "dpkg" },
      { name: "bash", version: "5.2.15-2", arch: "amd64", manager: "dpkg" },
    ];
    // Two snapshots per host for ten hosts, through alternating instances: stored, the second diffed.
    const hosts = enrolled.slice(0, 10);
    await Promise.all(
      hosts.map(async (host, i) => {
        const first = await via(i).post("/api/snapshot", { ts: new Date(Date.now() - 1000).toISOString(), kernel: "6.1.0-17-amd64", packages, env: { LANG: "C.UTF-8" } }, host.agentToken);
        expect(first.status, first.text).toBe(201);
        const changed = packages.map((p) => (p.name === "openssl" ? { ...p, version: "3.0.13-1" } : p));
        const second = await via(i + 1).post("/api/snapshot", { ts: new Date().toISOString(), kernel: "6.1.0-18-amd64", packages: changed, env: { LANG: "C.UTF-8" } }, host.agentToken);
        expect(second.status, second.text).toBe(201);
      }),
    );
    const [stored] = await direct<{ snapshots: number; diffs: number }[]>`
      select (select count(*)::int from snapshots) as snapshots, (select count(*)::int from snapshot_diffs) as diffs`;
    expect(stored).toMatchObject({ snapshots: 20 });
    expect(stored!.diffs).toBeGreaterThanOrEqual(10);
    const drift = await b.get("/api/drift?since=-1h", admin);
    expect(drift.status, drift.text).toBe(200);

    // The cron route on both instances: each answers with its run (or that another one ran).
    for (const [i, s] of servers.entries()) {
      const cron = await via(i).call("POST", "/api/cron/alerts", { headers: { authorization: `Bearer ${s.cronSecret}` } });
      expect(cron.status, cron.text).toBe(200);
    }

    // A dashboard session through next-auth's form, then the pages a user opens first.
    const csrf = await fetch(`${b.baseUrl}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const jar = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const signIn = await fetch(`${b.baseUrl}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar },
      body: new URLSearchParams({ csrfToken, email: servers[0]!.adminEmail, password: servers[0]!.adminPassword, json: "true" }),
    });
    const session = signIn.headers.getSetCookie().find((c) => c.startsWith("next-auth.session-token="))?.split(";")[0];
    expect(session, "a session cookie").toBeTruthy();
    for (const [i, page] of ["/", `/hosts/${hosts[0]!.hostId}`, "/alerts"].entries()) {
      const res = await fetch(`${via(i).baseUrl}${page}`, { headers: { cookie: session! }, redirect: "manual" });
      const html = await res.text();
      expect(res.status, `${page}: ${html.slice(0, 200)}`).toBe(200);
      if (page !== "/alerts") expect(html).toContain("pool-host-");
    }
    const metrics = await a.get(`/api/metrics?hostId=${hosts[0]!.hostId}&from=-10m&points=60`, admin);
    expect(metrics.status, metrics.text).toBe(200);
    expect(metrics.body.series.length).toBeGreaterThan(0);

    expectNoErrorLogged();
  });
});
