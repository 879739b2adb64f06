/**
 * One alert evaluation run, in one transaction, in three steps: read the inputs
 * (lib/queries/alert-run-inputs.ts), decide with the pure `evaluateRules`, apply the transitions
 * and queue their notifications in the notification outbox, record the run. A committed
 * transition has its notifications queued, a rolled-back one none.
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
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { rows } from "@/lib/db/sql";
import { evaluateRules } from "@/lib/alerts/evaluate";
import type { EvaluationResult, FireTransition, RepeatNotice, ResolveTransition } from "@/lib/alerts/types";
import { readRunInputs, type RunInputs } from "@/lib/queries/alert-run-inputs";
import { queueNotifications, type PendingNotification } from "./notify";

export const ALERT_RUN_LOCK_KEY = 7_294_002;

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

/** The transitions a run's statements actually changed (a row another writer changed first is not ours). */
type Transitions = {
  fired: { transition: FireTransition; id: string; startedAt: Date }[];
  resolved: { transition: ResolveTransition; startedAt: Date }[];
  /** Repeat notices this run claimed (the event's repeat counter moved from n-1 to n). */
  repeated: RepeatNotice[];
};

type Applied = Transitions & {
  runId: number;
  evaluated: number;
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
  const inputs = await readRunInputs(tx, { now: opts.now ?? new Date(), staleAfterSeconds: opts.staleAfterSeconds, driftSettleSeconds: opts.driftSettleSeconds });
  const result = evaluateRules(inputs.evaluation);
  const transitions = await applyTransitions(tx, result, inputs);
  const notifications = opts.notify === false ? 0 : await queueTransitionNotifications(tx, transitions, inputs, opts.publicUrl);
  const runId = await recordRun(tx, { trigger: opts.trigger, dbNow: inputs.dbNow, evaluated: result.evaluated, fired: transitions.fired.length, resolved: transitions.resolved.length });
  return { runId, evaluated: result.evaluated, fired: transitions.fired, resolved: transitions.resolved, repeated: transitions.repeated, notifications, skippedRules: result.skipped };
}

/** Resolves, then fires (a superseded drift event closes before its successor opens). */
async function applyTransitions(tx: Db, result: EvaluationResult, inputs: RunInputs): Promise<Transitions> {
  const openById = new Map(inputs.evaluation.openEvents.map((e) => [e.id, e]));
  const resolved: Transitions["resolved"] = [];
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

  const fired: Transitions["fired"] = [];
  if (result.fire.length > 0) {
    const input = result.fire.map((f) => ({
      rule_id: f.ruleId,
      host_id: f.hostId,
      value: f.value,
      message: f.message,
      started_at: f.startedAt.toISOString(),
      silenced: f.silenced,
      maintenance: f.maintenance,
      suppressed: f.suppressed,
      notified_at: f.notify ? f.startedAt.toISOString() : null,
    }));
    const inserted = await rows<{ id: string; rule_id: string; host_id: string }>(
      tx,
      sql`insert into alert_events (rule_id, host_id, state, value, message, started_at, silenced, maintenance, suppressed, last_notified_at)
          select x.rule_id, x.host_id, 'firing', x.value, x.message, x.started_at, x.silenced, x.maintenance, x.suppressed, x.notified_at
          from jsonb_to_recordset(${JSON.stringify(input)}::jsonb)
            as x(rule_id uuid, host_id uuid, value float8, message text, started_at timestamptz, silenced boolean, maintenance boolean, suppressed boolean, notified_at timestamptz)
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

  const repeated: RepeatNotice[] = [];
  if (result.repeat.length > 0) {
    // The counter moves n-1 -> n once: a second run deciding the same repeat changes no row.
    const input = result.repeat.map((r) => ({ id: r.eventId, repeat: r.repeat }));
    const done = await rows<{ id: string }>(
      tx,
      sql`update alert_events e set repeats = x.repeat, last_notified_at = ${inputs.evaluation.now.toISOString()}::timestamptz
          from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as x(id uuid, repeat int)
          where e.id = x.id and e.state = 'firing' and e.acked_at is null and e.repeats = x.repeat - 1
          returning e.id`,
    );
    const ids = new Set(done.map((d) => d.id));
    for (const r of result.repeat) if (ids.has(r.eventId)) repeated.push(r);
  }
  return { fired, resolved, repeated };
}

/** The outbox rows of the transitions that want notifying, in the run's transaction. */
async function queueTransitionNotifications(tx: Db, transitions: Transitions, inputs: RunInputs, publicUrl: string | undefined): Promise<number> {
  const rulesById = new Map(inputs.evaluation.rules.map((r) => [r.id, r]));
  const hostsById = new Map(inputs.evaluation.hosts.map((h) => [h.id, h]));
  const pending: PendingNotification[] = [];
  const add = (transition: PendingNotification["transition"], eventId: string, startedAt: Date) => {
    const rule = rulesById.get(transition.ruleId);
    const host = hostsById.get(transition.hostId);
    if (rule) pending.push({ transition, eventId, startedAt, rule, hostname: host?.hostname ?? transition.hostId, labels: host?.labels ?? null });
  };
  for (const f of transitions.fired) if (f.transition.notify) add(f.transition, f.id, f.startedAt);
  for (const r of transitions.resolved) if (r.transition.notify) add(r.transition, r.transition.eventId, r.startedAt);
  for (const r of transitions.repeated) add(r, r.eventId, r.startedAt);
  const link = publicUrl ? (eventId: string) => `${publicUrl}/alerts?event=${eventId}` : undefined;
  return queueNotifications(tx, pending, { url: link });
}

/** The run's row is the next run's drift cursor (`started_at` = the database clock read after the lock). */
async function recordRun(tx: Db, run: { trigger: RunTrigger; dbNow: string; evaluated: number; fired: number; resolved: number }): Promise<number> {
  const [row] = await rows<{ id: number | string }>(
    tx,
    sql`insert into alert_runs (trigger, started_at, finished_at, evaluated, fired, resolved)
        values (${run.trigger}, ${run.dbNow}::timestamptz, clock_timestamp(), ${run.evaluated}, ${run.fired}, ${run.resolved})
        returning id`,
  );
  await tx.execute(sql`delete from alert_runs where started_at < ${run.dbNow}::timestamptz - ${`${RUN_HISTORY_DAYS} days`}::interval`);
  return Number(row!.id);
}
