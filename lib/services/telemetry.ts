/**
 * Telemetry ingestion: one statement per request inserts every sample (ON CONFLICT DO NOTHING
 * counts resends as duplicates) and updates the host's facts and last-seen time. A single
 * statement is atomic, so the 202 that follows means everything is committed.
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { FOREIGN_KEY_VIOLATION, dbErrorCode, rows } from "@/lib/db/sql";
import { MAX_CLOCK_SKEW_MS, type Sample, type TelemetryBatch, type TelemetryResponse } from "@/lib/protocol";
import { badRequest, unauthorized, type Issue } from "@/lib/http/errors";

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

const toRow = (s: Sample) => ({
  ts: s.ts,
  cpu_pct: s.cpuPct,
  mem_pct: s.memPct,
  disk_pct: s.diskPct,
  uptime_s: s.uptimeS,
  load1: s.load1 ?? null,
  load5: s.load5 ?? null,
  load15: s.load15 ?? null,
  mem_used_bytes: s.memUsedBytes ?? null,
  mem_total_bytes: s.memTotalBytes ?? null,
  swap_pct: s.swapPct ?? null,
  net_rx_bps: s.netRxBps ?? null,
  net_tx_bps: s.netTxBps ?? null,
  disks: s.disks ?? null,
  cpu_cores: s.cpuCores ?? null,
});

export async function recordTelemetry(
  db: Db,
  input: { hostId: string; batch: TelemetryBatch; nowMs: number; retentionDays: number },
): Promise<TelemetryResponse> {
  const { hostId, batch } = input;
  const issues = timestampIssues(batch.samples, input.nowMs, input.retentionDays);
  if (issues.length) throw badRequest("invalid request", issues);
  const facts = batch.host;
  const result = await insertBatch(db, hostId, batch, facts).catch((err) => {
    // The host was deleted between the token check and the insert: its token is gone too.
    if (dbErrorCode(err) === FOREIGN_KEY_VIOLATION) throw unauthorized("unknown or revoked agent token");
    throw err;
  });
  const accepted = Number(result?.accepted ?? 0);
  return { accepted, duplicates: batch.samples.length - accepted };
}

async function insertBatch(db: Db, hostId: string, batch: TelemetryBatch, facts: TelemetryBatch["host"]) {
  const [result] = await rows<{ accepted: number }>(
    db,
    sql`with input as (
      select * from jsonb_to_recordset(${JSON.stringify(batch.samples.map(toRow))}::jsonb) as x(
        ts timestamptz, cpu_pct float8, mem_pct float8, disk_pct float8, uptime_s float8,
        load1 float8, load5 float8, load15 float8, mem_used_bytes float8, mem_total_bytes float8,
        swap_pct float8, net_rx_bps float8, net_tx_bps float8, disks jsonb, cpu_cores jsonb)
    ), ins as (
      insert into metrics (host_id, ts, cpu_pct, mem_pct, disk_pct, uptime_s, load1, load5, load15,
        mem_used_bytes, mem_total_bytes, swap_pct, net_rx_bps, net_tx_bps, disks, cpu_cores)
      select ${hostId}::uuid, ts, cpu_pct, mem_pct, disk_pct, uptime_s, load1, load5, load15,
        mem_used_bytes, mem_total_bytes, swap_pct, net_rx_bps, net_tx_bps, disks, cpu_cores from input
      on conflict do nothing
      returning 1
    ), facts as (
      update hosts set
        last_seen_at = now(),
        hostname = coalesce(${facts?.hostname ?? null}, hostname),
        ip = coalesce(${facts?.ip ?? null}, ip),
        os = coalesce(${facts?.os ?? null}, os),
        kernel = coalesce(${facts?.kernel ?? null}, kernel),
        arch = coalesce(${facts?.arch ?? null}, arch),
        agent_version = coalesce(${facts?.agentVersion ?? null}, agent_version),
        interval_s = coalesce(${facts?.intervalS ?? null}::int, interval_s),
        dropped_samples = dropped_samples + ${batch.dropped ?? 0}::bigint
      where id = ${hostId}::uuid
      returning 1
    )
    select (select count(*) from ins)::int as accepted`,
  );
  return result;
}
