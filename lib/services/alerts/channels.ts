/**
 * Notification channel administration (admins): create, change, delete, and a test send that
 * answers with the channel's status code and a short error class (never its reply body). A
 * PATCH of `config` keeps stored secrets the patch does not mention, unless it moves the
 * channel (URL, SMTP host or port): then the secrets go, or a retarget would hand them to the
 * new destination (issue 11.7).
 */
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { AppContext } from "@/lib/context";
import { notificationChannels } from "@/lib/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { SEVERITIES } from "@/lib/alerts/types";
import { ChannelConfigSchema, createNotifier, deliverWithRetry, literalAddressIssue, retargetedConfig, type AlertNotification, type ChannelConfig } from "@/lib/alerts/notifiers";
import { notifierOptionsFor } from "./outbox";
import { badRequest, notFound, zodIssues } from "@/lib/errors";
import { getChannelRow, toChannelView } from "@/lib/queries/channels";
import { actorUserId, requirePermission } from "./access";

export const CreateChannelSchema = z.object({
  name: z.string().trim().min(1).max(200),
  config: ChannelConfigSchema,
  minSeverity: z.enum(SEVERITIES).default("info"),
  enabled: z.boolean().default(true),
});

export const UpdateChannelSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    config: z.record(z.string(), z.unknown()).optional(),
    minSeverity: z.enum(SEVERITIES).optional(),
    enabled: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "nothing to change (fields: name, config, minSeverity, enabled)" });

/** A refused literal address is a 400 at save; names are checked at every send (outbox.ts). */
function checkDestination(env: AppContext["env"], config: ChannelConfig) {
  const issue = literalAddressIssue(config, notifierOptionsFor(env).egress?.allow ?? []);
  if (issue) throw badRequest("invalid channel", [{ path: `config.${issue.path}`, message: issue.message }]);
}

export async function createChannel(ctx: Pick<AppContext, "db" | "env">, actor: Actor, input: z.output<typeof CreateChannelSchema>) {
  requirePermission(actor, "fleet:admin");
  checkDestination(ctx.env, input.config);
  const [row] = await ctx.db
    .insert(notificationChannels)
    .values({ name: input.name, kind: input.config.kind, config: input.config, minSeverity: input.minSeverity, enabled: input.enabled, createdBy: actorUserId(actor) })
    .returning();
  return toChannelView(row!);
}

export async function updateChannel(ctx: Pick<AppContext, "db" | "env">, actor: Actor, id: string, input: z.output<typeof UpdateChannelSchema>) {
  requirePermission(actor, "fleet:admin");
  const current = await getChannelRow(ctx.db, id);
  if (!current) throw notFound("channel");
  let config = current.config;
  if (input.config) {
    const sameKind = input.config.kind === undefined || input.config.kind === current.kind;
    const stored = ChannelConfigSchema.safeParse(current.config);
    const merged = sameKind ? (stored.success ? retargetedConfig(stored.data, input.config) : { ...current.config, ...input.config }) : input.config;
    const parsed = ChannelConfigSchema.safeParse(merged);
    if (!parsed.success) throw badRequest("invalid channel", zodIssues(parsed.error).map((i) => ({ ...i, path: `config${i.path ? `.${i.path}` : ""}` })));
    checkDestination(ctx.env, parsed.data);
    config = parsed.data;
  }
  const [row] = await ctx.db
    .update(notificationChannels)
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.minSeverity !== undefined ? { minSeverity: input.minSeverity } : {}),
      ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
      config,
      kind: (config as { kind: "webhook" | "slack" | "email" }).kind,
      updatedAt: sql`now()`,
    })
    .where(eq(notificationChannels.id, id))
    .returning();
  return toChannelView(row!);
}

export async function deleteChannel(ctx: Pick<AppContext, "db">, actor: Actor, id: string) {
  requirePermission(actor, "fleet:admin");
  const [row] = await ctx.db.delete(notificationChannels).where(eq(notificationChannels.id, id)).returning({ id: notificationChannels.id });
  if (!row) throw notFound("channel");
}

/** A test send's outcome: the channel's status code and a short error class, never its reply body. */
export const ChannelTestResultSchema = z.object({ ok: z.boolean(), status: z.number().int().nullable(), error: z.string().nullable(), durationMs: z.number().nullable() });

/** One attempt, no retries: the admin wants to know now whether the settings work. */
export async function testChannel(ctx: Pick<AppContext, "db" | "env">, actor: Actor, id: string) {
  requirePermission(actor, "fleet:admin");
  const row = await getChannelRow(ctx.db, id);
  if (!row) throw notFound("channel");
  const config = ChannelConfigSchema.safeParse(row.config);
  if (!config.success) throw badRequest("the stored channel configuration is invalid", zodIssues(config.error));
  const now = new Date();
  const message: AlertNotification = {
    state: "firing",
    eventId: `test-${now.getTime()}`,
    rule: { id: "test", name: "Test notification", kind: "threshold", severity: "info" },
    host: { id: "test", hostname: "infra-watch" },
    value: null,
    message: `A test notification for the channel "${row.name}"`,
    startedAt: now,
  };
  const result = await deliverWithRetry(createNotifier(config.data, notifierOptionsFor(ctx.env)), message, { attempts: 1 });
  const attempt = result.attempts[0];
  return { ok: result.delivered, status: attempt?.status ?? null, error: attempt?.error ?? null, durationMs: attempt?.durationMs ?? null };
}
