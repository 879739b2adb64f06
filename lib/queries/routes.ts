/** Reads for notification routes, with the channels they and rules can name (names only: configurations stay admin-only). */
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/lib/db/client";
import { notificationChannels, notificationRoutes } from "@/lib/db/schema";
import { SEVERITIES } from "@/lib/alerts/types";
import { wireDate } from "@/lib/wire";

export const RouteSchema = z.object({
  id: z.string(),
  name: z.string(),
  selector: z.string().nullable(),
  severities: z.array(z.enum(SEVERITIES)),
  channelIds: z.array(z.string()),
  position: z.number().int(),
  createdAt: wireDate,
  updatedAt: wireDate,
});
/** A channel as a rule or route may name it: no configuration, no secret. */
export const ChannelRefSchema = z.object({ id: z.string(), name: z.string(), kind: z.enum(["webhook", "slack", "email"]), enabled: z.boolean(), minSeverity: z.enum(SEVERITIES) });
export const RouteListSchema = z.object({ routes: z.array(RouteSchema), channels: z.array(ChannelRefSchema) });

const routeColumns = {
  id: notificationRoutes.id,
  name: notificationRoutes.name,
  selector: notificationRoutes.selector,
  severities: notificationRoutes.severities,
  channelIds: notificationRoutes.channelIds,
  position: notificationRoutes.position,
  createdAt: notificationRoutes.createdAt,
  updatedAt: notificationRoutes.updatedAt,
};

/** In the order they are tried. */
export async function listRoutes(db: Db) {
  const routes = await db.select(routeColumns).from(notificationRoutes).orderBy(asc(notificationRoutes.position), asc(notificationRoutes.createdAt), asc(notificationRoutes.id));
  const channels = await db
    .select({ id: notificationChannels.id, name: notificationChannels.name, kind: notificationChannels.kind, enabled: notificationChannels.enabled, minSeverity: notificationChannels.minSeverity })
    .from(notificationChannels)
    .orderBy(asc(notificationChannels.name), asc(notificationChannels.id));
  return { routes, channels };
}

export async function getRoute(db: Db, id: string) {
  const [route] = await db.select(routeColumns).from(notificationRoutes).where(eq(notificationRoutes.id, id));
  return route ?? null;
}
