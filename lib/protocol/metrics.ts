/**
 * The metric registry: every numeric metric a sample carries, once. The wire schema, the
 * metrics table's columns, the ingest statement, the TimescaleDB aggregates, the chart and
 * alert reads, the rule form and the charts are all derived from this list, so adding a metric
 * is one entry here, a generated migration and the agent code that measures it.
 *
 * Plain values only (no zod): the agent bundles this file. Column names are fixed constants
 * that end up in SQL text; `isSafeColumn` (checked by the registry's tests) keeps them to
 * lower-case identifiers that need no quoting.
 */

/** How a value reads: drives validation bounds, axis and tooltip formatting. */
export type MetricUnit = "percent" | "bytes" | "bytes/s" | "count" | "seconds" | "load" | "celsius";

/**
 * `gauge`: a value read as it is now (memory in use, load). `counter-rate`: a per-second rate
 * the agent derives from a kernel counter over its interval (bytes received per second).
 */
export type MetricKind = "gauge" | "counter-rate";

/** The host page's charts, in display order; a metric names the one it is drawn in. */
export const CHART_GROUPS = [
  { key: "cpu", title: "CPU" },
  { key: "memory", title: "Memory" },
  { key: "disk", title: "Disk" },
  { key: "load", title: "Load" },
  { key: "network", title: "Network" },
  { key: "processes", title: "Processes" },
  { key: "temperature", title: "Temperature" },
] as const;
export type ChartGroup = (typeof CHART_GROUPS)[number]["key"];

export interface MetricDef {
  /** The name on the wire, in API answers and in alert rules (camelCase). */
  readonly name: string;
  /** The `metrics` table's column (snake_case). */
  readonly column: string;
  /** What a person reads in the rule form and in tooltips, without the unit. */
  readonly label: string;
  readonly unit: MetricUnit;
  readonly kind: MetricKind;
  /** Every sample carries it (a NOT NULL column); otherwise optional on the wire and nullable. */
  readonly required: boolean;
  /** Averaged into chart buckets and the TimescaleDB aggregates (sum and count per bucket). */
  readonly aggregated: boolean;
  /** A threshold rule may watch it. */
  readonly alertable: boolean;
  /** The chart that draws it, and its legend entry there (default: `label`). */
  readonly chart?: { readonly group: ChartGroup; readonly legend?: string };
}

export const METRICS = [
  { name: "cpuPct", column: "cpu_pct", label: "CPU", unit: "percent", kind: "gauge", required: true, aggregated: true, alertable: true, chart: { group: "cpu", legend: "CPU %" } },
  { name: "memPct", column: "mem_pct", label: "Memory", unit: "percent", kind: "gauge", required: true, aggregated: true, alertable: true, chart: { group: "memory", legend: "Memory %" } },
  { name: "diskPct", column: "disk_pct", label: "Disk", unit: "percent", kind: "gauge", required: true, aggregated: true, alertable: true, chart: { group: "disk", legend: "Disk % (fullest mount)" } },
  { name: "uptimeS", column: "uptime_s", label: "Uptime", unit: "seconds", kind: "gauge", required: true, aggregated: true, alertable: true },
  { name: "load1", column: "load1", label: "Load (1 min)", unit: "load", kind: "gauge", required: false, aggregated: true, alertable: true, chart: { group: "load", legend: "1 min" } },
  { name: "load5", column: "load5", label: "Load (5 min)", unit: "load", kind: "gauge", required: false, aggregated: true, alertable: true, chart: { group: "load", legend: "5 min" } },
  { name: "load15", column: "load15", label: "Load (15 min)", unit: "load", kind: "gauge", required: false, aggregated: true, alertable: true, chart: { group: "load", legend: "15 min" } },
  { name: "memUsedBytes", column: "mem_used_bytes", label: "Memory used", unit: "bytes", kind: "gauge", required: false, aggregated: true, alertable: true },
  { name: "memTotalBytes", column: "mem_total_bytes", label: "Memory total", unit: "bytes", kind: "gauge", required: false, aggregated: true, alertable: true },
  { name: "swapPct", column: "swap_pct", label: "Swap", unit: "percent", kind: "gauge", required: false, aggregated: true, alertable: true, chart: { group: "memory", legend: "Swap %" } },
  { name: "netRxBps", column: "net_rx_bps", label: "Network in", unit: "bytes/s", kind: "counter-rate", required: false, aggregated: true, alertable: true, chart: { group: "network", legend: "Received" } },
  { name: "netTxBps", column: "net_tx_bps", label: "Network out", unit: "bytes/s", kind: "counter-rate", required: false, aggregated: true, alertable: true, chart: { group: "network", legend: "Sent" } },
  { name: "procCount", column: "proc_count", label: "Processes", unit: "count", kind: "gauge", required: false, aggregated: true, alertable: true, chart: { group: "processes", legend: "Processes" } },
  { name: "threadCount", column: "thread_count", label: "Threads", unit: "count", kind: "gauge", required: false, aggregated: true, alertable: true, chart: { group: "processes", legend: "Threads" } },
  { name: "cpuTempC", column: "cpu_temp_c", label: "CPU temperature", unit: "celsius", kind: "gauge", required: false, aggregated: true, alertable: true, chart: { group: "temperature", legend: "CPU (hottest sensor)" } },
] as const satisfies readonly MetricDef[];

export type Metric = (typeof METRICS)[number];
export type MetricName = Metric["name"];
export type RequiredMetricName = Extract<Metric, { required: true }>["name"];
export type AggregatedMetric = Extract<Metric, { aggregated: true }>;
export type AlertableMetricName = Extract<Metric, { alertable: true }>["name"];

/** A sample's registry values, as the wire carries them: required ones always, the rest when measured. */
export type MetricValues = { [M in Metric as M["required"] extends true ? M["name"] : never]: number } & {
  [M in Metric as M["required"] extends true ? never : M["name"]]?: number;
};

const pick = <P extends (m: Metric) => boolean>(p: P) => METRICS.filter(p);

export const AGGREGATED_METRICS = pick((m) => m.aggregated) as readonly AggregatedMetric[];
export const ALERTABLE_METRIC_NAMES = pick((m) => m.alertable).map((m) => m.name) as readonly AlertableMetricName[];

const BY_NAME: ReadonlyMap<string, Metric> = new Map(METRICS.map((m) => [m.name, m]));

/** The registry entry for a wire name, or undefined for anything else (never throws on input). */
export function metricByName(name: unknown): Metric | undefined {
  return typeof name === "string" ? BY_NAME.get(name) : undefined;
}

export const isAlertableMetric = (name: unknown): name is AlertableMetricName => metricByName(name)?.alertable === true;

/** Lower-case SQL identifiers that need no quoting and cannot close a string or a statement. */
export const isSafeColumn = (column: string): boolean => /^[a-z][a-z0-9_]{0,62}$/.test(column);

const UNIT_SUFFIX: Record<MetricUnit, string> = { percent: " %", bytes: " (bytes)", "bytes/s": " (B/s)", count: "", seconds: " (s)", load: "", celsius: " (°C)" };

/** The label with its unit, as the rule form lists metrics: "CPU %", "Network in (B/s)". */
export function labelWithUnit(m: Pick<MetricDef, "label" | "unit">): string {
  return m.label + UNIT_SUFFIX[m.unit];
}

/** The metrics of one chart group, in registry order. */
export function metricsInChart(group: ChartGroup): readonly Metric[] {
  return METRICS.filter((m) => "chart" in m && m.chart.group === group);
}
