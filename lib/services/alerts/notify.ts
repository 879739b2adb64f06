/**
 * Notifications are queued, not sent, by the evaluation, in the run's own transaction: a run
 * that rolls back queues nothing; a run that commits has queued everything, whatever happens
 * to this process next. Sending is outbox.ts's business.
 *
 * Each notification goes to the channels `chooseChannels` (lib/alerts/routing.ts) names for
 * its rule and host: the rule's own, else the first matching route's, else every enabled
 * channel, always within each channel's minSeverity. Notifications of one rule making the
 * same transition in one run are grouped per channel: one outbox row (one message) lists
 * every host, so fifty hosts losing a switch send one message per channel, not fifty.
 */
import { asc, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { notificationChannels, notificationRoutes } from "@/lib/db/schema";
import { rows } from "@/lib/db/sql";
import type { AlertRule, FireTransition, RepeatNotice, ResolveTransition } from "@/lib/alerts/types";
import { chooseChannels, compileRoutes } from "@/lib/alerts/routing";
import { groupNotifications, MAX_GROUPED_HOSTS, notificationPayload, toAlertNotification, type AlertNotification } from "@/lib/alerts/notifiers";

export { channelWants } from "@/lib/alerts/routing";

export interface PendingNotification {
  /** A transition, or a repeat notice of an event still firing. */
  transition: FireTransition | ResolveTransition | RepeatNotice;
  eventId: string;
  startedAt: Date;
  rule: Pick<AlertRule, "id" | "name" | "kind" | "severity" | "channelIds">;
  hostname: string;
  labels?: Readonly<Record<string, string>> | null;
}

/** Rows per insert statement: one jsonb parameter each, so only the statement size is bounded here. */
const INSERT_CHUNK = 1_000;

const isRepeat = (t: PendingNotification["transition"]): t is RepeatNotice => "repeat" in t;

function messageOf(p: PendingNotification, url: string | null): AlertNotification {
  const rule = { id: p.rule.id, name: p.rule.name, kind: p.rule.kind, severity: p.rule.severity };
  const host = { id: p.transition.hostId, hostname: p.hostname };
  if (isRepeat(p.transition)) {
    const t = p.transition;
    return { state: "firing", eventId: p.eventId, rule, host, value: t.value, message: t.message, startedAt: p.startedAt, resolvedAt: null, url, repeat: t.repeat };
  }
  return toAlertNotification(p.transition, { id: p.eventId, startedAt: p.startedAt, rule, host, url });
}

/**
 * Queues the notifications of committed-to-be transitions inside `tx`; returns how many rows
 * (messages) it added. A group's row is keyed by its first event (event, channel, state,
 * repeat), so even a run repeated by mistake never notifies twice.
 */
export async function queueNotifications(tx: Db, pending: PendingNotification[], opts: { url?: (eventId: string) => string | null } = {}): Promise<number> {
  if (pending.length === 0) return 0;
  const channels = await tx.select({ id: notificationChannels.id, enabled: notificationChannels.enabled, minSeverity: notificationChannels.minSeverity }).from(notificationChannels);
  if (!channels.some((c) => c.enabled)) return 0;
  const routes = compileRoutes(await tx.select().from(notificationRoutes).orderBy(asc(notificationRoutes.position), asc(notificationRoutes.createdAt)));

  // rule, transition and channel -> the notifications that go out as one message.
  const groups = new Map<string, { channelId: string; members: { p: PendingNotification; message: AlertNotification }[] }>();
  for (const p of pending) {
    const choice = chooseChannels(p.rule, { labels: p.labels }, routes, channels);
    if (choice.channelIds.length === 0) continue;
    const message = messageOf(p, opts.url?.(p.eventId) ?? null);
    const kind = isRepeat(p.transition) ? "repeat" : message.state;
    for (const channelId of choice.channelIds) {
      const key = `${p.rule.id}\u0000${kind}\u0000${channelId}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { channelId, members: [] }));
      g.members.push({ p, message });
    }
  }

  const values: { event_id: string; channel_id: string; state: string; repeat: number; event_ids: string[]; message: unknown }[] = [];
  for (const g of groups.values()) {
    g.members.sort((a, b) => a.p.hostname.localeCompare(b.p.hostname) || a.p.eventId.localeCompare(b.p.eventId));
    for (let i = 0; i < g.members.length; i += MAX_GROUPED_HOSTS) {
      const slice = g.members.slice(i, i + MAX_GROUPED_HOSTS);
      const message = slice.length === 1 ? slice[0]!.message : groupNotifications(slice.map((m) => m.message));
      values.push({ event_id: message.eventId, channel_id: g.channelId, state: message.state, repeat: message.repeat ?? 0, event_ids: slice.map((m) => m.p.eventId), message: notificationPayload(message) });
    }
  }

  let queued = 0;
  for (let i = 0; i < values.length; i += INSERT_CHUNK) {
    const chunk = values.slice(i, i + INSERT_CHUNK);
    const inserted = await rows<{ id: string }>(
      tx,
      sql`insert into notification_outbox (event_id, channel_id, state, repeat, event_ids, message)
          select x.event_id, x.channel_id, x.state, x.repeat, array(select jsonb_array_elements_text(x.event_ids)::uuid), x.message
          from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as x(event_id uuid, channel_id uuid, state text, repeat int, event_ids jsonb, message jsonb)
          on conflict (event_id, channel_id, state, repeat) do nothing
          returning id`,
    );
    queued += inserted.length;
  }
  return queued;
}
