import { eq, sql } from "drizzle-orm";
import { hosts } from "@/lib/db/schema";
import type { Db } from "@/lib/db/client";
import { rows } from "@/lib/db/sql";
import { labelSources } from "@/lib/hosts/labels";
import { matches, MAX_SELECTOR_LENGTH, type Selector } from "@/lib/hosts/selector";
import { hostStatus, type HostStatus } from "@/lib/hosts/status";
import { z } from "zod";
import { DiskUsageSchema, type DiskUsage, type Labels } from "@/lib/protocol";
import { isoString } from "@/lib/wire";

export const HostSummarySchema = z.object({
  id: z.string(),
  hostname: z.string(),
  ip: z.string().nullable(),
  os: z.string().nullable(),
  kernel: z.string().nullable(),
  arch: z.string().nullable(),
  agentVersion: z.string().nullable(),
  status: z.enum(["up", "down", "new"]),
  lastSeenAt: isoString.nullable(),
  enrolledAt: isoString,
  droppedSamples: z.number(),
  /** As the agent reported them (see lib/protocol HostFacts). */
  agentUpdateState: z.string().nullable(),
  agentSpoolDepth: z.number().nullable(),
  /** Why the server last refused the agent (e.g. its protocol version), until it is accepted again. */
  agentNotice: z.string().nullable(),
  openAlerts: z.number(),
  /** The labels the host carries (what selectors match): the agent's, minus those a user removed, with users' values on top. */
  labels: z.record(z.string(), z.string()),
  /** Where each of `labels` comes from: `user` values survive agent reports. */
  labelSources: z.record(z.string(), z.enum(["agent", "user"])),
  /** Keys a user removed; they stay hidden while the agent reports them. */
  removedLabels: z.array(z.string()),
  /** The labels as the agent last reported them (before user edits). */
  agentLabels: z.record(z.string(), z.string()),
  latest: z
    .object({
      ts: isoString,
      cpuPct: z.number(),
      memPct: z.number(),
      diskPct: z.number(),
      uptimeS: z.number(),
      load1: z.number().nullable(),
      swapPct: z.number().nullable(),
      cpuCores: z.array(z.number()).nullable(),
      disks: z.array(DiskUsageSchema).nullable(),
    })
    .nullable(),
});
export type HostSummary = z.infer<typeof HostSummarySchema> & { status: HostStatus };
export const HostListSchema = z.object({ hosts: z.array(HostSummarySchema) });

type Row = {
  id: string;
  hostname: string;
  ip: string | null;
  os: string | null;
  kernel: string | null;
  arch: string | null;
  agent_version: string | null;
  interval_s: number | null;
  last_seen_at: Date | string | null;
  enrolled_at: Date | string;
  dropped_samples: number | string;
  agent_update_state: string | null;
  agent_spool_depth: number | null;
  agent_notice: string | null;
  open_alerts: number | string;
  agent_labels: Labels;
  user_labels: Labels;
  removed_labels: string[];
  labels: Labels;
  ts: Date | string | null;
  cpu_pct: number | null;
  mem_pct: number | null;
  disk_pct: number | null;
  uptime_s: number | null;
  load1: number | null;
  swap_pct: number | null;
  cpu_cores: number[] | null;
  disks: DiskUsage[] | null;
};

const iso = (v: Date | string) => new Date(v).toISOString();

function toSummary(r: Row, defaultIntervalS: number, nowMs: number): HostSummary {
  const lastSeen = r.last_seen_at ? new Date(r.last_seen_at) : null;
  return {
    id: r.id,
    hostname: r.hostname,
    ip: r.ip,
    os: r.os,
    kernel: r.kernel,
    arch: r.arch,
    agentVersion: r.agent_version,
    status: hostStatus(lastSeen, r.interval_s ?? defaultIntervalS, nowMs),
    lastSeenAt: lastSeen?.toISOString() ?? null,
    enrolledAt: iso(r.enrolled_at),
    droppedSamples: Number(r.dropped_samples),
    agentUpdateState: r.agent_update_state,
    agentSpoolDepth: r.agent_spool_depth === null ? null : Number(r.agent_spool_depth),
    agentNotice: r.agent_notice,
    openAlerts: Number(r.open_alerts),
    labels: r.labels,
    labelSources: labelSources({ agent: r.agent_labels, user: r.user_labels, removed: r.removed_labels }),
    removedLabels: r.removed_labels,
    agentLabels: r.agent_labels,
    latest:
      r.ts === null
        ? null
        : {
            ts: iso(r.ts),
            cpuPct: r.cpu_pct!,
            memPct: r.mem_pct!,
            diskPct: r.disk_pct!,
            uptimeS: r.uptime_s!,
            load1: r.load1,
            swapPct: r.swap_pct,
            cpuCores: r.cpu_cores,
            disks: r.disks,
          },
  };
}

/** Every host with its latest sample (one index probe per host) and its open alert count. */
function selectHosts(where: ReturnType<typeof sql>) {
  return sql`select h.id, h.hostname, h.ip, h.os, h.kernel, h.arch, h.agent_version, h.interval_s, h.last_seen_at,
      h.enrolled_at, h.dropped_samples,
      h.agent_update_state, h.agent_spool_depth, h.agent_notice, h.agent_labels, h.user_labels, h.removed_labels, h.labels, m.ts, m.cpu_pct, m.mem_pct, m.disk_pct, m.uptime_s, m.load1, m.swap_pct, m.cpu_cores, m.disks,
      (select count(*) from alert_events e where e.host_id = h.id and e.state = 'firing') as open_alerts
    from hosts h
    left join lateral (select ts, cpu_pct, mem_pct, disk_pct, uptime_s, load1, swap_pct, cpu_cores, disks from metrics
                       where host_id = h.id order by ts desc limit 1) m on true
    ${where}
    order by h.hostname, h.id`;
}

/** `selector`: only the hosts whose labels it matches (lib/hosts/selector.ts). */
export async function listHosts(db: Db, opts: { defaultIntervalS: number; nowMs?: number; selector?: Selector }): Promise<HostSummary[]> {
  const now = opts.nowMs ?? Date.now();
  const all = await rows<Row>(db, selectHosts(sql``));
  const selected = opts.selector ? all.filter((r) => matches(opts.selector!, r.labels)) : all;
  return selected.map((r) => toSummary(r, opts.defaultIntervalS, now));
}

/**
 * `GET /api/hosts?selector=env=prod,role!=db`: the route parses the selector (a bad one is a 400
 * naming its position); an empty one selects every host.
 */
export const HostListQuerySchema = z.object({ selector: z.string().max(MAX_SELECTOR_LENGTH, { message: `a selector has at most ${MAX_SELECTOR_LENGTH} characters` }).optional() });

export async function getHost(db: Db, id: string, opts: { defaultIntervalS: number; nowMs?: number }): Promise<HostSummary | null> {
  const now = opts.nowMs ?? Date.now();
  const [row] = await rows<Row>(db, selectHosts(sql`where h.id = ${id}::uuid`));
  return row ? toSummary(row, opts.defaultIntervalS, now) : null;
}

export async function hostExists(db: Db, id: string): Promise<boolean> {
  const found = await db.select({ id: hosts.id }).from(hosts).where(eq(hosts.id, id));
  return found.length > 0;
}
