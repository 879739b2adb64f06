/**
 * The per-sample metrics exposed to Prometheus and written by the export, in ONE place. Entries
 * have the shape of the metric registry's (`lib/protocol/metrics.ts`: name, column, label, unit,
 * kind), so switching this list to the registry is a one-line change. Prometheus names and CSV
 * headers come from `column`: fixed strings, never request input.
 */
export type ExportedMetric = {
  /** The wire/JSON field of a Sample. */
  name: string;
  /** The `metrics` table column; also the Prometheus suffix: infrawatch_<column>. */
  column: string;
  label: string;
  unit: "percent" | "seconds" | "bytes" | "bytes_per_second" | "load";
  kind: "gauge";
};

export const EXPORTED_METRICS: readonly ExportedMetric[] = [
  { name: "cpuPct", column: "cpu_pct", label: "CPU busy", unit: "percent", kind: "gauge" },
  { name: "memPct", column: "mem_pct", label: "Memory used", unit: "percent", kind: "gauge" },
  { name: "diskPct", column: "disk_pct", label: "Disk used (fullest filesystem)", unit: "percent", kind: "gauge" },
  { name: "uptimeS", column: "uptime_s", label: "Uptime", unit: "seconds", kind: "gauge" },
  { name: "load1", column: "load1", label: "Load average, 1 minute", unit: "load", kind: "gauge" },
  { name: "load5", column: "load5", label: "Load average, 5 minutes", unit: "load", kind: "gauge" },
  { name: "load15", column: "load15", label: "Load average, 15 minutes", unit: "load", kind: "gauge" },
  { name: "memUsedBytes", column: "mem_used_bytes", label: "Memory used", unit: "bytes", kind: "gauge" },
  { name: "memTotalBytes", column: "mem_total_bytes", label: "Memory total", unit: "bytes", kind: "gauge" },
  { name: "swapPct", column: "swap_pct", label: "Swap used", unit: "percent", kind: "gauge" },
  { name: "netRxBps", column: "net_rx_bps", label: "Network received", unit: "bytes_per_second", kind: "gauge" },
  { name: "netTxBps", column: "net_tx_bps", label: "Network sent", unit: "bytes_per_second", kind: "gauge" },
];

/** Columns are SQL identifiers spliced into queries: they must be plain snake_case names. */
export const SAFE_COLUMN = /^[a-z][a-z0-9_]*$/;
