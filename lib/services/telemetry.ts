/**
 * Telemetry ingestion with group commit. Requests that arrive while a write is in flight are
 * queued and go out together: one INSERT ... ON CONFLICT DO NOTHING for every sample of the
 * group (a resend counts as duplicates), then one UPDATE of the hosts' facts and last-seen time.
 * Every request of the group is answered only after both have committed. An idle server writes
 * at once: there is no timer to wait on.
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { METRIC_COLUMNS, quoted } from "@/lib/db/metric-columns";
import { FOREIGN_KEY_VIOLATION, dbErrorCode, rows } from "@/lib/db/sql";
import { aggregateRefresherFor } from "@/lib/db/timescale";
import { MAX_CLOCK_SKEW_MS, METRICS, type HostFacts, type Sample, type TelemetryBatch, type TelemetryResponse } from "@/lib/protocol";
import { badRequest, unauthorized, type Issue } from "@/lib/errors";

/** Timestamps the contract refuses: more than 5 minutes ahead, or older than the retention period. */
export function timestampIssues(samples: Sample[], nowMs: number, retentionDays: number): Issue[] {
  const latest = nowMs + MAX_CLOCK_SKEW_MS;
  const earliest = nowMs - retentionDays * 86_400_000;
  const issues: Issue[] = [];
  samples.forEach((s, i) => {
    const t = Date.parse(s.ts);
    if (t > latest) issues.push({ path: `samples.${i}.ts`, message: "is more than 5 minutes ahead of the server's clock" });
    else if (t < earliest) issues.push({ path: `samples.${i}.ts`, message: `is older than the retention period (${retentionDays} days)` });
  });
  return issues;
}


/** A sample as a row of the insert's recordset: one key per registry column, null when not measured. */
function toRow(s: Sample): Record<string, unknown> {
  const row: Record<string, unknown> = { ts: s.ts };
  for (const m of METRICS) row[m.column] = s[m.name] ?? null;
  row.disks = s.disks ?? null;
  row.cpu_cores = s.cpuCores ?? null;
  row.processes = s.processes ?? null;
  return row;
}

/** The insert's column list and its recordset's typed columns, from the registry (constants, built once). */
const INSERT_COLUMNS = ["host_id", "ts", ...METRIC_COLUMNS.map(quoted), "disks", "cpu_cores"].join(", ");
const RECORDSET_COLUMNS = ["r int", "host_id uuid", "ts timestamptz", ...METRIC_COLUMNS.map((c) => `${quoted(c)} float8`), "disks jsonb", "cpu_cores jsonb", "processes jsonb"].join(", ");

type Pending = { hostId: string; batch: TelemetryBatch; resolve: (accepted: number) => void; reject: (err: unknown) => void };

/** Facts per host for the group: the last request's values win, dropped counts add up. */
function factsByHost(group: Pending[]) {
  const byHost = new Map<string, Partial<HostFacts> & { host_id: string; dropped: number; names?: string[]; namesAt?: number }>();
  for (const { hostId, batch } of group) {
    const f = byHost.get(hostId) ?? { host_id: hostId, dropped: 0 };
    const h = batch.host;
    if (h) Object.assign(f, Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)));
    f.dropped += batch.dropped ?? 0;
    // The newest complete process-name list of the group (processMissing rules read it).
    for (const s of batch.samples) {
      if (!s.processNames) continue;
      const t = Date.parse(s.ts);
      if (f.namesAt === undefined || t > f.namesAt) Object.assign(f, { names: s.processNames, namesAt: t });
    }
    byHost.set(hostId, f);
  }
  // In host order, so concurrent groups lock host rows in the same order.
  return [...byHost.values()].sort((a, b) => (a.host_id < b.host_id ? -1 : 1)).map((f) => ({
    host_id: f.host_id,
    hostname: f.hostname ?? null,
    ip: f.ip ?? null,
    os: f.os ?? null,
    kernel: f.kernel ?? null,
    arch: f.arch ?? null,
    agent_version: f.agentVersion ?? null,
    interval_s: f.intervalS ?? null,
    update_state: f.updateState ?? null,
    spool_depth: f.spoolDepth ?? null,
    dropped: f.dropped,
    process_names: f.names ?? null,
    process_names_at: f.namesAt === undefined ? null : new Date(f.namesAt).toISOString(),
  }));
}

/**
 * One statement for a whole group. A (host, ts) sent twice within the group is stored once and
 * counted for the request that came first; `r` is the request's index in the group. A sample's
 * processes go to process_samples in the same statement, only where its metrics row is new, so
 * a sample is stored whole or not at all and a resend adds nothing.
 */
async function insertGroup(db: Db, group: Pending[]): Promise<number[]> {
  // Alone, a request needs no attribution: ON CONFLICT already skips its own repeats (a
  // 1000-sample batch is about a third faster without the sort and the join).
  const alone = group.length === 1;
  const firsts = alone ? sql.raw("select * from input") : sql.raw("select distinct on (host_id, ts) * from input order by host_id, ts, r");
  const counted = alone
    ? sql.raw("select 0 as r, count(*)::int as accepted from ins")
    : sql.raw("select f.r, count(*)::int as accepted from ins join firsts f using (host_id, ts) group by f.r");
  // In (host_id, ts) order, the same for every group, so concurrent groups that touch the same
  // rows (a resend racing its original) take their row locks in one order and cannot deadlock.
  const samples = group
    .flatMap(({ hostId, batch }, r) => batch.samples.map((s) => ({ t: Date.parse(s.ts), row: { r, host_id: hostId, ...toRow(s) } })))
    .sort((a, b) => (a.row.host_id < b.row.host_id ? -1 : a.row.host_id > b.row.host_id ? 1 : a.t - b.t || a.row.r - b.row.r))
    .map((k) => k.row);
  const result = await rows<{ r: number; accepted: number }>(
    db,
    sql`with input as (
      select * from jsonb_to_recordset(${JSON.stringify(samples)}::jsonb) as x(${sql.raw(RECORDSET_COLUMNS)})
    ), firsts as (
      ${firsts}
    ), ins as (
      insert into metrics (${sql.raw(INSERT_COLUMNS)})
      select ${sql.raw(INSERT_COLUMNS)} from firsts
      on conflict do nothing
      returning host_id, ts
    ), procs as (
      insert into process_samples (host_id, ts, processes)
      select f.host_id, f.ts, f.processes from firsts f join ins using (host_id, ts)
      where f.processes is not null
      on conflict do nothing
    )
    ${counted}`,
  );
  const accepted = group.map(() => 0);
  for (const row of result) accepted[Number(row.r)] = Number(row.accepted);
  return accepted;
}

/**
 * The hosts' facts and last-seen time, in a statement of its own after the samples. In the same
 * statement as the insert, every insert held a lock on hosts from its start, and on TimescaleDB
 * an insert that creates a chunk needs a stronger lock on hosts (the chunk's foreign key) while
 * holding the hypertable's chunk lock: two such statements deadlocked on every new chunk.
 */
async function updateHostFacts(db: Db, group: Pending[]): Promise<void> {
  await db.execute(sql`update hosts h set
        last_seen_at = now(),
        hostname = coalesce(f.hostname, h.hostname),
        ip = coalesce(f.ip, h.ip),
        os = coalesce(f.os, h.os),
        kernel = coalesce(f.kernel, h.kernel),
        arch = coalesce(f.arch, h.arch),
        agent_version = coalesce(f.agent_version, h.agent_version),
        interval_s = coalesce(f.interval_s, h.interval_s),
        agent_update_state = coalesce(f.update_state, h.agent_update_state),
        agent_spool_depth = coalesce(f.spool_depth, h.agent_spool_depth),
        agent_notice = null,
        dropped_samples = h.dropped_samples + f.dropped,
        -- Only a newer list replaces the kept one: a spool replay of old samples does not.
        process_names = case when f.process_names_at > coalesce(h.process_names_at, '-infinity') then f.process_names else h.process_names end,
        process_names_at = greatest(h.process_names_at, f.process_names_at)
      from jsonb_to_recordset(${JSON.stringify(factsByHost(group))}::jsonb) as f(
        host_id uuid, hostname text, ip text, os text, kernel text, arch text, agent_version text, interval_s int,
        update_state text, spool_depth int, dropped bigint, process_names jsonb, process_names_at timestamptz)
      where h.id = f.host_id`);
}

const MAX_GROUP_SAMPLES = 10_000;
/**
 * Statements in flight at once. One would serialise big batches onto a single database
 * backend (40k samples/s here, with the server 75 % idle); a few keep the database busy while
 * small requests still pile up into groups whenever every slot is taken.
 */
const WRITE_SLOTS = 4;
/** A group statement undone by the database to break a deadlock or a serialization conflict is retried this often in all. */
export const CONFLICT_ATTEMPTS = 5;

/**
 * Deadlock (40P01) and serialization failure (40001): the database undid the whole statement
 * and running it again is the documented remedy. Anything else is the statement's own fault.
 */
export function isRetryableConflict(err: unknown): boolean {
  const code = dbErrorCode(err);
  return code === "40P01" || code === "40001";
}

/** Jittered, growing pause before attempt `attempt` (2, 3, ...): 5-40 ms, then up to 80, 160, 320 ms. */
export function conflictBackoffMs(attempt: number, random = Math.random): number {
  const ceiling = 10 * 2 ** Math.min(attempt, 6);
  return 5 + Math.floor(random() * (ceiling - 5));
}

export class TelemetryWriter {
  private queue: Pending[] = [];
  private inFlight = 0;

  constructor(
    private readonly db: Db,
    private readonly onStored: (group: Pending[]) => void = () => {},
  ) {}

  write(hostId: string, batch: TelemetryBatch): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ hostId, batch, resolve, reject });
      if (this.inFlight < WRITE_SLOTS) void this.flush();
    });
  }

  private takeGroup(): Pending[] {
    let n = 0;
    let count = 0;
    while (n < this.queue.length && (n === 0 || count + this.queue[n]!.batch.samples.length <= MAX_GROUP_SAMPLES)) count += this.queue[n++]!.batch.samples.length;
    return this.queue.splice(0, n);
  }

  private async flush() {
    this.inFlight++;
    try {
      while (this.queue.length) await this.writeGroup(this.takeGroup());
    } finally {
      this.inFlight--;
    }
  }

  /** A statement run again (bounded, with backoff) when the database undid it for a conflict. */
  private async withConflictRetry<T>(statement: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await statement();
      } catch (err) {
        if (!isRetryableConflict(err) || attempt >= CONFLICT_ATTEMPTS) throw err;
        await new Promise((r) => setTimeout(r, conflictBackoffMs(attempt + 1)));
      }
    }
  }

  private async writeGroup(group: Pending[]): Promise<void> {
    let accepted: number[];
    try {
      accepted = await this.withConflictRetry(() => insertGroup(this.db, group));
    } catch (err) {
      if (group.length > 1) {
        // One request of the group can fail the shared statement (a host deleted meanwhile, a
        // value the database refuses): write them one by one so only that request fails.
        for (const p of group) await this.writeGroup([p]);
      } else if (dbErrorCode(err) === FOREIGN_KEY_VIOLATION) {
        // The host was deleted between the token check and the insert: its token is gone too.
        group[0]!.reject(unauthorized("unknown or revoked agent token"));
      } else {
        group[0]!.reject(err);
      }
      return;
    }
    try {
      this.onStored(group);
    } catch {
      // Bookkeeping after the commit must never turn an acknowledged write into an error.
    }
    // The samples are committed; the facts follow. Should the group's update fail, each
    // request's facts go alone, and only a request whose own facts fail gets the error.
    try {
      await this.withConflictRetry(() => updateHostFacts(this.db, group));
      group.forEach((p, i) => p.resolve(accepted[i]!));
    } catch (err) {
      if (group.length === 1) return group[0]!.reject(err);
      for (const [i, p] of group.entries()) {
        await this.withConflictRetry(() => updateHostFacts(this.db, [p])).then(
          () => p.resolve(accepted[i]!),
          (e: unknown) => p.reject(e),
        );
      }
    }
  }
}

const writers = new WeakMap<Db, TelemetryWriter>();

/** Tells the aggregate refresher (TimescaleDB only) which time range each committed request covered. */
function noteLateSamples(db: Db, group: { batch: TelemetryBatch }[]) {
  const refresher = aggregateRefresherFor(db);
  if (!refresher) return;
  const nowMs = Date.now();
  for (const { batch } of group) {
    let min = Infinity;
    let max = -Infinity;
    for (const s of batch.samples) {
      const t = Date.parse(s.ts);
      if (t < min) min = t;
      if (t > max) max = t;
    }
    if (min <= max) refresher.noteSamples(min, max, nowMs);
  }
}

export async function recordTelemetry(
  db: Db,
  input: { hostId: string; batch: TelemetryBatch; nowMs: number; retentionDays: number },
): Promise<TelemetryResponse> {
  const issues = timestampIssues(input.batch.samples, input.nowMs, input.retentionDays);
  if (issues.length) throw badRequest("invalid request", issues);
  let writer = writers.get(db);
  if (!writer) writers.set(db, (writer = new TelemetryWriter(db, (group) => noteLateSamples(db, group))));
  const accepted = await writer.write(input.hostId, input.batch);
  return { accepted, duplicates: input.batch.samples.length - accepted };
}
