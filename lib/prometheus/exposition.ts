/**
 * The Prometheus text exposition format, version 0.0.4: `# HELP` and `# TYPE` once per family,
 * then one line per sample. Pure: families in, text out.
 * https://prometheus.io/docs/instrumenting/exposition_formats/
 */
export const CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export type MetricType = "gauge" | "counter";
export type PromSample = { labels: Record<string, string>; value: number };
export type MetricFamily = { name: string; help: string; type: MetricType; samples: PromSample[] };

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Label values: backslash, double quote and line feed escaped. */
export const escapeLabelValue = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
/** HELP text: backslash and line feed escaped. */
export const escapeHelp = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");

export function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

/**
 * A label name for a free-form key (a host label): characters outside [a-zA-Z0-9_] become `_`,
 * a leading digit gets `_`, and names Prometheus reserves (`__*`) or ours use lose the clash.
 */
export function sanitizeLabelName(key: string, taken: ReadonlySet<string>): string | null {
  let name = key.replace(/[^a-zA-Z0-9_]/g, "_");
  if (!name) return null;
  if (/^[0-9]/.test(name)) name = "_" + name;
  if (name.startsWith("__")) name = "label" + name;
  if (taken.has(name)) name = "label_" + name;
  return LABEL_NAME.test(name) && !taken.has(name) ? name : null;
}

function formatLabels(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => {
    if (!LABEL_NAME.test(k)) throw new Error(`invalid label name ${JSON.stringify(k)}`);
    return `${k}="${escapeLabelValue(v)}"`;
  });
  return parts.length ? `{${parts.join(",")}}` : "";
}

export function formatExposition(families: MetricFamily[]): string {
  const lines: string[] = [];
  for (const f of families) {
    if (!METRIC_NAME.test(f.name)) throw new Error(`invalid metric name ${JSON.stringify(f.name)}`);
    lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) lines.push(`${f.name}${formatLabels(s.labels)} ${formatValue(s.value)}`);
  }
  return lines.join("\n") + "\n";
}
