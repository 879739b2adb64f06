import { formatDuration } from "@/lib/format/duration";
import type { AlertEventView, AlertRuleView, Severity } from "@/lib/client/types";

/** The event log's ordering and labels as plain functions. */
const SEVERITY_RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** The event's own severity (recorded when it fired), else its rule's today, else info. */
export function eventSeverity(e: AlertEventView, ruleById: ReadonlyMap<string, Pick<AlertRuleView, "severity">>): Severity {
  return e.severity ?? ruleById.get(e.ruleId)?.severity ?? "info";
}

/**
 * Firing before resolved; among firing events the most severe first; then newest first. Returns
 * a new array: the query's cached list is left as it is.
 */
export function sortEvents(events: readonly AlertEventView[], severityOf: (e: AlertEventView) => Severity): AlertEventView[] {
  const firingFirst = (a: AlertEventView, b: AlertEventView) => (a.state === b.state ? 0 : a.state === "firing" ? -1 : 1);
  const bySeverity = (a: AlertEventView, b: AlertEventView) => (a.state === "firing" && b.state === "firing" ? SEVERITY_RANK[severityOf(a)] - SEVERITY_RANK[severityOf(b)] : 0);
  const newestFirst = (a: AlertEventView, b: AlertEventView) => Date.parse(b.startedAt) - Date.parse(a.startedAt);
  return [...events].sort((a, b) => firingFirst(a, b) || bySeverity(a, b) || newestFirst(a, b));
}

/** How long the event has lasted, in seconds: to its resolution, or to now while it fires. */
export function eventDurationS(e: Pick<AlertEventView, "startedAt" | "resolvedAt">, nowMs: number): number {
  const end = e.resolvedAt ? Date.parse(e.resolvedAt) : nowMs;
  return Math.max(0, (end - Date.parse(e.startedAt)) / 1000);
}

/** The value that fired the event, to two decimals; none for rules without one (drift). */
/**
 * An event's value as the log shows it: a forecast's value is the time left until the disk is
 * full, shown as a duration ("5h 40m"); every other kind's is a number, to two decimals.
 */
export const eventValue = (v: number | null, kind?: AlertEventView["kind"]): string =>
  v === null ? "—" : kind === "forecast" ? formatDuration(v) : String(Math.round(v * 100) / 100);
