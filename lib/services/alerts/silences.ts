/**
 * Silences mute notifications for a rule, a host, or one rule on one host, until a time.
 * Events are still logged (marked silenced). A silence names at least a rule or a host: muting
 * everything is what disabling channels is for.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { AppContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { alertRules, alertSilences, hosts } from "@/lib/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { badRequest, notFound, type Issue } from "@/lib/errors";
import { actorUserId, requirePermission } from "./access";

const MAX_SILENCE_MS = 366 * 86_400_000;

export const CreateSilenceSchema = z
  .object({
    ruleId: z.uuid("must be a rule id").nullish(),
    hostId: z.uuid("must be a host id").nullish(),
    startsAt: z.iso.datetime({ offset: true }).nullish(),
    endsAt: z.iso.datetime({ offset: true }),
    reason: z.string().trim().min(1).max(500),
  })
  .superRefine((s, ctx) => {
    if (!s.ruleId && !s.hostId) ctx.addIssue({ code: "custom", path: ["ruleId"], message: "a silence names a rule, a host, or both" });
    const start = s.startsAt ? Date.parse(s.startsAt) : Date.now();
    const end = Date.parse(s.endsAt);
    if (end <= start) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "must be after startsAt (or now)" });
    else if (end - start > MAX_SILENCE_MS) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "a silence lasts at most a year" });
  });

export const UpdateSilenceSchema = z
  .object({ endsAt: z.iso.datetime({ offset: true }).optional(), reason: z.string().trim().min(1).max(500).optional() })
  .refine((v) => v.endsAt !== undefined || v.reason !== undefined, { message: "nothing to change (fields: endsAt, reason)" });

async function checkTargets(db: Db, ruleId: string | null, hostId: string | null) {
  const issues: Issue[] = [];
  if (ruleId && (await db.select({ id: alertRules.id }).from(alertRules).where(eq(alertRules.id, ruleId))).length === 0) issues.push({ path: "ruleId", message: "no such rule" });
  if (hostId && (await db.select({ id: hosts.id }).from(hosts).where(eq(hosts.id, hostId))).length === 0) issues.push({ path: "hostId", message: "no such host" });
  if (issues.length) throw badRequest("invalid request", issues);
}

export async function createSilence(ctx: Pick<AppContext, "db">, actor: Actor, input: z.output<typeof CreateSilenceSchema>) {
  requirePermission(actor, "alerts:write");
  const ruleId = input.ruleId?.toLowerCase() ?? null;
  const hostId = input.hostId?.toLowerCase() ?? null;
  await checkTargets(ctx.db, ruleId, hostId);
  const [row] = await ctx.db
    .insert(alertSilences)
    .values({ ruleId, hostId, ...(input.startsAt ? { startsAt: new Date(input.startsAt) } : {}), endsAt: new Date(input.endsAt), reason: input.reason, createdBy: actorUserId(actor) })
    .returning({ id: alertSilences.id });
  return row!.id;
}

/** Changing the end is how a silence is extended or ended early (endsAt: now). */
export async function updateSilence(ctx: Pick<AppContext, "db">, actor: Actor, id: string, input: z.output<typeof UpdateSilenceSchema>) {
  requirePermission(actor, "alerts:write");
  const [current] = await ctx.db.select({ startsAt: alertSilences.startsAt }).from(alertSilences).where(eq(alertSilences.id, id));
  if (!current) throw notFound("silence");
  // Ending a silence now is always allowed (even one that has not begun); a later end must follow the start.
  const end = input.endsAt ? Date.parse(input.endsAt) : null;
  if (end !== null && end > Date.now() + 1000 && end <= current.startsAt.getTime()) throw badRequest("invalid request", [{ path: "endsAt", message: "must be after startsAt" }]);
  await ctx.db
    .update(alertSilences)
    .set({ ...(input.endsAt ? { endsAt: new Date(input.endsAt) } : {}), ...(input.reason ? { reason: input.reason } : {}) })
    .where(eq(alertSilences.id, id));
}

export async function deleteSilence(ctx: Pick<AppContext, "db">, actor: Actor, id: string) {
  requirePermission(actor, "alerts:write");
  const [row] = await ctx.db.delete(alertSilences).where(eq(alertSilences.id, id)).returning({ id: alertSilences.id });
  if (!row) throw notFound("silence");
}
