/**
 * Notifications are queued, not sent, by the evaluation: for every committed transition that
 * wants notifying, one outbox row per channel that hears it (enabled, minSeverity at or below
 * the rule's), inserted in the run's own transaction. A run that rolls back queues nothing; a
 * run that commits has queued everything, whatever happens to this process next. Sending is
 * outbox.ts's business.
 */
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { notificationChannels } from "@/lib/db/schema";
import { rows } from "@/lib/db/sql";
import { SEVERITIES, type AlertRule, type FireTransition, type ResolveTransition, type Severity } from "@/lib/alerts/types";
import { notificationPayload, toAlertNotification } from "@/lib/alerts/notifiers";

export interface PendingNotification {
  transition: FireTransition | ResolveTransition;
  eventId: string;
  startedAt: Date;
  rule: Pick<AlertRule, "id" | "name" | "kind" | "severity">;
  hostname: string;
}

export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);

/** Whether a channel with this minimum hears of a rule with this severity. */
export const channelWants = (minSeverity: Severity, severity: Severity): boolean => severityRank(severity) >= severityRank(minSeverity);

/** Rows per insert statement: one jsonb parameter each, so only the statement size is bounded here. */
const INSERT_CHUNK = 1_000;

/**
 * Queues the notifications of committed-to-be transitions inside `tx`; returns how many rows
 * it added. The unique (event, channel, state) key makes a second queueing of the same
 * transition a no-op, so even a run repeated by mistake never notifies twice.
 */
export async function queueNotifications(tx: Db, pending: PendingNotification[], opts: { url?: (eventId: string) => string | null } = {}): Promise<number> {
  if (pending.length === 0) return 0;
  const channels = await tx
    .select({ id: notificationChannels.id, minSeverity: notificationChannels.minSeverity })
    .from(notificationChannels)
    .where(eq(notificationChannels.enabled, true));
  if (channels.length === 0) return 0;
  const values: { event_id: string; channel_id: string; state: string; message: unknown }[] = [];
  for (const p of pending) {
    const message = toAlertNotification(p.transition, {
      id: p.eventId,
      startedAt: p.startedAt,
      rule: { id: p.rule.id, name: p.rule.name, kind: p.rule.kind, severity: p.rule.severity },
      host: { id: p.transition.hostId, hostname: p.hostname },
      url: opts.url?.(p.eventId) ?? null,
    });
    const payload = notificationPayload(message);
    for (const channel of channels) {
      if (channelWants(channel.minSeverity, p.rule.severity)) values.push({ event_id: p.eventId, channel_id: channel.id, state: message.state, message: payload });
    }
  }
  let queued = 0;
  for (let i = 0; i < values.length; i += INSERT_CHUNK) {
    const chunk = values.slice(i, i + INSERT_CHUNK);
    const inserted = await rows<{ id: string }>(
      tx,
      sql`insert into notification_outbox (event_id, channel_id, state, message)
          select x.event_id, x.channel_id, x.state, x.message
          from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as x(event_id uuid, channel_id uuid, state text, message jsonb)
          on conflict (event_id, channel_id, state) do nothing
          returning id`,
    );
    queued += inserted.length;
  }
  return queued;
}
