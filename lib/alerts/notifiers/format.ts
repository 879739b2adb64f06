/** Human wording shared by every channel, so Slack and email say the same thing. */
import type { FireTransition, ResolveTransition } from "../types";
import type { AlertNotification } from "./types";

/**
 * The message for one transition, once the run knows the event's id and start (a resolve
 * carries the original event's `startedAt`, not the evaluation time).
 */
export function toAlertNotification(
  transition: FireTransition | ResolveTransition,
  event: { id: string; startedAt: Date; rule: AlertNotification["rule"]; host: AlertNotification["host"]; url?: string | null },
): AlertNotification {
  const resolved = "resolvedAt" in transition;
  return {
    state: resolved ? "resolved" : "firing",
    eventId: event.id,
    rule: event.rule,
    host: event.host,
    value: transition.value,
    message: transition.message,
    startedAt: event.startedAt,
    resolvedAt: resolved ? transition.resolvedAt : null,
    url: event.url ?? null,
  };
}

const STATE_WORD = { firing: "FIRING", resolved: "RESOLVED" } as const;

/** e.g. "[FIRING] critical: High CPU on web-1" */
export function notificationTitle(n: AlertNotification): string {
  return `[${STATE_WORD[n.state]}] ${n.rule.severity}: ${n.rule.name} on ${n.host.hostname}`;
}

export function notificationLines(n: AlertNotification): string[] {
  const lines = [n.message, `Host: ${n.host.hostname}`, `Rule: ${n.rule.name} (${n.rule.kind}, ${n.rule.severity})`, `Started: ${n.startedAt.toISOString()}`];
  if (n.state === "resolved" && n.resolvedAt) lines.push(`Resolved: ${n.resolvedAt.toISOString()}`);
  if (n.url) lines.push(n.url);
  return lines;
}

/** The wire form of a notification for JSON channels: dates as ISO strings, a version to grow by. */
export function notificationPayload(n: AlertNotification) {
  return {
    version: 1,
    type: `alert.${n.state}`,
    eventId: n.eventId,
    state: n.state,
    rule: n.rule,
    host: n.host,
    value: n.value,
    message: n.message,
    startedAt: n.startedAt.toISOString(),
    resolvedAt: n.resolvedAt ? n.resolvedAt.toISOString() : null,
    url: n.url ?? null,
  };
}
