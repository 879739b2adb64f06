import type { AlertEventView, AlertRuleView, MetricPoint, SnapshotSummary } from "@/lib/client/types";
import {} from "@/app/_components/format";
import { formatDuration } from "@/lib/format/duration";

export type TimelineItem = { ts: number; kind: "snapshot" | "first" | "fired" | "resolved" | "reboot"; text: string; snapshotId?: string };

/** Entries the timeline keeps, newest first: enough for weeks of a busy host without a long list to paint. */
export const TIMELINE_MAX = 300;

/**
 * Reboots: the boot time (timestamp minus uptime) jumps forward. A bucket that straddles the
 * reboot averages old and new uptime and jumps part of the way, so back-to-back jumps are one
 * reboot, dated by the later (clean) bucket.
 */
export function detectReboots(series: readonly MetricPoint[]): { ts: number; uptimeS: number }[] {
  const out: { ts: number; uptimeS: number; i: number }[] = [];
  for (let i = 1; i < series.length; i++) {
    const prev = series[i - 1]!;
    const cur = series[i]!;
    if (cur.uptimeS + 1 >= prev.uptimeS) continue;
    const reboot = { ts: Date.parse(cur.ts) - cur.uptimeS * 1000, uptimeS: prev.uptimeS, i };
    const last = out[out.length - 1];
    if (last && last.i === i - 1) out[out.length - 1] = { ...reboot, uptimeS: last.uptimeS };
    else out.push(reboot);
  }
  return out.map(({ ts, uptimeS }) => ({ ts, uptimeS }));
}

/** Configuration snapshots, alert firings and resolutions, and reboots of one host, newest first. */
export function timelineItems({
  snapshots = [],
  events = [],
  rules = [],
  series = [],
}: {
  snapshots?: readonly SnapshotSummary[];
  events?: readonly AlertEventView[];
  rules?: readonly Pick<AlertRuleView, "id" | "name">[];
  series?: readonly MetricPoint[];
}): TimelineItem[] {
  const ruleName = new Map(rules.map((r) => [r.id, r.name]));
  const out: TimelineItem[] = [];
  for (const s of snapshots) {
    const first = !s.changed;
    out.push({ ts: Date.parse(s.ts), kind: first ? "first" : "snapshot", text: first ? `Configuration recorded — ${s.summary}` : s.summary, snapshotId: s.id });
  }
  for (const e of events) {
    const name = e.ruleName ?? ruleName.get(e.ruleId) ?? "alert rule";
    out.push({ ts: Date.parse(e.startedAt), kind: "fired", text: `${name} fired${e.value !== null ? ` (value ${Math.round(e.value * 100) / 100})` : ""}` });
    if (e.resolvedAt) out.push({ ts: Date.parse(e.resolvedAt), kind: "resolved", text: `${name} resolved` });
  }
  for (const r of detectReboots(series)) out.push({ ts: r.ts, kind: "reboot", text: `Rebooted (uptime reset after ${formatDuration(r.uptimeS)})` });
  return out.sort((a, b) => b.ts - a.ts).slice(0, TIMELINE_MAX);
}
