/**
 * What one alert evaluation run reads, inside the run's transaction and after its lock: the
 * rules, the hosts, the open events, the silences in force, the samples the threshold rules
 * need and the snapshot changes recorded since the previous run. One narrow query per kind.
 */
import { and, eq, gt, isNotNull, isNull, lte, or, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { alertEvents, alertRules, alertSilences, hosts, maintenanceWindows, metrics } from "@/lib/db/schema";
import { rows } from "@/lib/db/sql";
import { evaluationNeeds, type EvaluationNeeds } from "@/lib/alerts/evaluate";
import type { AlertRule, DiskSeries, EvaluationInput, HostInventoryState, HostProcessState, MetricSample, SnapshotChange } from "@/lib/alerts/types";
import { DEFAULT_STALE_AFTER_SECONDS } from "@/lib/alerts/evaluate";
import type { ContainerItem, ServiceItem } from "@/lib/snapshots/sections";
import type { DiskUsage, SnapshotDiff } from "@/lib/protocol";
import { ALERT_RULE_FIELDS } from "./alerts";

/**
 * Snapshot diffs are read up to this many seconds before the run's start: a diff row carries
 * its transaction's start time, so one committed just after the run began could otherwise be
 * stamped before the cursor and never be seen. Any ingest transaction shorter than this is safe.
 */
export const DRIFT_SETTLE_SECONDS = 5;
/** The first run ever, or one after a long outage, looks back at most this far for drift. */
const DRIFT_FIRST_LOOKBACK_SECONDS = 15 * 60;
const DRIFT_MAX_LOOKBACK_SECONDS = 24 * 3600;

export type RunInputOptions = { now: Date; staleAfterSeconds?: number; driftSettleSeconds?: number };

export type RunInputs = {
  /** What `evaluateRules` decides on. */
  evaluation: EvaluationInput & { hosts: { id: string; hostname: string; createdAt: Date; lastSeenAt: Date | null; labels: Record<string, string> }[] };
  /** The database clock when the run started, as text (full microsecond precision): the drift cursor. */
  dbNow: string;
};

export async function readRunInputs(tx: Db, opts: RunInputOptions): Promise<RunInputs> {
  // The database clock, read after the lock: the cursor is compared with snapshot_diffs.created_at.
  const [clock] = await rows<{ now: string; prev: string | null }>(
    tx,
    sql`select clock_timestamp()::text as now, (select started_at::text from alert_runs order by started_at desc limit 1) as prev`,
  );
  const dbNow = clock!.now;
  const nowIso = opts.now.toISOString();

  const rules: AlertRule[] = await tx
    .select(ALERT_RULE_FIELDS)
    .from(alertRules);
  const hostRows = await tx.select({ id: hosts.id, hostname: hosts.hostname, createdAt: hosts.createdAt, lastSeenAt: hosts.lastSeenAt, labels: hosts.labels }).from(hosts);
  const openEvents = await tx
    .select({
      id: alertEvents.id,
      ruleId: alertEvents.ruleId,
      hostId: alertEvents.hostId,
      startedAt: alertEvents.startedAt,
      value: alertEvents.value,
      message: alertEvents.message,
      ackedAt: alertEvents.ackedAt,
      lastNotifiedAt: alertEvents.lastNotifiedAt,
      repeats: alertEvents.repeats,
    })
    .from(alertEvents)
    .where(eq(alertEvents.state, "firing"));
  // One-off windows not over yet, and every recurring one (whether it is open is the schedule's question).
  const maintenance = await tx
    .select({
      id: maintenanceWindows.id,
      hostId: maintenanceWindows.hostId,
      selector: maintenanceWindows.selector,
      startsAt: maintenanceWindows.startsAt,
      endsAt: maintenanceWindows.endsAt,
      cron: maintenanceWindows.cron,
      timezone: maintenanceWindows.timezone,
      durationSeconds: maintenanceWindows.durationSeconds,
    })
    .from(maintenanceWindows)
    .where(or(isNotNull(maintenanceWindows.cron), and(isNull(maintenanceWindows.cron), gt(maintenanceWindows.endsAt, sql`${nowIso}::timestamptz`))));
  const silences = await tx
    .select({ ruleId: alertSilences.ruleId, hostId: alertSilences.hostId, startsAt: alertSilences.startsAt, endsAt: alertSilences.endsAt })
    .from(alertSilences)
    .where(and(gt(alertSilences.endsAt, sql`${nowIso}::timestamptz`), lte(alertSilences.startsAt, sql`${nowIso}::timestamptz`)));
  const needs = evaluationNeeds(rules, { staleAfterSeconds: opts.staleAfterSeconds });
  const wantsSamples = needs.samplesSeconds > 0 && needs.metrics.length > 0 && (needs.hostIds === "all" || needs.hostIds.length > 0);
  const samplesByHost = wantsSamples ? await readSamples(tx, needs, opts.now) : new Map<string, MetricSample[]>();
  const disksByHost = needs.diskSeconds > 0 ? await readDiskSeries(tx, needs, opts.now) : new Map<string, DiskSeries>();
  const snapshotChanges = needs.snapshotChanges ? await readSnapshotChanges(tx, { dbNow, prev: clock!.prev, settleSeconds: opts.driftSettleSeconds ?? DRIFT_SETTLE_SECONDS }) : [];
  const inventoryByHost = needs.inventory ? await readInventory(tx) : undefined;
  const processesByHost = needs.processes ? await readProcesses(tx, opts.now, opts.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS) : undefined;

  return {
    evaluation: { rules, samplesByHost, hosts: hostRows, openEvents, silences, snapshotChanges, inventoryByHost, processesByHost, maintenance, disksByHost, now: opts.now, staleAfterSeconds: opts.staleAfterSeconds },
    dbNow,
  };
}

/** Threshold rules: every needed metric column of every needed host within the window, in one query. */
async function readSamples(tx: Db, needs: EvaluationNeeds, now: Date): Promise<Map<string, MetricSample[]>> {
  const samplesByHost = new Map<string, MetricSample[]>();
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
  return samplesByHost;
}

/** Points per mount a forecast fits: one stored sample per lookback / FORECAST_POINTS. */
export const FORECAST_POINTS = 48;

/**
 * Forecast rules: each mount's used percent at FORECAST_POINTS instants over the longest
 * lookback, one stored sample per slot (the newest in it), found through the (host_id, ts)
 * primary key: 1,000 hosts cost 48,000 index probes instead of a scan of six hours of rows
 * (352,800 at 60 s) with their disks expanded, which took seconds.
 */
async function readDiskSeries(tx: Db, needs: EvaluationNeeds, now: Date): Promise<Map<string, DiskSeries>> {
  const slotMs = Math.max(60_000, Math.ceil((needs.diskSeconds * 1000) / FORECAST_POINTS));
  const hostFilter = needs.hostIds === "all" ? sql`` : sql` where h.id in (${sql.join(needs.hostIds.map((id) => sql`${id}::uuid`), sql`, `)})`;
  // One row per host, its slots as one JSON text: 1,000 rows to decode instead of 48,000.
  const hostRows = await rows<{ host_id: string; points: string }>(
    tx,
    sql`select h.id as host_id, json_agg(json_build_array((extract(epoch from m.ts) * 1000)::bigint, m.disks) order by m.ts)::text as points
        from hosts h
        cross join generate_series(0, ${FORECAST_POINTS - 1}) k
        cross join lateral (
          select ts, disks from metrics
          where host_id = h.id
            and ts <= ${now.toISOString()}::timestamptz - k * ${`${slotMs} milliseconds`}::interval
            and ts > ${now.toISOString()}::timestamptz - (k + 1) * ${`${slotMs} milliseconds`}::interval
            and disks is not null
          order by ts desc limit 1
        ) m${hostFilter}
        group by h.id`,
  );
  const out = new Map<string, Map<string, { t: number; pct: number }[]>>();
  for (const r of hostRows) {
    const mounts = new Map<string, { t: number; pct: number }[]>();
    out.set(r.host_id, mounts);
    for (const [t, disks] of JSON.parse(r.points) as [number, DiskUsage[] | null][]) {
      if (!Array.isArray(disks)) continue;
      for (const d of disks) {
        if (typeof d?.mount !== "string" || typeof d.pct !== "number") continue;
        let points = mounts.get(d.mount);
        if (!points) mounts.set(d.mount, (points = []));
        points.push({ t: Number(t), pct: d.pct });
      }
    }
  }
  return out;
}

/** Drift rules: the changes recorded since the previous run (the cursor), in one query. */
async function readSnapshotChanges(tx: Db, cursor: { dbNow: string; prev: string | null; settleSeconds: number }): Promise<SnapshotChange[]> {
  const settle = `${cursor.settleSeconds} seconds`;
  const lower = cursor.prev
    ? sql`greatest(${cursor.prev}::timestamptz, ${cursor.dbNow}::timestamptz - ${`${DRIFT_MAX_LOOKBACK_SECONDS} seconds`}::interval) - ${settle}::interval`
    : sql`${cursor.dbNow}::timestamptz - ${`${DRIFT_FIRST_LOOKBACK_SECONDS} seconds`}::interval - ${settle}::interval`;
  const changeRows = await rows<{ host_id: string; snapshot_id: string; diff: SnapshotDiff | string; created_at: string | Date }>(
    tx,
    sql`select host_id, snapshot_id, diff, created_at from snapshot_diffs
        where created_at > ${lower} and created_at <= ${cursor.dbNow}::timestamptz - ${settle}::interval
        order by created_at`,
  );
  return changeRows.map((r) => ({ hostId: r.host_id, snapshotId: r.snapshot_id, ts: new Date(r.created_at), diff: typeof r.diff === "string" ? (JSON.parse(r.diff) as SnapshotDiff) : r.diff }));
}

const asJson = <T>(v: T | string | null): T | null => (typeof v === "string" ? (JSON.parse(v) as T) : v);
const asDate = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));

/** serviceFailed / containerDown: each host's newest snapshot's services and containers, one query. */
async function readInventory(tx: Db): Promise<Map<string, HostInventoryState>> {
  const found = await rows<{ host_id: string; ts: Date | string; services: ServiceItem[] | string | null; containers: ContainerItem[] | string | null }>(
    tx,
    sql`select distinct on (host_id) host_id, ts, sections->'services' as services, sections->'containers' as containers
        from snapshots order by host_id, ts desc, received_at desc`,
  );
  const out = new Map<string, HostInventoryState>();
  for (const r of found) {
    const state: HostInventoryState = { ts: asDate(r.ts)! };
    const services = asJson(r.services);
    const containers = asJson(r.containers);
    if (services) state.services = services;
    if (containers) state.containers = containers;
    out.set(r.host_id, state);
  }
  return out;
}

/**
 * processMissing: each host's newest process sample within the staleness window (its names
 * prove presence) and the newest complete name list the agent sent (kept on the host row).
 */
async function readProcesses(tx: Db, now: Date, staleAfterSeconds: number): Promise<Map<string, HostProcessState>> {
  const since = new Date(now.getTime() - staleAfterSeconds * 1000).toISOString();
  const top = await rows<{ host_id: string; ts: Date | string; names: string[] | string }>(
    tx,
    sql`select distinct on (host_id) host_id, ts, (select coalesce(jsonb_agg(p->'name'), '[]'::jsonb) from jsonb_array_elements(processes) p) as names
        from process_samples where ts >= ${since}::timestamptz order by host_id, ts desc`,
  );
  const full = await rows<{ id: string; process_names: string[] | string | null; process_names_at: Date | string | null }>(
    tx,
    sql`select id, process_names, process_names_at from hosts where process_names is not null`,
  );
  const out = new Map<string, HostProcessState>();
  const entry = (hostId: string) => {
    let e = out.get(hostId);
    if (!e) out.set(hostId, (e = { topTs: null, top: [], namesTs: null, names: null }));
    return e;
  };
  for (const r of top) Object.assign(entry(r.host_id), { topTs: asDate(r.ts), top: asJson(r.names) ?? [] });
  for (const r of full) Object.assign(entry(r.id), { namesTs: asDate(r.process_names_at), names: asJson(r.process_names) });
  return out;
}
