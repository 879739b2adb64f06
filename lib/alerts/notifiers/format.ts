/** Human wording shared by every channel, so Slack and email say the same thing. */
import type { FireTransition, ResolveTransition } from "../types";
import type { AlertNotification, NotifiedHost } from "./types";

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

/** At most this many hosts in one message; a bigger group goes out as several messages. */
export const MAX_GROUPED_HOSTS = 200;
/** Hosts named in a message's text; the rest are counted ("and 12 more"), the JSON lists them all. */
const LISTED_HOSTS = 20;

/**
 * One message for several notifications of the same rule and transition (the caller groups
 * them): the first is the lead (its event, host, value and message), `hosts` lists them all.
 */
export function groupNotifications(members: readonly AlertNotification[]): AlertNotification {
  const lead = members[0];
  if (!lead) throw new Error("groupNotifications needs at least one notification");
  const hosts: NotifiedHost[] = members.flatMap((m) => hostsOf(m));
  return { ...lead, hosts, startedAt: new Date(Math.min(...members.map((m) => m.startedAt.getTime()))) };
}

/** The hosts a message tells of: its `hosts`, or its one host. */
export const hostsOf = (n: AlertNotification): NotifiedHost[] =>
  n.hosts && n.hosts.length > 0 ? n.hosts : [{ id: n.host.id, hostname: n.host.hostname, eventId: n.eventId, value: n.value, message: n.message }];

const STATE_WORD = { firing: "FIRING", resolved: "RESOLVED" } as const;

/** e.g. "[FIRING] critical: High CPU on web-1", "[FIRING] critical: High CPU on 50 hosts", "[STILL FIRING] …" for a repeat. */
export function notificationTitle(n: AlertNotification): string {
  const hosts = hostsOf(n);
  const where = hosts.length > 1 ? `${hosts.length} hosts` : n.host.hostname;
  const word = n.state === "firing" && (n.repeat ?? 0) > 0 ? "STILL FIRING" : STATE_WORD[n.state];
  return `[${word}] ${n.rule.severity}: ${n.rule.name} on ${where}`;
}

export function notificationLines(n: AlertNotification): string[] {
  const hosts = hostsOf(n);
  const lines =
    hosts.length > 1
      ? [
          `${hosts.length} hosts: ${hosts
            .slice(0, LISTED_HOSTS)
            .map((h) => h.hostname)
            .join(", ")}${hosts.length > LISTED_HOSTS ? ` and ${hosts.length - LISTED_HOSTS} more` : ""}`,
          ...hosts.slice(0, LISTED_HOSTS).map((h) => `${h.hostname}: ${h.message}`),
        ]
      : [n.message, `Host: ${n.host.hostname}`];
  lines.push(`Rule: ${n.rule.name} (${n.rule.kind}, ${n.rule.severity})`, `Started: ${n.startedAt.toISOString()}`);
  if (n.state === "resolved" && n.resolvedAt) lines.push(`Resolved: ${n.resolvedAt.toISOString()}`);
  if ((n.repeat ?? 0) > 0) lines.push(`Repeat notice ${n.repeat}: still firing, not acknowledged`);
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
    /** Every host this message tells of (one for a single event), each with its event. */
    hosts: hostsOf(n),
    repeat: n.repeat ?? 0,
  };
}
