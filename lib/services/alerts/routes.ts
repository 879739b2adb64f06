/**
 * Notification route writes (operator+). A route sends the events of rules that name no
 * channels, on hosts its selector matches and at severities it lists, to its channels; the
 * first matching route by position wins (lib/alerts/routing.ts).
 */
import { eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { AppContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { notificationChannels, notificationRoutes } from "@/lib/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { SEVERITIES } from "@/lib/alerts/types";
import { formatSelector, parseSelector, SelectorSchema } from "@/lib/hosts/selector";
import { badRequest, notFound, type Issue } from "@/lib/errors";
import { actorUserId, requirePermission } from "./access";

export const MAX_ROUTE_CHANNELS = 20;
export const MAX_ROUTE_POSITION = 10_000;

const fields = {
  name: z.string().trim().min(1).max(200),
  /** null or absent: every host. */
  selector: SelectorSchema.nullable(),
  /** Empty: every severity. */
  severities: z
    .array(z.enum(SEVERITIES))
    .max(SEVERITIES.length)
    .refine((s) => new Set(s).size === s.length, { message: "names a severity twice" }),
  channelIds: z
    .array(z.uuid("must be a channel id"))
    .min(1, { message: "a route names at least one channel" })
    .max(MAX_ROUTE_CHANNELS, { message: `at most ${MAX_ROUTE_CHANNELS} channels` })
    .refine((ids) => new Set(ids.map((i) => i.toLowerCase())).size === ids.length, { message: "names a channel twice" }),
  /** Lower first. */
  position: z.number().int().min(0).max(MAX_ROUTE_POSITION),
};

export const CreateRouteSchema = z.object({ ...fields, selector: fields.selector.default(null), severities: fields.severities.default([]), position: fields.position.default(0) });
export const UpdateRouteSchema = z
  .object({ name: fields.name.optional(), selector: fields.selector.optional(), severities: fields.severities.optional(), channelIds: fields.channelIds.optional(), position: fields.position.optional() })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "nothing to change (fields: name, selector, severities, channelIds, position)" });

async function checkChannels(db: Db, ids: string[] | undefined) {
  if (!ids) return;
  const found = new Set((await db.select({ id: notificationChannels.id }).from(notificationChannels).where(inArray(notificationChannels.id, ids))).map((c) => c.id));
  const issues: Issue[] = [];
  ids.forEach((id, i) => {
    if (!found.has(id)) issues.push({ path: `channelIds.${i}`, message: "no such channel" });
  });
  if (issues.length) throw badRequest("invalid request", issues);
}

const canonical = (selector: string | null | undefined) => (selector === undefined ? undefined : selector === null ? null : formatSelector(parseSelector(selector)));

export async function createRoute(ctx: Pick<AppContext, "db">, actor: Actor, input: z.output<typeof CreateRouteSchema>): Promise<string> {
  requirePermission(actor, "alerts:write");
  const channelIds = input.channelIds.map((id) => id.toLowerCase());
  await checkChannels(ctx.db, channelIds);
  const [row] = await ctx.db
    .insert(notificationRoutes)
    .values({ name: input.name, selector: canonical(input.selector) ?? null, severities: input.severities, channelIds, position: input.position, createdBy: actorUserId(actor) })
    .returning({ id: notificationRoutes.id });
  return row!.id;
}

export async function updateRoute(ctx: Pick<AppContext, "db">, actor: Actor, id: string, input: z.output<typeof UpdateRouteSchema>): Promise<void> {
  requirePermission(actor, "alerts:write");
  const channelIds = input.channelIds?.map((c) => c.toLowerCase());
  await checkChannels(ctx.db, channelIds);
  const [row] = await ctx.db
    .update(notificationRoutes)
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.selector !== undefined ? { selector: canonical(input.selector) } : {}),
      ...(input.severities !== undefined ? { severities: input.severities } : {}),
      ...(channelIds !== undefined ? { channelIds } : {}),
      ...(input.position !== undefined ? { position: input.position } : {}),
      updatedAt: sql`now()`,
    })
    .where(eq(notificationRoutes.id, id))
    .returning({ id: notificationRoutes.id });
  if (!row) throw notFound("route");
}

export async function deleteRoute(ctx: Pick<AppContext, "db">, actor: Actor, id: string): Promise<void> {
  requirePermission(actor, "alerts:write");
  const [row] = await ctx.db.delete(notificationRoutes).where(eq(notificationRoutes.id, id)).returning({ id: notificationRoutes.id });
  if (!row) throw notFound("route");
}
