/** The evaluation run on a real database: reads, transitions, the lock, the drift cursor, notifications. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { alertEvents, alertRules, notificationChannels, notificationOutbox, snapshotDiffs, snapshots } from "@/lib/db/schema";
import type { Database } from "@/lib/db/client";
import { recordTelemetry } from "@/lib/services/telemetry";
import { recordSnapshot } from "@/lib/services/snapshots";
import { ALERT_RUN_LOCK_KEY, runAlertEvaluation } from "@/lib/services/alerts/run";
import { sendDueNotifications } from "@/lib/services/alerts/outbox";
import { parseCidrList } from "@/lib/alerts/notifiers";
import { backgroundJobs } from "@/lib/jobs";
import { parseEnv } from "@/lib/env";
import type { AppContext } from "@/lib/context";
import type { SnapshotDiff } from "@/lib/protocol";
import { openTestDatabase, insertHost } from "../helpers/database";
import { startHttpReceiver, type HttpReceiver } from "../helpers/http-receiver";

let database: Database;
let close: () => Promise<void>;
const engine = process.env.DATABASE_URL ? "PostgreSQL" : "PGlite";

beforeAll(async () => {
  ({ database, close } = await openTestDatabase());
});
afterAll(async () => close());

const emptyDiff = (): SnapshotDiff => ({ packages: { added: [], removed: [], changed: [] }, env: { added: [], removed: [], changed: [] }, kernel: null, os: null });

const newHost = (name: string) => insertHost(database.db, name);

async function post(hostId: string, points: [msAgo: number, cpuPct: number][]) {
  const now = Date.now();
  await recordTelemetry(database.db, { hostId, batch: { samples: points.map(([ago, cpuPct]) => ({ ts: new Date(now - ago).toISOString(), cpuPct, memPct: 10, diskPct: 10, uptimeS: 1 })) }, nowMs: now, retentionDays: 90 });
}

async function rule(values: Partial<typeof alertRules.$inferInsert> & { hostId: string }) {
  const [r] = await database.db
    .insert(alertRules)
    .values({ name: "r", kind: "threshold", metric: "cpuPct", op: ">", threshold: 90, forSeconds: 0, severity: "warning", ...values })
    .returning({ id: alertRules.id });
  return r!.id;
}

const eventsOf = (ruleId: string) => database.db.select().from(alertEvents).where(eq(alertEvents.ruleId, ruleId));

describe(`the evaluation run on ${engine}`, () => {
  it("fires and resolves a threshold rule, one open event per pair", async () => {
    const hostId = await newHost("run-1");
    const ruleId = await rule({ hostId });
    await post(hostId, [[1000, 95]]);
    const first = await runAlertEvaluation(database, { trigger: "cron", wait: true });
    expect(first).toMatchObject({ skipped: false, fired: 1 });
    await runAlertEvaluation(database, { trigger: "cron", wait: true });
    expect((await eventsOf(ruleId)).filter((e) => e.state === "firing")).toHaveLength(1);
    await post(hostId, [[0, 5]]);
    const third = await runAlertEvaluation(database, { trigger: "cron", wait: true });
    expect(third.resolved).toBeGreaterThanOrEqual(1);
    const [e] = await eventsOf(ruleId);
    expect(e).toMatchObject({ state: "resolved", resolveReason: "recovered", value: 95 });
  });

  it("five concurrent runs leave one open event", async () => {
    const hostId = await newHost("run-concurrent");
    const ruleId = await rule({ hostId });
    await post(hostId, [[1000, 99]]);
    const results = await Promise.all([...Array(5)].map((_, i) => runAlertEvaluation(database, { trigger: "cron", wait: i % 2 === 0 })));
    expect(results.reduce((n, r) => n + r.fired, 0)).toBe(1);
    expect(await eventsOf(ruleId)).toHaveLength(1);
  });

  // PGlite has one connection: a second run cannot even start while a transaction is open.
  it.skipIf(engine === "PGlite")("skips while another instance holds the lock; a waiting run gives up after its lock timeout", async () => {
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${ALERT_RUN_LOCK_KEY}::bigint)`);
      expect(await runAlertEvaluation(database, { trigger: "timer" })).toMatchObject({ skipped: true, evaluated: 0, fired: 0, resolved: 0, runId: null });
      const t0 = performance.now();
      expect(await runAlertEvaluation(database, { trigger: "cron", wait: true, lockTimeoutMs: 300 })).toMatchObject({ skipped: true });
      expect(performance.now() - t0).toBeGreaterThanOrEqual(250);
    });
    expect(await runAlertEvaluation(database, { trigger: "timer" })).toMatchObject({ skipped: false });
  });

  it("passes each snapshot change to exactly one run", async () => {
    const hostId = await newHost("run-drift");
    const ruleId = await rule({ hostId, kind: "drift", metric: null, op: null, threshold: null, config: { target: "packages", pattern: "nginx*" } });
    // Prime the cursor, then record a change (no settling delay in this test).
    await runAlertEvaluation(database, { trigger: "cron", wait: true });
    const [snap] = await database.db
      .insert(snapshots)
      .values({ hostId, ts: new Date(), contentHash: "h", packages: [], env: {}, packageCount: 0, envCount: 0, summary: "s" })
      .returning({ id: snapshots.id });
    const diff = emptyDiff();
    diff.packages.added.push({ name: "nginx", version: "1.24" });
    await database.db.insert(snapshotDiffs).values({ hostId, snapshotId: snap!.id, diff, summary: "1 added" });
    const fired = await runAlertEvaluation(database, { trigger: "cron", wait: true, driftSettleSeconds: 0 });
    expect(fired.fired).toBeGreaterThanOrEqual(1);
    const [open] = await eventsOf(ruleId);
    expect(open).toMatchObject({ state: "firing", value: 1 });
    expect(open!.message).toContain("nginx 1.24");
    // The next run sees no new change: the drift event closes quietly and does not fire again.
    await runAlertEvaluation(database, { trigger: "cron", wait: true, driftSettleSeconds: 0 });
    const after = await eventsOf(ruleId);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ state: "resolved", resolveReason: "elapsed" });
  });

  it("fires serviceFailed and drift on ports from recorded snapshots, and resolves serviceFailed when the unit recovers", async () => {
    const hostId = await newHost("run-services");
    const failed = await rule({ hostId, kind: "serviceFailed", metric: null, op: null, threshold: null, config: { pattern: "nginx*" } });
    const opened = await rule({ hostId, kind: "drift", metric: null, op: null, threshold: null, config: { target: "ports", pattern: "tcp *:4444" } });
    const snapshot = (active: string, ports: number[]) => ({
      ts: new Date().toISOString(),
      packages: [],
      env: {},
      services: [{ unit: "nginx.service", enabled: "enabled", active }],
      ports: ports.map((port) => ({ proto: "tcp" as const, address: "0.0.0.0", port })),
    });
    await recordSnapshot(database.db, { hostId, snapshot: snapshot("active", [22]), redactionKey: "k" });
    await runAlertEvaluation(database, { trigger: "cron", wait: true, driftSettleSeconds: 0 });
    expect(await eventsOf(failed)).toEqual([]);
    await recordSnapshot(database.db, { hostId, snapshot: snapshot("failed", [22, 4444]), redactionKey: "k" });
    await runAlertEvaluation(database, { trigger: "cron", wait: true, driftSettleSeconds: 0 });
    expect(await eventsOf(failed)).toMatchObject([{ state: "firing", value: 1, message: "failed: nginx.service" }]);
    expect(await eventsOf(opened)).toMatchObject([{ state: "firing", value: 1, message: "listening ports added tcp 0.0.0.0:4444" }]);
    await recordSnapshot(database.db, { hostId, snapshot: snapshot("active", [22, 4444]), redactionKey: "k" });
    await runAlertEvaluation(database, { trigger: "cron", wait: true, driftSettleSeconds: 0 });
    expect(await eventsOf(failed)).toMatchObject([{ state: "resolved", resolveReason: "recovered" }]);
  });

  it("fires processMissing on the host's complete process list and resolves when a sample shows the process", async () => {
    const hostId = await newHost("run-processes");
    const missing = await rule({ hostId, kind: "processMissing", metric: null, op: null, threshold: null, config: { pattern: "sshd" } });
    const now = Date.now();
    const sample = (processes: string[]) => ({
      ts: new Date(now - 1000).toISOString(),
      cpuPct: 1,
      memPct: 1,
      diskPct: 1,
      uptimeS: 1,
      processes: processes.map((name, i) => ({ pid: i + 1, name, cpuPct: 1, rssBytes: 1 })),
    });
    await recordTelemetry(database.db, { hostId, batch: { samples: [sample(["stress"])] }, nowMs: now, retentionDays: 90 });
    // Only the top list: a process absent from it is not known to be missing.
    await runAlertEvaluation(database, { trigger: "cron", wait: true });
    expect(await eventsOf(missing)).toEqual([]);
    await recordTelemetry(database.db, { hostId, batch: { samples: [{ ...sample(["stress"]), ts: new Date(now - 500).toISOString(), processNames: ["stress", "cron"] }] }, nowMs: now, retentionDays: 90 });
    await runAlertEvaluation(database, { trigger: "cron", wait: true });
    expect(await eventsOf(missing)).toMatchObject([{ state: "firing", message: "no process matching sshd is running" }]);
    await recordTelemetry(database.db, { hostId, batch: { samples: [{ ...sample(["sshd"]), ts: new Date(now).toISOString(), processNames: ["sshd", "stress"] }] }, nowMs: now, retentionDays: 90 });
    await runAlertEvaluation(database, { trigger: "cron", wait: true });
    expect(await eventsOf(missing)).toMatchObject([{ state: "resolved", resolveReason: "recovered" }]);
  });

  it("runs from the in-process timer every IW_ALERT_INTERVAL_S seconds, not at all with 0", async () => {
    const ctx = (interval: string) => ({ env: parseEnv({ IW_ALERT_INTERVAL_S: interval }), database, db: database.db }) as unknown as AppContext;
    const job = backgroundJobs(ctx("7")).find((j) => j.name === "alert evaluation");
    expect(job?.everyMs).toBe(7000);
    expect(await job!.run()).toMatchObject({ skipped: false, runId: expect.any(Number) });
    expect(backgroundJobs(ctx("0")).find((j) => j.name === "alert evaluation")).toBeUndefined();
  });

  describe("notifications", () => {
    let receiver: HttpReceiver;
    let channelId: string;
    beforeAll(async () => {
      receiver = await startHttpReceiver();
      const [c] = await database.db
        .insert(notificationChannels)
        .values({ name: "hook", kind: "webhook", config: { kind: "webhook", url: receiver.url }, minSeverity: "critical" })
        .returning({ id: notificationChannels.id });
      channelId = c!.id;
    });
    afterAll(async () => {
      await database.db.delete(notificationChannels).where(eq(notificationChannels.id, channelId));
      await receiver.close();
    });

    it("sends a committed fire to channels at or below its severity and logs the attempt", async () => {
      const hostId = await newHost("run-notify");
      const critical = await rule({ hostId, severity: "critical", name: "crit" });
      const warning = await rule({ hostId, severity: "warning", name: "warn" });
      await post(hostId, [[1000, 97]]);
      await runAlertEvaluation(database, { trigger: "cron", wait: true });
      await sendDueNotifications(database.db, { notifier: { egress: { allow: parseCidrList("127.0.0.0/8").cidrs } } });
      const mine = receiver.requests.filter((r) => (r.json as { rule: { id: string } }).rule.id === critical || (r.json as { rule: { id: string } }).rule.id === warning);
      expect(mine.map((r) => (r.json as { rule: { name: string } }).rule.name)).toEqual(["crit"]);
      const [event] = await eventsOf(critical);
      const log = await database.db.select().from(notificationOutbox).where(and(eq(notificationOutbox.eventId, event!.id), eq(notificationOutbox.channelId, channelId)));
      expect(log).toMatchObject([{ state: "firing", attempts: 1, status: "sent", lastStatus: 200 }]);
    });
  });
});
