/** What the evaluation tests build rules and hosts from: one clock and one default rule. */
import type { AlertRule, WatchedHost } from "./types";

export const NOW = new Date("2026-12-01T10:00:00Z");
export const ago = (seconds: number): Date => new Date(NOW.getTime() - seconds * 1000);

/** A critical "CPU above 90" rule on every host, with `over` applied. */
export const rule = (over: Partial<AlertRule> = {}): AlertRule => ({
  id: "r-cpu",
  name: "High CPU",
  kind: "threshold",
  metric: "cpuPct",
  op: ">",
  threshold: 90,
  forSeconds: 0,
  hostId: null,
  severity: "critical",
  enabled: true,
  ...over,
});

/** A host enrolled a day before NOW. */
export const host = (id: string, over: Partial<WatchedHost> = {}): WatchedHost => ({ id, hostname: id, createdAt: ago(86_400), ...over });
