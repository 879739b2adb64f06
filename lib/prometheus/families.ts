/**
 * What /api/prometheus/metrics says, as metric families: per host the latest value of every
 * exported metric, whether it is up and when it was last seen; open alerts by severity; this
 * process's ingest counters. Pure: the query result in, families out.
 */
import { downAfterSeconds } from "@/lib/hosts/status";
import type { IngestCounts } from "@/lib/metrics/ingest-counters";
import { sanitizeLabelName, type MetricFamily, type PromSample } from "./exposition";
import { METRICS, type MetricDef } from "@/lib/protocol/metrics";

export type PromHost = {
  id: string;
  hostname: string;
  lastSeenAt: Date | null;
  /** The host's reporting interval, or the server default when it did not say. */
  intervalS: number;
  /** The labels the host carries (`hosts.labels`), exported as Prometheus labels. */
  labels: Record<string, string>;
  /** Latest sample's values by column; null when the host never sent one. */
  latest: Record<string, number | null> | null;
};

export type PromState = {
  hosts: PromHost[];
  openAlerts: Record<string, number>;
  /** Ingest counters of each server process of this instance (one, or one per IW_WORKERS worker). */
  ingest: { server: string; counts: IngestCounts }[];
};

const FIXED_LABELS = new Set(["host_id", "hostname"]);

function hostLabels(h: PromHost): Record<string, string> {
  const labels: Record<string, string> = { host_id: h.id, hostname: h.hostname };
  const taken = new Set(FIXED_LABELS);
  for (const key of Object.keys(h.labels).sort()) {
    const name = sanitizeLabelName(key, taken);
    if (name === null) continue;
    taken.add(name);
    labels[name] = h.labels[key]!;
  }
  return labels;
}

const UNIT_TEXT: Record<MetricDef["unit"], string> = { percent: "percent", seconds: "seconds", bytes: "bytes", "bytes/s": "bytes per second", count: "count", load: "runnable tasks", celsius: "degrees Celsius" };

/** Fresh: seen within its staleness window (the same one that makes it "down" on the dashboard). */
export const isFresh = (h: PromHost, nowMs: number) => h.lastSeenAt !== null && nowMs - h.lastSeenAt.getTime() <= downAfterSeconds(h.intervalS) * 1000;

export function buildFamilies(state: PromState, nowMs: number, metrics: readonly MetricDef[] = METRICS): MetricFamily[] {
  const fresh = state.hosts.filter((h) => isFresh(h, nowMs) && h.latest);
  const labelsOf = new Map(state.hosts.map((h) => [h.id, hostLabels(h)]));
  const families: MetricFamily[] = metrics.map((m) => ({
    name: `infrawatch_${m.column}`,
    help: `${m.label}, ${UNIT_TEXT[m.unit]}: the host's latest sample`,
    // A per-second rate the agent derived is, to Prometheus, a gauge like the others.
    type: "gauge",
    samples: fresh.flatMap((h): PromSample[] => {
      const v = h.latest![m.column];
      return v === null || v === undefined || !Number.isFinite(v) ? [] : [{ labels: labelsOf.get(h.id)!, value: v }];
    }),
  }));
  families.push(
    {
      name: "infrawatch_host_up",
      help: "1 when the host reported within its staleness window (3 reporting intervals, at least 45 s), else 0",
      type: "gauge",
      samples: state.hosts.map((h) => ({ labels: labelsOf.get(h.id)!, value: isFresh(h, nowMs) ? 1 : 0 })),
    },
    {
      name: "infrawatch_host_last_seen_timestamp_seconds",
      help: "When the host last reported, Unix time in seconds",
      type: "gauge",
      samples: state.hosts.filter((h) => h.lastSeenAt).map((h) => ({ labels: labelsOf.get(h.id)!, value: h.lastSeenAt!.getTime() / 1000 })),
    },
    {
      name: "infrawatch_alerts_open",
      help: "Alert events firing now, by rule severity",
      type: "gauge",
      samples: Object.entries(state.openAlerts).map(([severity, n]) => ({ labels: { severity }, value: n })),
    },
  );
  // One series per server process (label server="host:pid"): sum by server for the instance.
  const counter = (name: string, help: string, key: keyof IngestCounts): MetricFamily => ({
    name,
    help,
    type: "counter",
    samples: state.ingest.map((p) => ({ labels: { server: p.server }, value: p.counts[key] })),
  });
  families.push(
    counter("infrawatch_ingest_samples_accepted_total", "Telemetry samples stored by the server process", "samplesAccepted"),
    counter("infrawatch_ingest_samples_duplicate_total", "Telemetry samples already stored (agent resends), by the server process", "samplesDuplicate"),
    counter("infrawatch_ingest_samples_rejected_total", "Telemetry samples in batches the server process refused", "samplesRejected"),
    counter("infrawatch_ingest_batches_accepted_total", "Telemetry requests answered 202 by the server process", "batchesAccepted"),
    counter("infrawatch_ingest_batches_rejected_total", "Authenticated telemetry requests the server process refused", "batchesRejected"),
  );
  return families;
}
