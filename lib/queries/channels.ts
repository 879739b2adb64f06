/** Reads for notification channels (secrets redacted) and each event's deliveries (the outbox). */
import { asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { wireDate } from "@/lib/wire";
import { SEVERITIES } from "@/lib/alerts/types";
import { OUTBOX_STATUSES } from "@/lib/db/schema/outbox";
import { notificationChannels, notificationOutbox } from "@/lib/db/schema";
import { ChannelConfigSchema, redactChannelConfig, type RedactedChannelConfig } from "@/lib/alerts/notifiers";

type ChannelRow = typeof notificationChannels.$inferSelect;

/** A channel as admins see it: secrets are reported as set or not, never returned. */
export const ChannelViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(["webhook", "slack", "email"]),
  config: z.record(z.string(), z.unknown()).nullable(),
  minSeverity: z.enum(SEVERITIES),
  enabled: z.boolean(),
  createdBy: z.string().nullable(),
  createdAt: wireDate,
  updatedAt: wireDate,
});
export const ChannelListSchema = z.object({ channels: z.array(ChannelViewSchema) });

export const DeliveryListSchema = z.object({
  deliveries: z.array(
    z.object({
      id: z.string(),
      eventId: z.string(),
      channelId: z.string(),
      channelName: z.string().nullable(),
      channelKind: z.enum(["webhook", "slack", "email"]).nullable(),
      state: z.enum(["firing", "resolved"]),
      delivery: z.enum(OUTBOX_STATUSES),
      ok: z.boolean(),
      attempt: z.number().int(),
      status: z.number().int().nullable(),
      error: z.string().nullable(),
      durationMs: z.number().int().nullable(),
      nextAttemptAt: wireDate.nullable(),
      lastAttemptAt: wireDate.nullable(),
      sentAt: wireDate.nullable(),
      createdAt: wireDate,
    }),
  ),
});

export type ChannelView = Omit<ChannelRow, "config"> & { config: RedactedChannelConfig | null };

/** The stored config never leaves the server as is: secrets become flags. */
export function toChannelView(row: ChannelRow): ChannelView {
  const parsed = ChannelConfigSchema.safeParse(row.config);
  return { ...row, config: parsed.success ? redactChannelConfig(parsed.data) : null };
}

export async function listChannels(db: Db): Promise<ChannelView[]> {
  const list = await db.select().from(notificationChannels).orderBy(asc(notificationChannels.name), asc(notificationChannels.id));
  return list.map(toChannelView);
}

/** The row with its secrets, for the server's own use (sending, merging a PATCH). */
export async function getChannelRow(db: Db, id: string): Promise<ChannelRow | null> {
  const [row] = await db.select().from(notificationChannels).where(eq(notificationChannels.id, id));
  return row ?? null;
}

/**
 * The event's notifications as the outbox has them, one row per channel and transition:
 * `delivery` pending, sent or failed; `attempt` how many were made; `status` and `error`
 * what the last one got (a status code and a short class, never a reply body).
 */
export function listDeliveries(db: Db, eventId: string) {
  return db
    .select({
      id: notificationOutbox.id,
      eventId: notificationOutbox.eventId,
      channelId: notificationOutbox.channelId,
      channelName: notificationChannels.name,
      channelKind: notificationChannels.kind,
      state: notificationOutbox.state,
      delivery: notificationOutbox.status,
      ok: sql<boolean>`${notificationOutbox.status} = 'sent'`,
      attempt: notificationOutbox.attempts,
      status: notificationOutbox.lastStatus,
      error: notificationOutbox.lastError,
      durationMs: notificationOutbox.lastDurationMs,
      nextAttemptAt: sql<Date | null>`case when ${notificationOutbox.status} = 'pending' then ${notificationOutbox.nextAttemptAt} end`.mapWith(notificationOutbox.nextAttemptAt),
      lastAttemptAt: notificationOutbox.lastAttemptAt,
      sentAt: notificationOutbox.sentAt,
      createdAt: notificationOutbox.createdAt,
    })
    .from(notificationOutbox)
    .leftJoin(notificationChannels, eq(notificationChannels.id, notificationOutbox.channelId))
    .where(eq(notificationOutbox.eventId, eventId))
    .orderBy(asc(notificationOutbox.createdAt), asc(notificationOutbox.state), asc(notificationChannels.name));
}
