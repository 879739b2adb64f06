/**
 * The notification outbox on a real database (PGlite, and PostgreSQL with DATABASE_URL):
 * queued in the run's transaction, claimed with a lease, retried with backoff from the
 * table, never claimed by two senders, re-claimed after a sender died mid-send.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { alertEvents, alertRules, hosts, notificationChannels, notificationOutbox } from "@/lib/db/schema";
import type { Database } from "@/lib/db/client";
import { rows } from "@/lib/db/sql";
import { recordTelemetry } from "@/lib/services/telemetry";
import { runAlertEvaluation } from "@/lib/services/alerts/run";
import { queueNotifications } from "@/lib/services/alerts/notify";
import { claimDueDeliveries, finishDelivery, OUTBOX_POLICY, sendDueNotifications } from "@/lib/services/alerts/outbox";
import { parseCidrList } from "@/lib/alerts/notifiers";
import { DeliveryListSchema, listDeliveries } from "@/lib/queries/channels";
import { openTestDatabase } from "../helpers/database";
import { startHttpReceiver, type HttpReceiver } from "../helpers/http-receiver";

let database: Database;
let close: () => Promise<void>;
const engine = process.env.DATABASE_URL ? "PostgreSQL" : "PGlite";
const loopback = { egress: { allow: parseCidrList("127.0.0.0/8").cidrs } };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  ({ database, close } = await openTestDatabase());
});
afterAll(async () => close());

let receiver: HttpReceiver | null = null;
beforeEach(async () => {
  // Each test owns the outbox, rules and channels (this file's own database): rows or firing
  // rules left by another test would be claimed or notified here.
  await database.db.delete(notificationChannels);
  await database.db.delete(alertRules);
  await receiver?.close();
  receiver = null;
});

async function channel(url: string) {
  const [c] = await database.db.insert(notificationChannels).values({ name: "hook", kind: "webhook", config: { kind: "webhook", url } }).returning({ id: notificationChannels.id });
  return c!.id;
}

/** A firing host with a rule that fires on the next run. */
async function firingPair(name: string) {
  const [h] = await database.db.insert(hosts).values({ machineId: `${name}-${Math.random()}`, hostname: name }).returning({ id: hosts.id });
  const now = Date.now();
  await recordTelemetry(database.db, { hostId: h!.id, batch: { samples: [{ ts: new Date(now - 1000).toISOString(), cpuPct: 99, memPct: 1, diskPct: 1, uptimeS: 1 }] }, nowMs: now, retentionDays: 90 });
  const [r] = await database.db
    .insert(alertRules)
    .values({ name, kind: "threshold", metric: "cpuPct", op: ">", threshold: 90, forSeconds: 0, severity: "critical", hostId: h!.id })
    .returning({ id: alertRules.id });
  return { hostId: h!.id, ruleId: r!.id };
}

const outboxOf = (channelId: string) => database.db.select().from(notificationOutbox).where(eq(notificationOutbox.channelId, channelId));

/** One queued row for a fresh event, without a run: for the claim mechanics alone. */
async function queuedRows(channelId: string, n: number) {
  const { hostId, ruleId } = await firingPair(`q-${Math.random()}`);
  for (let i = 0; i < n; i++) {
    const [e] = await database.db.insert(alertEvents).values({ ruleId, hostId, state: "resolved", startedAt: new Date(), value: i }).returning({ id: alertEvents.id });
    await database.db.insert(notificationOutbox).values({ eventId: e!.id, channelId, state: "firing", message: { state: "firing", eventId: e!.id, rule: { id: ruleId, name: "q", kind: "threshold", severity: "critical" }, host: { id: hostId, hostname: "q" }, value: i, message: "m", startedAt: new Date().toISOString() } });
  }
}

describe(`the notification outbox on ${engine}`, () => {
  it("is written by the run in its own transaction, before anything is sent", async () => {
    receiver = await startHttpReceiver();
    const channelId = await channel(receiver.url);
    const { ruleId } = await firingPair("outbox-run");
    const run = await runAlertEvaluation(database, { trigger: "cron", wait: true });
    expect(run).toMatchObject({ fired: 1, notifications: 1 });
    const [row] = await outboxOf(channelId);
    expect(row).toMatchObject({ state: "firing", status: "pending", attempts: 0, message: { type: "alert.firing", rule: { id: ruleId } } });
    expect(receiver.requests).toHaveLength(0);

    // Queued twice (a repeated run, a second instance): still one row.
    const [event] = await database.db.select().from(alertEvents).where(eq(alertEvents.ruleId, ruleId));
    await database.db.transaction(async (tx) => {
      const again = await queueNotifications(tx as never, [{ transition: { ruleId, hostId: event!.hostId, value: 99, message: "m", startedAt: event!.startedAt, notify: true, silenced: false } as never, eventId: event!.id, startedAt: event!.startedAt, rule: { id: ruleId, name: "x", kind: "threshold", severity: "critical" }, hostname: "h" }]);
      expect(again).toBe(0);
    });
    expect(await outboxOf(channelId)).toHaveLength(1);

    expect(await sendDueNotifications(database.db, { notifier: loopback })).toMatchObject({ sent: 1 });
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]!.headers["x-infrawatch-delivery"]).toBe(`${event!.id}:firing`);
    expect((await outboxOf(channelId))[0]).toMatchObject({ status: "sent", attempts: 1, lastStatus: 200, claimedUntil: null });
    // Sent means sent: another pass finds nothing.
    expect(await sendDueNotifications(database.db, { notifier: loopback })).toEqual({ sent: 0, retried: 0, failed: 0, lost: 0 });
    expect(receiver.requests).toHaveLength(1);
  });

  it("queues nothing when the transaction rolls back", async () => {
    const channelId = await channel("https://hooks.example.com/x");
    const { hostId, ruleId } = await firingPair("outbox-rollback");
    const [e] = await database.db.insert(alertEvents).values({ ruleId, hostId, state: "firing", startedAt: new Date() }).returning({ id: alertEvents.id });
    await expect(
      database.db.transaction(async (tx) => {
        await queueNotifications(tx as never, [{ transition: { ruleId, hostId, value: 1, message: "m", startedAt: new Date(), notify: true, silenced: false } as never, eventId: e!.id, startedAt: new Date(), rule: { id: ruleId, name: "x", kind: "threshold", severity: "critical" }, hostname: "h" }]);
        expect(await rows(tx as never, sql`select 1 from notification_outbox where channel_id = ${channelId}::uuid`)).toHaveLength(1);
        throw new Error("the run failed after queueing");
      }),
    ).rejects.toThrow("the run failed");
    expect(await outboxOf(channelId)).toHaveLength(0);
  });

  it("claims only due, unclaimed rows, and a claim keeps others away until its lease runs out", async () => {
    const channelId = await channel("https://hooks.example.com/x");
    await queuedRows(channelId, 3);
    const first = await claimDueDeliveries(database.db, { limit: 2, leaseSeconds: 60 });
    expect(first).toHaveLength(2);
    expect(first.every((c) => c.attempts === 1)).toBe(true);
    const second = await claimDueDeliveries(database.db, { limit: 10, leaseSeconds: 60 });
    expect(second).toHaveLength(1);
    expect(second[0]!.id).not.toBe(first[0]!.id);
    expect(await claimDueDeliveries(database.db, { limit: 10 })).toEqual([]);
  });

  it("retries with exponential backoff from the table and gives up after the last attempt", async () => {
    const channelId = await channel("https://hooks.example.com/x");
    await queuedRows(channelId, 1);
    const policy = { ...OUTBOX_POLICY, maxAttempts: 3, baseDelayMs: 60_000, maxDelayMs: 600_000 };
    const fail = { ok: false, status: 503, error: "HTTP 503", retryable: true, durationMs: 5 };
    const [c1] = await claimDueDeliveries(database.db);
    expect(await finishDelivery(database.db, c1!, fail, policy, () => 1)).toBe("retry");
    const delay = async () => {
      const [r] = await rows<{ s: number }>(database.db, sql`select extract(epoch from next_attempt_at - last_attempt_at)::float8 as s from notification_outbox where channel_id = ${channelId}::uuid`);
      return Math.round(Number(r!.s));
    };
    expect(await delay()).toBe(60);
    expect((await outboxOf(channelId))[0]).toMatchObject({ status: "pending", attempts: 1, lastStatus: 503, lastError: "HTTP 503", claimToken: null });
    // Not due yet: nothing to claim.
    expect(await claimDueDeliveries(database.db)).toEqual([]);

    await database.db.update(notificationOutbox).set({ nextAttemptAt: sql`now()` }).where(eq(notificationOutbox.channelId, channelId));
    const [c2] = await claimDueDeliveries(database.db);
    expect(c2!.attempts).toBe(2);
    expect(await finishDelivery(database.db, c2!, fail, policy, () => 1)).toBe("retry");
    expect(await delay()).toBe(120);

    await database.db.update(notificationOutbox).set({ nextAttemptAt: sql`now()` }).where(eq(notificationOutbox.channelId, channelId));
    const [c3] = await claimDueDeliveries(database.db);
    expect(await finishDelivery(database.db, c3!, fail, policy)).toBe("failed");
    expect((await outboxOf(channelId))[0]).toMatchObject({ status: "failed", attempts: 3 });
    expect(await claimDueDeliveries(database.db)).toEqual([]);
  });

  it("gives up at once on a permanent refusal", async () => {
    const channelId = await channel("https://hooks.example.com/x");
    await queuedRows(channelId, 1);
    const [c] = await claimDueDeliveries(database.db);
    expect(await finishDelivery(database.db, c!, { ok: false, status: 404, error: "HTTP 404", retryable: false, durationMs: 1 })).toBe("failed");
  });

  it("re-claims a row whose sender died mid-send, and the dead sender's late finish changes nothing", async () => {
    const channelId = await channel("https://hooks.example.com/x");
    await queuedRows(channelId, 1);
    // The first sender claims and "crashes": it never finishes.
    const [dead] = await claimDueDeliveries(database.db, { leaseSeconds: 0.2 });
    expect(await claimDueDeliveries(database.db)).toEqual([]);
    await sleep(400);
    const [next] = await claimDueDeliveries(database.db, { leaseSeconds: 60 });
    expect(next).toMatchObject({ id: dead!.id, attempts: 2 });
    expect(next!.claimToken).not.toBe(dead!.claimToken);
    expect(await finishDelivery(database.db, dead!, { ok: true, status: 200, error: null, retryable: false, durationMs: 1 })).toBe("lost");
    expect((await outboxOf(channelId))[0]).toMatchObject({ status: "pending", attempts: 2 });
    expect(await finishDelivery(database.db, next!, { ok: true, status: 200, error: null, retryable: false, durationMs: 1 })).toBe("sent");
  });

  it("sends a real retry after the receiver recovers, once", async () => {
    receiver = await startHttpReceiver({ status: [503, 200] });
    const channelId = await channel(receiver.url);
    await firingPair("outbox-retry");
    await runAlertEvaluation(database, { trigger: "cron", wait: true });
    // Half of a delay is fixed: the retry is not due before 150 ms, so the first pass ends without it.
    const policy = { ...OUTBOX_POLICY, baseDelayMs: 300 };
    expect(await sendDueNotifications(database.db, { notifier: loopback, policy })).toMatchObject({ retried: 1, sent: 0 });
    await sleep(400);
    expect(await sendDueNotifications(database.db, { notifier: loopback, policy })).toMatchObject({ sent: 1 });
    expect(receiver.requests).toHaveLength(2);
    expect((await outboxOf(channelId))[0]).toMatchObject({ status: "sent", attempts: 2, lastStatus: 200 });
  });

  it("refuses a loopback receiver without the allow-list, permanently, keeping only the class", async () => {
    receiver = await startHttpReceiver({ responseBody: "SSH-2.0-OpenSSH_9.2 internal banner" });
    const channelId = await channel(receiver.url);
    await firingPair("outbox-ssrf");
    await runAlertEvaluation(database, { trigger: "cron", wait: true });
    expect(await sendDueNotifications(database.db)).toMatchObject({ failed: 1 });
    expect(receiver.requests).toHaveLength(0);
    expect((await outboxOf(channelId))[0]).toMatchObject({ status: "failed", attempts: 1, lastStatus: null, lastError: "address not allowed (loopback)" });
  });

  // PGlite has one connection: its transactions cannot overlap, so there is nothing to race.
  it.skipIf(engine === "PGlite")("never gives one row to two claimers, even while the first one's claim is uncommitted", async () => {
    const channelId = await channel("https://hooks.example.com/x");
    await queuedRows(channelId, 20);
    const batches = await Promise.all(Array.from({ length: 8 }, () => claimDueDeliveries(database.db, { limit: 5 })));
    const ids = batches.flat().map((c) => c.id);
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);

    // A claim whose transaction has not committed: the other claimer skips its rows instead of waiting.
    await database.db.update(notificationOutbox).set({ claimedUntil: null, claimToken: null }).where(eq(notificationOutbox.channelId, channelId));
    await database.db.transaction(async (tx) => {
      const mine = await claimDueDeliveries(tx as never, { limit: 15 });
      expect(mine).toHaveLength(15);
      const theirs = await claimDueDeliveries(database.db, { limit: 20 });
      expect(theirs).toHaveLength(5);
      expect(theirs.some((t) => mine.some((m) => m.id === t.id))).toBe(false);
    });
  });

  it("lists a pending delivery's next attempt as a timestamp (an ISO string on the wire), like its other times", async () => {
    const channelId = await channel("http://127.0.0.1:9/never");
    await queuedRows(channelId, 1);
    const [row] = await outboxOf(channelId);
    const listed = await listDeliveries(database.db, row!.eventId);
    expect(listed[0]!.nextAttemptAt).toBeInstanceOf(Date);
    expect(listed[0]!.createdAt).toBeInstanceOf(Date);
    // What the route sends must be what its response schema (and the OpenAPI document) says.
    const wire = JSON.parse(JSON.stringify({ deliveries: listed }));
    expect(DeliveryListSchema.safeDecode(wire).success).toBe(true);
  });
});
