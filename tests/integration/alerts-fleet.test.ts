/**
 * Issue 14 on a real database: routes send to exactly their channels, a fleet-wide failure is
 * one message per channel, repeats stop at acknowledgement, maintenance mutes, forecasts read
 * the disks of stored samples.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { alertEvents, alertRules, hosts, metrics, notificationChannels, notificationOutbox, notificationRoutes } from "@/lib/db/schema";
import type { Database } from "@/lib/db/client";
import { recordTelemetry } from "@/lib/services/telemetry";
import { runAlertEvaluation } from "@/lib/services/alerts/run";
import { sendDueNotifications } from "@/lib/services/alerts/outbox";
import { acknowledgeEvent } from "@/lib/services/alerts/events";
import { createMaintenanceWindow } from "@/lib/services/alerts/maintenance";
import { parseCidrList } from "@/lib/alerts/notifiers";
import { listRules } from "@/lib/queries/alerts";
import { openTestDatabase, insertHost } from "../helpers/database";
import { startHttpReceiver, type HttpReceiver } from "../helpers/http-receiver";

let database: Database;
let close: () => Promise<void>;
let receiver: HttpReceiver;
const engine = process.env.DATABASE_URL ? "PostgreSQL" : "PGlite";
const SYSTEM = { kind: "system" } as const;
const LOOPBACK = { egress: { allow: parseCidrList("127.0.0.0/8").cidrs } };

beforeAll(async () => {
  ({ database, close } = await openTestDatabase());
  receiver = await startHttpReceiver();
});
afterAll(async () => {
  await receiver.close();
  await close();
});

async function labelledHost(name: string, labels: Record<string, string>) {
  const id = await insertHost(database.db, name);
  await database.db.update(hosts).set({ userLabels: labels }).where(eq(hosts.id, id));
  return id;
}

async function hot(hostId: string) {
  const now = Date.now();
  await recordTelemetry(database.db, { hostId, batch: { samples: [{ ts: new Date(now - 1000).toISOString(), cpuPct: 97, memPct: 10, diskPct: 10, uptimeS: 1 }] }, nowMs: now, retentionDays: 90 });
}

async function channel(name: string) {
  const [c] = await database.db.insert(notificationChannels).values({ name, kind: "webhook", config: { kind: "webhook", url: `${receiver.url}/${name}` } }).returning({ id: notificationChannels.id });
  return c!.id;
}

async function rule(values: Partial<typeof alertRules.$inferInsert>) {
  const [r] = await database.db
    .insert(alertRules)
    .values({ name: "r", kind: "threshold", metric: "cpuPct", op: ">", threshold: 90, forSeconds: 0, severity: "warning", ...values })
    .returning({ id: alertRules.id });
  return r!.id;
}

const eventsOf = (ruleId: string) => database.db.select().from(alertEvents).where(eq(alertEvents.ruleId, ruleId));
const outboxOfRule = async (ruleId: string) =>
  database.db
    .select()
    .from(notificationOutbox)
    .where(sql`${notificationOutbox.eventId} in (select id from alert_events where rule_id = ${ruleId}::uuid)`);
const evaluate = (now?: Date) => runAlertEvaluation(database, { trigger: "cron", wait: true, now });

describe(`fleet alerting on ${engine}`, () => {
  it("a host's rules are its own, the fleet-wide ones and the selector-scoped ones that match its labels", async () => {
    const db1 = await labelledHost("lr-db-1", { team: "db", env: "prod" });
    const web1 = await labelledHost("lr-web-1", { team: "web" });
    const own = await rule({ name: "lr own", hostId: db1 });
    const fleet = await rule({ name: "lr fleet" });
    const scoped = await rule({ name: "lr scoped", selector: "team=db,env=prod" });
    const ids = async (hostId: string) => (await listRules(database.db, { hostId })).map((r) => r.id).filter((id) => [own, fleet, scoped].includes(id));
    expect((await ids(db1)).sort()).toEqual([own, fleet, scoped].sort());
    expect(await ids(web1)).toEqual([fleet]);
  });

  it("a rule fires to exactly the channels its route names (team=db, severity=critical -> pager)", async () => {
    const [pager, chat, mail] = [await channel("pager"), await channel("chat"), await channel("mail")];
    await database.db.insert(notificationRoutes).values({ name: "db pages", selector: "team=db-route", severities: ["critical"], channelIds: [pager], position: 0 });
    const hostId = await labelledHost("route-db-1", { team: "db-route" });
    const critical = await rule({ name: "db critical", selector: "team=db-route", severity: "critical" });
    const warning = await rule({ name: "db warning", selector: "team=db-route", severity: "warning" });
    await hot(hostId);
    await evaluate();
    expect((await outboxOfRule(critical)).map((o) => o.channelId)).toEqual([pager]);
    // The route names critical only: a warning goes to the default channels, every enabled one.
    expect(new Set((await outboxOfRule(warning)).map((o) => o.channelId))).toEqual(new Set([pager, chat, mail]));
    await database.db.update(notificationChannels).set({ enabled: false }).where(sql`${notificationChannels.id} in (${sql.join([pager, chat, mail].map((id) => sql`${id}::uuid`), sql`, `)})`);
  });

  it("50 hosts firing at once send one message per channel, listing every host", async () => {
    const [a, b] = [await channel("group-a"), await channel("group-b")];
    const ids = await Promise.all(Array.from({ length: 50 }, (_, i) => labelledHost(`rack-${String(i).padStart(2, "0")}`, { rack: "r7" })));
    for (const id of ids) await hot(id);
    const ruleId = await rule({ name: "rack hot", selector: "rack=r7", severity: "critical", channelIds: [a, b] });
    receiver.requests.length = 0;
    const run = await evaluate();
    expect(run.fired).toBeGreaterThanOrEqual(50);
    const rows = await outboxOfRule(ruleId);
    expect(rows.map((r) => r.channelId).sort()).toEqual([a, b].sort());
    for (const r of rows) expect(r.eventIds).toHaveLength(50);
    await sendDueNotifications(database.db, { notifier: LOOPBACK });
    const mine = receiver.requests.filter((r) => (r.json as { rule: { id: string } }).rule.id === ruleId);
    expect(mine).toHaveLength(2);
    for (const req of mine) {
      const body = req.json as { hosts: { hostname: string; eventId: string }[]; host: { hostname: string } };
      expect(body.hosts).toHaveLength(50);
      expect(body.host.hostname).toBe("rack-00");
      expect(new Set(body.hosts.map((h) => h.eventId)).size).toBe(50);
    }
    // A second run queues nothing more: the group's key is its first event.
    await evaluate();
    expect(await outboxOfRule(ruleId)).toHaveLength(2);
  });

  it("a firing, unacknowledged event is notified again every repeatIntervalSeconds until acknowledged", async () => {
    const ch = await channel("repeats");
    const hostId = await labelledHost("repeat-1", {});
    const ruleId = await rule({ name: "repeating", hostId, channelIds: [ch], repeatIntervalSeconds: 60 });
    await hot(hostId);
    const t0 = Date.now();
    await evaluate(new Date(t0));
    const at = (s: number) => new Date(t0 + s * 1000);
    await evaluate(at(30));
    expect((await outboxOfRule(ruleId)).map((o) => o.repeat)).toEqual([0]);
    await evaluate(at(61));
    await evaluate(at(62));
    expect((await outboxOfRule(ruleId)).map((o) => o.repeat).sort()).toEqual([0, 1]);
    const [event] = await eventsOf(ruleId);
    expect(event).toMatchObject({ repeats: 1 });
    expect((await outboxOfRule(ruleId)).find((o) => o.repeat === 1)!.message).toMatchObject({ repeat: 1, state: "firing" });
    await acknowledgeEvent(database, SYSTEM, event!.id);
    await evaluate(at(200));
    expect(await outboxOfRule(ruleId)).toHaveLength(2);
  });

  it("events during a maintenance window are recorded, marked, and not notified", async () => {
    const ch = await channel("maint");
    const inWindow = await labelledHost("maint-1", { tier: "maint" });
    const outside = await labelledHost("maint-2", { tier: "other-maint" });
    await createMaintenanceWindow(database, SYSTEM, { name: "patching", selector: "tier=maint", endsAt: new Date(Date.now() + 3_600_000).toISOString() });
    const ruleId = await rule({ name: "maint rule", selector: "tier in (maint,other-maint)", channelIds: [ch] });
    await hot(inWindow);
    await hot(outside);
    await evaluate();
    const events = await eventsOf(ruleId);
    expect(events.map((e) => [e.hostId === inWindow, e.maintenance]).sort()).toEqual([
      [false, false],
      [true, true],
    ]);
    const rows = await outboxOfRule(ruleId);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.eventIds).toEqual([events.find((e) => e.hostId === outside)!.id]);
  });

  it("a forecast rule reads each mount's usage from stored samples and says when it is full", async () => {
    const hostId = await labelledHost("fc-db-1", { role: "fc" });
    const now = Date.now();
    const rowsToInsert = Array.from({ length: 73 }, (_, i) => {
      const minutesAgo = (72 - i) * 5;
      const ts = new Date(now - minutesAgo * 60_000);
      // /var: 80 % now, filling 20 points in 5 h 40 min; /: flat at 30 %.
      const varPct = 80 - (minutesAgo / 60) * (20 / (5 + 40 / 60));
      return { hostId, ts, cpuPct: 1, memPct: 1, diskPct: varPct, uptimeS: 1, disks: [{ mount: "/var", pct: varPct, usedBytes: 1, totalBytes: 2 }, { mount: "/", pct: 30, usedBytes: 1, totalBytes: 2 }] };
    });
    await database.db.insert(metrics).values(rowsToInsert);
    const ruleId = await rule({ name: "disk full soon", kind: "forecast", metric: null, op: null, threshold: null, selector: "role=fc", config: { metric: "diskPct", lookbackSeconds: 6 * 3600, withinSeconds: 12 * 3600, threshold: 100 } });
    await evaluate(new Date(now));
    const [event] = await eventsOf(ruleId);
    expect(event!.message).toMatch(/^\/var on fc-db-1 full in ~5h (3\d|4\d)m at the current rate$/);
  });
});
