/** Event writes: acknowledgement (who and when; the first acknowledgement stands). */
import { and, eq, isNull, sql } from "drizzle-orm";
import type { AppContext } from "@/lib/context";
import { alertEvents } from "@/lib/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { notFound } from "@/lib/errors";
import { actorUserId, requirePermission } from "./access";

/** Idempotent: acknowledging an acknowledged event keeps the original who and when. */
export async function acknowledgeEvent(ctx: Pick<AppContext, "db">, actor: Actor, id: string): Promise<void> {
  requirePermission(actor, "alerts:write");
  const [updated] = await ctx.db
    .update(alertEvents)
    .set({ ackedBy: actorUserId(actor), ackedAt: sql`now()` })
    .where(and(eq(alertEvents.id, id), isNull(alertEvents.ackedAt)))
    .returning({ id: alertEvents.id });
  if (updated) return;
  const [exists] = await ctx.db.select({ id: alertEvents.id }).from(alertEvents).where(eq(alertEvents.id, id));
  if (!exists) throw notFound("event");
}
