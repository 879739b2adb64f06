/**
 * One alert evaluation run: read what the rules need, decide with the pure `evaluateRules`,
 * apply the transitions and queue their notifications in the notification outbox, all in one
 * transaction: a committed transition has its notifications queued, a rolled-back one none.
 * Sending happens elsewhere (outbox.ts), by whichever instance claims the rows.
 *
 * Serialisation: the whole run is one transaction holding the transaction-scoped advisory lock
 * ALERT_RUN_LOCK_KEY, so across any number of app instances at most one run reads and writes
 * at a time, and the drift cursor (the previous `alert_runs.started_at`) advances in the same
 * commit as the events it produced. The timer *tries* the lock and skips when another
 * instance holds it (that instance is doing the work); the cron route *waits* for it (bounded
 * by `lockTimeoutMs`), because a caller of "run one evaluation" expects one to happen after
 * its call. On PGlite the same statements run: its one connection serialises transactions.
 *
 * Even without the lock, a (rule, host) pair cannot get two open events (the insert goes
 * through the unique partial index with ON CONFLICT DO NOTHING) and a transition is only
 * notified by the run whose statement returned the row it changed.
 */
import { and, eq, gt, lte, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { alertEvents, alertRules, alertSilences, hosts, metrics } from "@/lib/db/schema";
import { rows } from "@/lib/db/sql";
import { evaluateRules, evaluationNeeds } from "@/lib/alerts/evaluate";
import type { AlertRule, FireTransition, MetricSample, OpenAlertEvent, ResolveTransition, SnapshotChange } from "@/lib/alerts/types";
import type { SnapshotDiff } from "@/lib/protocol";
import { queueNotifications, type PendingNotification } from "./notify";

export const ALERT_RUN_LOCK_KEY = 7_294_002;

/**
 * Snapshot diffs are read up to this many seconds before the run's start: a diff row carries
 * its transaction's start time, so one committed just after the run began could otherwise be
 * stamped before the cursor and never be seen. Any ingest transaction shorter than this is safe.
 */
export const DRIFT_SETTLE_SECONDS = 5;
/** The first run ever, or one after a long outage, looks back at most this far for drift. */
const DRIFT_FIRST_LOOKBACK_SECONDS = 15 * 60;
const DRIFT_MAX_LOOKBACK_SECONDS = 24 * 3600;
/** alert_runs doubles as the cursor and a short history; older rows are pruned by the run. */
const RUN_HISTORY_DAYS = 7;

export type RunTrigger = "timer" | "cron";

export interface RunOptions {
  trigger: RunTrigger;
  now?: Date;
  /** Wait for a run in progress elsewhere instead of skipping. */
  wait?: boolean;
  lockTimeoutMs?: number;
  staleAfterSeconds?: number;
  driftSettleSeconds?: number;
  /** Set false to decide and record without queueing notifications (bench). */
  notify?: boolean;
  /** The dashboard's public address; notifications then link to the alerts page. */
  publicUrl?: string;
}

/** GET|POST /api/cron/alerts: one evaluation's outcome. */
export const EvaluationResultSchema = z.object({
  evaluated: z.number().int(),
  fired: z.number().int(),
  resolved: z.number().int(),
  skipped: z.boolean(),
  runId: z.number().int().nullable(),
  notifications: z.number().int(),
  skippedRules: z.array(z.object({ ruleId: z.string(), reason: z.string() })),
  durationMs: z.number(),
});

export interface RunResult {
  evaluated: number;
  fired: number;
  resolved: number;
  /** True when another run held the lock and this one did nothing. */
  skipped: boolean;
  runId: number | null;
  notifications: number;
  /** Rules that cannot be evaluated as stored. */
  skippedRules: { ruleId: string; reason: string }[];
  durationMs: number;
}

type Applied = {
  runId: number;
  evaluated: number;
  fired: { transition: FireTransition; id: string; startedAt: Date }[];
  resolved: { transition: ResolveTransition; startedAt: Date }[];
  notifications: number;
  skippedRules: { ruleId: string; reason: string }[];
};

const LOCK_NOT_AVAILABLE = "55P03";

function pgCode(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string") return e.code;
  }
  return undefined;
}

export async function runAlertEvaluation(ctx: { db: Db }, opts: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const skipped = (): RunResult => ({ evaluated: 0, fired: 0, resolved: 0, skipped: true, runId: null, notifications: 0, skippedRules: [], durationMs: Math.round(performance.now() - started) });
  let applied: Applied | null;
  try {
    applied = await ctx.db.transaction(async (tx) => evaluateLocked(tx as unknown as Db, opts));
  } catch (err) {
    if (pgCode(err) === LOCK_NOT_AVAILABLE) return skipped();
    throw err;
  }
  if (!applied) return skipped();

  return {
    evaluated: applied.evaluated,
    fired: applied.fired.length,
    resolved: applied.resolved.length,
    skipped: false,
    runId: applied.runId,
    notifications: applied.notifications,
    skippedRules: applied.skippedRules,
    durationMs: Math.round(performance.now() - started),
  };
}

async function acquire(tx: Db, opts: RunOptions): Promise<boolean> {
  if (opts.wait) {
    await tx.execute(sql`select set_config('lock_timeout', ${String(Math.max(1, Math.round(opts.lockTimeoutMs ?? 30_000)))}, true)`);
    await tx.execute(sql`select pg_advisory_xact_lock(${ALERT_RUN_LOCK_KEY}::bigint)`);
    await tx.execute(sql`select set_config('lock_timeout', '0', true)`);
    return true;
  }
  const [got] = await rows<{ ok: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${ALERT_RUN_LOCK_KEY}::bigint) as ok`);
  return got?.ok === true;
}

async function evaluateLocked(tx: Db, opts: RunOptions): Promise<Applied | null> {
  if (!(await acquire(tx, opts))) return null;

  // The database clock, read after the lock: the cursor is compared with snapshot_diffs.created_at.
  // Kept as text so the next run compares at full microsecond precision.
  const [clock] = await rows<{ now: string; prev: string | null }>(
    tx,
    sql`select clock_timestamp()::text as now, (select started_at::text from alert_runs order by started_at desc limit 1) as prev`,
  );
  const dbNow = clock!.now;
  const now = opts.now ?? new Date();
  const nowIso = now.toISOString();

  const ruleRows = await tx
    .select({
      id: alertRules.id,
      name: alertRules.name,
      kind: alertRules.kind,
      metric: alertRules.metric,
      op: alertRules.op,
      threshold: alertRules.threshold,
      forSeconds: alertRules.forSeconds,
      hostId: alertRules.hostId,
      severity: alertRules.severity,
      enabled: alertRules.enabled,
      config: alertRules.config,
    })
    .from(alertRules);
  const hostRows = await tx.select({ id: hosts.id, hostname: hosts.hostname, createdAt: hosts.createdAt, lastSeenAt: hosts.lastSeenAt }).from(hosts);
  const openRows = await tx
    .select({ id: alertEvents.id, ruleId: alertEvents.ruleId, hostId: alertEvents.hostId, startedAt: alertEvents.startedAt, value: alertEvents.value })
    .from(alertEvents)
    .where(eq(alertEvents.state, "firing"));
  const silenceRows = await tx
    .select({ ruleId: alertSilences.ruleId, hostId: alertSilences.hostId, startsAt: alertSilences.startsAt, endsAt: alertSilences.endsAt })
    .from(alertSilences)
    .where(and(gt(alertSilences.endsAt, sql`${nowIso}::timestamptz`), lte(alertSilences.startsAt, sql`${nowIso}::timestamptz`)));
  const rules: AlertRule[] = ruleRows;
  const needs = evaluationNeeds(rules, { staleAfterSeconds: opts.staleAfterSeconds });

  // Threshold rules: every needed metric column of every needed host within the window, in one query.
  const samplesByHost = new Map<string, MetricSample[]>();
  const wantsSamples = needs.samplesSeconds > 0 && needs.metrics.length > 0 && (needs.hostIds === "all" || needs.hostIds.length > 0);
  if (wantsSamples) {
    const since = new Date(now.getTime() - needs.samplesSeconds * 1000).toISOString();
    // Raw rows (no per-row mapping layer), newest first per host so evaluateRules' sort finds them in order.
    const columns = sql.join(needs.metrics.map((m) => sql`${sql.identifier(metrics[m].name)} as ${sql.identifier(m)}`), sql`, `);
    const hostFilter = needs.hostIds === "all" ? sql`` : sql` and host_id in (${sql.join(needs.hostIds.map((id) => sql`${id}::uuid`), sql`, `)})`;
    const sampleRows = await rows<{ host_id: string; ts: Date | string } & Record<string, number | null>>(
      tx,
      sql`select host_id, ts, ${columns} from metrics where ts >= ${since}::timestamptz${hostFilter} order by host_id, ts desc`,
    );
    for (const r of sampleRows) {
      const s: MetricSample = { ts: r.ts instanceof Date ? r.ts : new Date(r.ts) };
      for (const m of needs.metrics) s[m] = r[m] ?? null;
      const list = samplesByHost.get(r.host_id);
      if (list) list.push(s);
      else samplesByHost.set(r.host_id, [s]);
    }
  }

  // Drift rules: the changes recorded since the previous run, in one query.
  let snapshotChanges: SnapshotChange[] = [];
  if (needs.snapshotChanges) {
    const settle = `${opts.driftSettleSeconds ?? DRIFT_SETTLE_SECONDS} seconds`;
    const lower = clock!.prev
      ? sql`greatest(${clock!.prev}::timestamptz, ${dbNow}::timestamptz - ${`${DRIFT_MAX_LOOKBACK_SECONDS} seconds`}::interval) - ${settle}::interval`
      : sql`${dbNow}::timestamptz - ${`${DRIFT_FIRST_LOOKBACK_SECONDS} seconds`}::interval - ${settle}::interval`;
    const changeRows = await rows<{ host_id: string; snapshot_id: string; diff: SnapshotDiff | string; created_at: string | Date }>(
      tx,
      sql`select host_id, snapshot_id, diff, created_at from snapshot_diffs
          where created_at > ${lower} and created_at <= ${dbNow}::timestamptz - ${settle}::interval
          order by created_at`,
    );
    snapshotChanges = changeRows.map((r) => ({ hostId: r.host_id, snapshotId: r.snapshot_id, ts: new Date(r.created_at), diff: typeof r.diff === "string" ? (JSON.parse(r.diff) as SnapshotDiff) : r.diff }));
  }

  const openEvents: OpenAlertEvent[] = openRows;
  const result = evaluateRules({
    rules,
    samplesByHost,
    hosts: hostRows,
    openEvents,
    silences: silenceRows,
    snapshotChanges,
    now,
    staleAfterSeconds: opts.staleAfterSeconds,
  });

  const openById = new Map(openEvents.map((e) => [e.id, e]));
  const resolved: Applied["resolved"] = [];
  if (result.resolve.length > 0) {
    const input = result.resolve.map((r) => ({ id: r.eventId, resolved_at: r.resolvedAt.toISOString(), reason: r.reason }));
    const done = await rows<{ id: string }>(
      tx,
      sql`update alert_events e set state = 'resolved', resolved_at = x.resolved_at, resolve_reason = x.reason
          from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as x(id uuid, resolved_at timestamptz, reason text)
          where e.id = x.id and e.state = 'firing'
          returning e.id`,
    );
    const ids = new Set(done.map((d) => d.id));
    for (const t of result.resolve) if (ids.has(t.eventId)) resolved.push({ transition: t, startedAt: openById.get(t.eventId)?.startedAt ?? t.resolvedAt });
  }

  const fired: Applied["fired"] = [];
  if (result.fire.length > 0) {
    const input = result.fire.map((f) => ({ rule_id: f.ruleId, host_id: f.hostId, value: f.value, message: f.message, started_at: f.startedAt.toISOString(), silenced: f.silenced }));
    const inserted = await rows<{ id: string; rule_id: string; host_id: string }>(
      tx,
      sql`insert into alert_events (rule_id, host_id, state, value, message, started_at, silenced)
          select x.rule_id, x.host_id, 'firing', x.value, x.message, x.started_at, x.silenced
          from jsonb_to_recordset(${JSON.stringify(input)}::jsonb)
            as x(rule_id uuid, host_id uuid, value float8, message text, started_at timestamptz, silenced boolean)
          where exists (select 1 from hosts h where h.id = x.host_id) and exists (select 1 from alert_rules r where r.id = x.rule_id)
          on conflict (rule_id, host_id) where state = 'firing' do nothing
          returning id, rule_id, host_id`,
    );
    const byPair = new Map(inserted.map((r) => [`${r.rule_id}\u0000${r.host_id}`, r.id]));
    for (const t of result.fire) {
      const id = byPair.get(`${t.ruleId}\u0000${t.hostId}`);
      if (id) fired.push({ transition: t, id, startedAt: t.startedAt });
    }
  }

  let notifications = 0;
  if (opts.notify !== false) {
    const rulesById = new Map(rules.map((r) => [r.id, r]));
    const hostnames = new Map(hostRows.map((h) => [h.id, h.hostname]));
    const pending: PendingNotification[] = [];
    const add = (transition: PendingNotification["transition"], eventId: string, startedAt: Date) => {
      const rule = rulesById.get(transition.ruleId);
      if (transition.notify && rule) pending.push({ transition, eventId, startedAt, rule, hostname: hostnames.get(transition.hostId) ?? transition.hostId });
    };
    for (const f of fired) add(f.transition, f.id, f.startedAt);
    for (const r of resolved) add(r.transition, r.transition.eventId, r.startedAt);
    const link = opts.publicUrl ? (eventId: string) => `${opts.publicUrl}/alerts?event=${eventId}` : undefined;
    notifications = await queueNotifications(tx, pending, { url: link });
  }

  const [run] = await rows<{ id: number | string }>(
    tx,
    sql`insert into alert_runs (trigger, started_at, finished_at, evaluated, fired, resolved)
        values (${opts.trigger}, ${dbNow}::timestamptz, clock_timestamp(), ${result.evaluated}, ${fired.length}, ${resolved.length})
        returning id`,
  );
  await tx.execute(sql`delete from alert_runs where started_at < ${dbNow}::timestamptz - ${`${RUN_HISTORY_DAYS} days`}::interval`);

  return {
    runId: Number(run!.id),
    evaluated: result.evaluated,
    fired,
    resolved,
    notifications,
    skippedRules: result.skipped,
  };
}
