/**
 * The "why was CPU high at 03:12" view's arithmetic: which moment a chart click or a dragged
 * range points at, and which configuration changes came before it.
 */
import type { MetricPoint, SnapshotSummary } from "@/lib/client/types";

/** The bucket with the highest CPU within a dragged range (the moment worth explaining), or its end when there is none. */
export function peakMoment(series: readonly MetricPoint[], fromMs: number, toMs: number): number {
  let best: { ts: number; cpu: number } | null = null;
  for (const p of series) {
    const ts = Date.parse(p.ts);
    if (ts < fromMs || ts > toMs || typeof p.cpuPct !== "number") continue;
    if (!best || p.cpuPct > best.cpu) best = { ts, cpu: p.cpuPct };
  }
  return best ? best.ts : toMs;
}

/** The configuration changes at or before `atMs`, newest first, at most `limit`. */
export function changesBefore(snapshots: readonly SnapshotSummary[], atMs: number, limit = 5): SnapshotSummary[] {
  return snapshots
    .filter((s) => s.changed && Date.parse(s.ts) <= atMs)
    .sort((a, b) => Date.parse(b.ts) - Date.parse(a.ts))
    .slice(0, limit);
}
