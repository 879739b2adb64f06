/**
 * Maintenance window writes. A window names a host or a selector, and is either one-off
 * (`startsAt`..`endsAt`) or recurring (`cron` in `timezone`, `durationSeconds` from each
 * start). Like a silence it only mutes: events during it are recorded, marked `maintenance`,
 * and not notified. Unlike a silence it follows labels and a schedule, so it has its own table.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { AppContext } from "@/lib/context";
import { hosts, maintenanceWindows } from "@/lib/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { CronError, isTimeZone, MAX_CRON_LENGTH, parseCron } from "@/lib/alerts/cron";
import { formatSelector, parseSelector, SelectorSchema } from "@/lib/hosts/selector";
import { badRequest, notFound } from "@/lib/errors";
import { actorUserId, requirePermission } from "./access";

const MAX_ONE_OFF_MS = 366 * 86_400_000;
/** A recurring window lasts at most 31 days from each start. */
export const MAX_MAINTENANCE_DURATION_SECONDS = 31 * 86_400;

export const CreateMaintenanceSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    hostId: z.uuid("must be a host id").nullish(),
    selector: SelectorSchema.nullish(),
    startsAt: z.iso.datetime({ offset: true }).nullish(),
    endsAt: z.iso.datetime({ offset: true }).nullish(),
    cron: z.string().trim().min(1).max(MAX_CRON_LENGTH).nullish(),
    timezone: z.string().min(1).max(64).nullish(),
    durationSeconds: z
      .number()
      .int()
      .min(60, { message: "at least 60" })
      .max(MAX_MAINTENANCE_DURATION_SECONDS, { message: `at most ${MAX_MAINTENANCE_DURATION_SECONDS} (31 days)` })
      .nullish(),
  })
  .superRefine((w, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (!w.hostId && !w.selector) issue("hostId", "a window names a host or a selector");
    if (w.hostId && w.selector) issue("selector", "a window names a host or a selector, not both");
    const oneOff = w.startsAt != null || w.endsAt != null;
    const recurring = w.cron != null || w.timezone != null || w.durationSeconds != null;
    if (oneOff && recurring) {
      issue("cron", "either startsAt/endsAt (one-off) or cron/timezone/durationSeconds (recurring), not both");
      return;
    }
    if (recurring) {
      if (w.cron == null) issue("cron", "a recurring window needs cron");
      else {
        try {
          parseCron(w.cron);
        } catch (err) {
          if (!(err instanceof CronError)) throw err;
          issue("cron", err.message);
        }
      }
      if (w.timezone == null) issue("timezone", "a recurring window needs an IANA time zone (e.g. Europe/Berlin, UTC)");
      else if (!isTimeZone(w.timezone)) issue("timezone", "not an IANA time zone this server knows");
      if (w.durationSeconds == null) issue("durationSeconds", "a recurring window needs durationSeconds");
      return;
    }
    // startsAt may be left out: the window opens now.
    if (w.endsAt == null) {
      issue("endsAt", "a window needs endsAt (startsAt defaults to now), or cron, timezone and durationSeconds");
      return;
    }
    const start = w.startsAt ? Date.parse(w.startsAt) : Date.now();
    const end = Date.parse(w.endsAt);
    if (end <= start) issue("endsAt", "must be after startsAt");
    else if (end - start > MAX_ONE_OFF_MS) issue("endsAt", "a one-off window lasts at most a year");
    else if (end <= Date.now()) issue("endsAt", "is in the past");
  });
export type CreateMaintenanceInput = z.output<typeof CreateMaintenanceSchema>;

export async function createMaintenanceWindow(ctx: Pick<AppContext, "db">, actor: Actor, input: CreateMaintenanceInput): Promise<string> {
  requirePermission(actor, "alerts:write");
  const hostId = input.hostId?.toLowerCase() ?? null;
  if (hostId && (await ctx.db.select({ id: hosts.id }).from(hosts).where(eq(hosts.id, hostId))).length === 0) throw badRequest("invalid request", [{ path: "hostId", message: "no such host" }]);
  const recurring = input.cron != null;
  const [row] = await ctx.db
    .insert(maintenanceWindows)
    .values({
      name: input.name,
      hostId,
      selector: input.selector ? formatSelector(parseSelector(input.selector)) : null,
      startsAt: recurring ? null : input.startsAt ? new Date(input.startsAt) : new Date(),
      endsAt: recurring ? null : new Date(input.endsAt!),
      cron: recurring ? parseCron(input.cron!).source : null,
      timezone: recurring ? input.timezone! : null,
      durationSeconds: recurring ? input.durationSeconds! : null,
      createdBy: actorUserId(actor),
    })
    .returning({ id: maintenanceWindows.id });
  return row!.id;
}

export async function deleteMaintenanceWindow(ctx: Pick<AppContext, "db">, actor: Actor, id: string): Promise<void> {
  requirePermission(actor, "alerts:write");
  const [row] = await ctx.db.delete(maintenanceWindows).where(eq(maintenanceWindows.id, id)).returning({ id: maintenanceWindows.id });
  if (!row) throw notFound("maintenance window");
}
