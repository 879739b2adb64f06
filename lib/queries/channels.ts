/** Reads for notification channels (secrets redacted) and the per-event delivery log. */
import { asc, eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { notificationChannels, notificationDeliveries } from "@/lib/db/schema";
import { ChannelConfigSchema, redactChannelConfig, type RedactedChannelConfig } from "@/lib/alerts/notifiers";

type ChannelRow = typeof notificationChannels.$inferSelect;

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

export function listDeliveries(db: Db, eventId: string) {
  return db
    .select({
      id: notificationDeliveries.id,
      eventId: notificationDeliveries.eventId,
      channelId: notificationDeliveries.channelId,
      channelName: notificationChannels.name,
      channelKind: notificationChannels.kind,
      state: notificationDeliveries.state,
      attempt: notificationDeliveries.attempt,
      ok: notificationDeliveries.ok,
      status: notificationDeliveries.status,
      error: notificationDeliveries.error,
      durationMs: notificationDeliveries.durationMs,
      createdAt: notificationDeliveries.createdAt,
    })
    .from(notificationDeliveries)
    .leftJoin(notificationChannels, eq(notificationChannels.id, notificationDeliveries.channelId))
    .where(eq(notificationDeliveries.eventId, eventId))
    .orderBy(asc(notificationDeliveries.createdAt), asc(notificationDeliveries.attempt));
}
