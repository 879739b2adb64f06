/**
 * Notifications off the evaluation path: the run hands over the transitions it committed,
 * this picks the channels that want them (enabled, minSeverity at or below the rule's) and
 * enqueues one delivery per channel on the process's dispatcher, which retries with backoff
 * in the background and files every attempt in notification_deliveries.
 */
import { eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { notificationChannels, notificationDeliveries } from "@/lib/db/schema";
import { SEVERITIES, type AlertRule, type FireTransition, type ResolveTransition, type Severity } from "@/lib/alerts/types";
import {
  ChannelConfigSchema,
  createDispatcher,
  createNotifier,
  toAlertNotification,
  type AlertNotification,
  type DeliveryResult,
  type Dispatcher,
  type RetryOptions,
} from "@/lib/alerts/notifiers";

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

type Tag = { eventId: string; channelId: string; state: AlertNotification["state"] };

const QUEUES = Symbol.for("infra-watch.alert-notifications");
type Holder = { [QUEUES]?: WeakMap<Db, Dispatcher> };

export const NOTIFICATION_RETRY: RetryOptions = { attempts: 4, baseDelayMs: 1_000, maxDelayMs: 30_000 };

/** One queue per database handle (one per process in the app; tests and the bench may open several). */
export function notificationQueue(db: Db): Dispatcher {
  const holder = globalThis as Holder;
  const queues = (holder[QUEUES] ??= new WeakMap());
  let queue = queues.get(db);
  if (!queue) {
    queue = createDispatcher({
      concurrency: 4,
      retry: NOTIFICATION_RETRY,
      onResult: (delivery, result) => recordDelivery(db, JSON.parse(delivery.tag) as Tag, result),
      onError: (err) => console.error("[infra-watch] notification log:", (err as Error).message),
    });
    queues.set(db, queue);
  }
  return queue;
}

/** Every attempt of one delivery, one row each. An event deleted meanwhile (its rule was) has no log to write to. */
export async function recordDelivery(db: Db, tag: Tag, result: DeliveryResult): Promise<void> {
  if (result.attempts.length === 0) return;
  try {
    await db.insert(notificationDeliveries).values(
      result.attempts.map((a) => ({
        eventId: tag.eventId,
        channelId: tag.channelId,
        state: tag.state,
        attempt: a.attempt,
        ok: a.ok,
        status: a.status,
        error: a.error?.slice(0, 1000) ?? null,
        durationMs: a.durationMs,
        createdAt: a.startedAt,
      })),
    );
  } catch (err) {
    if ((err as { code?: string; cause?: { code?: string } }).code === "23503" || (err as { cause?: { code?: string } }).cause?.code === "23503") return;
    throw err;
  }
}

/** Enqueues deliveries for committed transitions; returns how many were enqueued. Never waits for a send. */
export async function enqueueNotifications(db: Db, pending: PendingNotification[], opts: { url?: (eventId: string) => string | null } = {}): Promise<number> {
  if (pending.length === 0) return 0;
  const channels = await db
    .select({ id: notificationChannels.id, config: notificationChannels.config, minSeverity: notificationChannels.minSeverity })
    .from(notificationChannels)
    .where(eq(notificationChannels.enabled, true));
  if (channels.length === 0) return 0;
  const queue = notificationQueue(db);
  let n = 0;
  for (const channel of channels) {
    const config = ChannelConfigSchema.safeParse(channel.config);
    if (!config.success) {
      console.error(`[infra-watch] notification channel ${channel.id} has an invalid configuration; skipped`);
      continue;
    }
    const notifier = createNotifier(config.data);
    for (const p of pending) {
      if (!channelWants(channel.minSeverity, p.rule.severity)) continue;
      const message = toAlertNotification(p.transition, {
        id: p.eventId,
        startedAt: p.startedAt,
        rule: { id: p.rule.id, name: p.rule.name, kind: p.rule.kind, severity: p.rule.severity },
        host: { id: p.transition.hostId, hostname: p.hostname },
        url: opts.url?.(p.eventId) ?? null,
      });
      queue.enqueue({ tag: JSON.stringify({ eventId: p.eventId, channelId: channel.id, state: message.state } satisfies Tag), notifier, message });
      n++;
    }
  }
  return n;
}
