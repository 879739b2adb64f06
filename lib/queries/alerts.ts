/** Reads for alert rules, their change log, events, silences and evaluation runs. */
import { and, desc, eq, gt, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { matches, parseSelectorSyntax } from "@/lib/hosts/selector";
import type { Labels } from "@/lib/protocol";
import type { Db } from "@/lib/db/client";
import { z } from "zod";
import { alertEvents, alertRuleChanges, alertRules, alertRuns, alertSilences, hosts, users } from "@/lib/db/schema";
import { parseTime } from "@/lib/metrics/range";
import { badRequest, type Issue } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { wireDate } from "@/lib/wire";
import { ALERT_RULE_KINDS, SEVERITIES, THRESHOLD_OPS } from "@/lib/alerts/types";

/* Response schemas: what the alert routes answer (they type the answers and are the OpenAPI document's). */

export const AlertRuleSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(ALERT_RULE_KINDS),
  metric: z.string().nullable(),
  op: z.enum(THRESHOLD_OPS).nullable(),
  threshold: z.number().nullable(),
  forSeconds: z.number().int(),
  hostId: z.string().nullable(),
  hostname: z.string().nullable(),
  /** A label selector scoping the rule instead of one host. */
  selector: z.string().nullable(),
  severity: z.enum(SEVERITIES),
  enabled: z.boolean(),
  config: z.record(z.string(), z.unknown()),
  /** Channels it notifies; empty: the routes, then the default channels. */
  channelIds: z.array(z.string()),
  repeatIntervalSeconds: z.number().int().nullable(),
  dependsOnRuleId: z.string().nullable(),
  createdBy: z.string().nullable(),
  updatedBy: z.string().nullable(),
  createdAt: wireDate,
  updatedAt: wireDate,
  /** Open events of this rule. */
  firing: z.number().int(),
});
export const AlertRuleListSchema = z.object({ rules: z.array(AlertRuleSchema) });

export const RuleChangesSchema = z.object({
  changes: z.array(
    z.object({
      id: z.string(),
      ruleId: z.string(),
      action: z.enum(["create", "update", "delete"]),
      actorId: z.string().nullable(),
      actorEmail: z.string().nullable(),
      before: z.unknown(),
      after: z.unknown(),
      createdAt: wireDate,
    }),
  ),
});

export const AlertEventSchema = z.object({
  id: z.string(),
  ruleId: z.string(),
  ruleName: z.string(),
  kind: z.enum(ALERT_RULE_KINDS),
  severity: z.enum(SEVERITIES),
  hostId: z.string(),
  hostname: z.string(),
  state: z.enum(["firing", "resolved"]),
  value: z.number().nullable(),
  message: z.string().nullable(),
  startedAt: wireDate,
  resolvedAt: wireDate.nullable(),
  resolveReason: z.string().nullable(),
  ackedBy: z.string().nullable(),
  ackedByEmail: z.string().nullable(),
  ackedAt: wireDate.nullable(),
  silenced: z.boolean(),
  /** Recorded while a maintenance window covered the host: not notified. */
  maintenance: z.boolean(),
  /** Recorded while the rule it depends on fired on the host: not notified. */
  suppressed: z.boolean(),
  /** Repeat notices sent while it fired unacknowledged. */
  repeats: z.number().int(),
});
export const AlertEventPageSchema = z.object({ events: z.array(AlertEventSchema), hasMore: z.boolean(), nextCursor: z.string().nullable() });

export const SilenceSchema = z.object({
  id: z.string(),
  ruleId: z.string().nullable(),
  ruleName: z.string().nullable(),
  hostId: z.string().nullable(),
  hostname: z.string().nullable(),
  startsAt: wireDate,
  endsAt: wireDate,
  reason: z.string(),
  createdBy: z.string().nullable(),
  createdByEmail: z.string().nullable(),
  createdAt: wireDate,
  active: z.boolean(),
});
export const SilenceListSchema = z.object({ silences: z.array(SilenceSchema) });

export const RunListSchema = z.object({
  runs: z.array(
    z.object({
      id: z.number().int(),
      trigger: z.enum(["timer", "cron"]),
      startedAt: wireDate,
      finishedAt: wireDate.nullable(),
      evaluated: z.number().int().nullable(),
      fired: z.number().int().nullable(),
      resolved: z.number().int().nullable(),
    }),
  ),
});

/** The columns of a rule as the evaluator reads it (lib/alerts/types.ts's AlertRule). */
export const ALERT_RULE_FIELDS = {
  id: alertRules.id,
  name: alertRules.name,
  kind: alertRules.kind,
  metric: alertRules.metric,
  op: alertRules.op,
  threshold: alertRules.threshold,
  forSeconds: alertRules.forSeconds,
  hostId: alertRules.hostId,
  selector: alertRules.selector,
  severity: alertRules.severity,
  enabled: alertRules.enabled,
  config: alertRules.config,
  channelIds: alertRules.channelIds,
  repeatIntervalSeconds: alertRules.repeatIntervalSeconds,
  dependsOnRuleId: alertRules.dependsOnRuleId,
};

/** A rule as the rules table and the API show it: the evaluator's fields, who changed it, how many fire. */
const ruleColumns = {
  ...ALERT_RULE_FIELDS,
  hostname: hosts.hostname,
  createdBy: alertRules.createdBy,
  updatedBy: alertRules.updatedBy,
  createdAt: alertRules.createdAt,
  updatedAt: alertRules.updatedAt,
  /** Open events of this rule, for the rules table. */
  firing: sql<number>`(select count(*)::int from alert_events e where e.rule_id = ${alertRules.id} and e.state = 'firing')`.mapWith(Number),
};

export type AlertRuleView = Awaited<ReturnType<typeof listRules>>[number];

/**
 * The rules, or with `hostId` the rules that watch that host: its own, the fleet-wide ones, and
 * the selector-scoped ones whose selector matches its labels now.
 */
export async function listRules(db: Db, args: { hostId?: string } = {}) {
  const rules = await db
    .select(ruleColumns)
    .from(alertRules)
    .leftJoin(hosts, eq(hosts.id, alertRules.hostId))
    .where(args.hostId ? or(eq(alertRules.hostId, args.hostId), isNull(alertRules.hostId)) : undefined)
    .orderBy(alertRules.name, alertRules.id);
  if (!args.hostId || !rules.some((r) => r.selector)) return rules;
  const [host] = await db.select({ labels: hosts.labels }).from(hosts).where(eq(hosts.id, args.hostId));
  const labels = host?.labels ?? {};
  return rules.filter((r) => !r.selector || selects(r.selector, labels));
}

/** Whether a stored selector picks these labels; one that no longer parses picks nothing. */
function selects(selector: string, labels: Labels): boolean {
  try {
    return matches(parseSelectorSyntax(selector), labels);
  } catch {
    return false;
  }
}

export async function getRule(db: Db, id: string) {
  const [rule] = await db.select(ruleColumns).from(alertRules).leftJoin(hosts, eq(hosts.id, alertRules.hostId)).where(eq(alertRules.id, id));
  return rule ?? null;
}

export function listRuleChanges(db: Db, ruleId: string) {
  return db
    .select({
      id: alertRuleChanges.id,
      ruleId: alertRuleChanges.ruleId,
      action: alertRuleChanges.action,
      actorId: alertRuleChanges.actorId,
      actorEmail: users.email,
      before: alertRuleChanges.before,
      after: alertRuleChanges.after,
      createdAt: alertRuleChanges.createdAt,
    })
    .from(alertRuleChanges)
    .leftJoin(users, eq(users.id, alertRuleChanges.actorId))
    .where(eq(alertRuleChanges.ruleId, ruleId))
    .orderBy(desc(alertRuleChanges.createdAt), desc(alertRuleChanges.id));
}

const ackers = alias(users, "ackers");

const eventColumns = {
  id: alertEvents.id,
  ruleId: alertEvents.ruleId,
  ruleName: alertRules.name,
  kind: alertRules.kind,
  severity: alertRules.severity,
  hostId: alertEvents.hostId,
  hostname: hosts.hostname,
  state: alertEvents.state,
  value: alertEvents.value,
  message: alertEvents.message,
  startedAt: alertEvents.startedAt,
  resolvedAt: alertEvents.resolvedAt,
  resolveReason: alertEvents.resolveReason,
  ackedBy: alertEvents.ackedBy,
  ackedByEmail: ackers.email,
  ackedAt: alertEvents.ackedAt,
  silenced: alertEvents.silenced,
  maintenance: alertEvents.maintenance,
  suppressed: alertEvents.suppressed,
  repeats: alertEvents.repeats,
};

export type AlertEventView = NonNullable<Awaited<ReturnType<typeof getEvent>>>;

function eventsQuery(db: Db, where: SQL | undefined) {
  return db
    .select(eventColumns)
    .from(alertEvents)
    .innerJoin(alertRules, eq(alertRules.id, alertEvents.ruleId))
    .innerJoin(hosts, eq(hosts.id, alertEvents.hostId))
    .leftJoin(ackers, eq(ackers.id, alertEvents.ackedBy))
    .where(where);
}

export async function getEvent(db: Db, id: string) {
  const [event] = await eventsQuery(db, eq(alertEvents.id, id));
  return event ?? null;
}

export type EventFilter = {
  state?: "firing" | "resolved";
  hostId?: string;
  ruleId?: string;
  /** Events open at some point in [fromMs, toMs]: started by `to`, not resolved before `from`. */
  fromMs?: number;
  toMs?: number;
  limit: number;
  /** Keyset position from a previous page: (startedAt, id) of its last event. */
  after?: { startedAt: string; id: string };
  offset?: number;
};

/** Newest first; one row more than `limit` is read to know whether another page exists. */
export async function listEvents(db: Db, f: EventFilter) {
  const conditions: (SQL | undefined)[] = [
    f.state ? eq(alertEvents.state, f.state) : undefined,
    f.hostId ? eq(alertEvents.hostId, f.hostId) : undefined,
    f.ruleId ? eq(alertEvents.ruleId, f.ruleId) : undefined,
    f.toMs !== undefined ? lte(alertEvents.startedAt, sql`${new Date(f.toMs).toISOString()}::timestamptz`) : undefined,
    f.fromMs !== undefined ? or(isNull(alertEvents.resolvedAt), sql`${alertEvents.resolvedAt} >= ${new Date(f.fromMs).toISOString()}::timestamptz`) : undefined,
    f.after ? sql`(${alertEvents.startedAt}, ${alertEvents.id}) < (${f.after.startedAt}::timestamptz, ${f.after.id}::uuid)` : undefined,
  ];
  const page = await eventsQuery(db, and(...conditions))
    .orderBy(desc(alertEvents.startedAt), desc(alertEvents.id))
    .limit(f.limit + 1)
    .offset(f.offset ?? 0);
  const hasMore = page.length > f.limit;
  const events = hasMore ? page.slice(0, f.limit) : page;
  const last = events[events.length - 1];
  return { events, hasMore, last: hasMore && last ? { startedAt: last.startedAt.toISOString(), id: last.id } : null };
}

const silenceColumns = {
  id: alertSilences.id,
  ruleId: alertSilences.ruleId,
  ruleName: alertRules.name,
  hostId: alertSilences.hostId,
  hostname: hosts.hostname,
  startsAt: alertSilences.startsAt,
  endsAt: alertSilences.endsAt,
  reason: alertSilences.reason,
  createdBy: alertSilences.createdBy,
  createdByEmail: users.email,
  createdAt: alertSilences.createdAt,
  active: sql<boolean>`(${alertSilences.startsAt} <= now() and ${alertSilences.endsAt} > now())`,
};

function silencesQuery(db: Db, where: SQL | undefined) {
  return db
    .select(silenceColumns)
    .from(alertSilences)
    .leftJoin(alertRules, eq(alertRules.id, alertSilences.ruleId))
    .leftJoin(hosts, eq(hosts.id, alertSilences.hostId))
    .leftJoin(users, eq(users.id, alertSilences.createdBy))
    .where(where);
}

/** `active`: only silences in force now; `current`: in force or still to come (the default view). */
export function listSilences(db: Db, args: { scope?: "active" | "current" | "all"; ruleId?: string; hostId?: string } = {}) {
  const scope = args.scope ?? "current";
  return silencesQuery(
    db,
    and(
      scope === "all" ? undefined : gt(alertSilences.endsAt, sql`now()`),
      scope === "active" ? lte(alertSilences.startsAt, sql`now()`) : undefined,
      args.ruleId ? eq(alertSilences.ruleId, args.ruleId) : undefined,
      args.hostId ? eq(alertSilences.hostId, args.hostId) : undefined,
    ),
  ).orderBy(desc(alertSilences.endsAt), desc(alertSilences.id));
}

export async function getSilence(db: Db, id: string) {
  const [silence] = await silencesQuery(db, eq(alertSilences.id, id));
  return silence ?? null;
}

export function listRuns(db: Db, limit: number) {
  return db
    .select({
      id: alertRuns.id,
      trigger: alertRuns.trigger,
      startedAt: alertRuns.startedAt,
      finishedAt: alertRuns.finishedAt,
      evaluated: alertRuns.evaluated,
      fired: alertRuns.fired,
      resolved: alertRuns.resolved,
    })
    .from(alertRuns)
    .orderBy(desc(alertRuns.startedAt))
    .limit(limit);
}

/* Query-string inputs of the read routes, validated here so the routes stay five lines. */

const flagParam = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

export const RulesQuerySchema = z.object({ hostId: z.uuid("must be a host id").optional() });

export const SilencesQuerySchema = z.object({
  scope: z.enum(["active", "current", "all"]).optional(),
  /** Shorthand for scope=active. */
  active: flagParam.optional(),
  ruleId: z.uuid("must be a rule id").optional(),
  hostId: z.uuid("must be a host id").optional(),
}).transform(({ active, ...rest }) => ({ ...rest, scope: rest.scope ?? (active ? ("active" as const) : undefined) }));

export const RunsQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(20) });

export const EventsQuerySchema = z.object({
  state: z.enum(["firing", "resolved"]).optional(),
  hostId: z.uuid("must be a host id").optional(),
  ruleId: z.uuid("must be a rule id").optional(),
  /** ISO 8601, "now" or relative ("-24h"): events open at some point in [from, to]. */
  from: z.string().max(64).optional(),
  to: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** From the previous page's nextCursor; or `offset` for numbered pages (not both). */
  cursor: z.string().max(200).optional(),
  offset: z.coerce.number().int().min(0).max(100_000).optional(),
});

/** The export takes the list's filters, not its paging (it pages itself). */
export const EventsExportQuerySchema = EventsQuerySchema.pick({ state: true, hostId: true, ruleId: true, from: true, to: true }).transform((q) => ({ ...q, limit: 1 }));

export const encodeEventCursor = (c: { startedAt: string; id: string }) => Buffer.from(JSON.stringify([c.startedAt, c.id])).toString("base64url");

function decodeEventCursor(value: string): { startedAt: string; id: string } | null {
  try {
    const [startedAt, id] = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as unknown[];
    if (typeof startedAt !== "string" || Number.isNaN(Date.parse(startedAt)) || typeof id !== "string" || !isUuid(id)) return null;
    return { startedAt, id };
  } catch {
    return null;
  }
}

export function resolveEventsQuery(q: z.output<typeof EventsQuerySchema>, nowMs: number): EventFilter {
  const issues: Issue[] = [];
  const fromMs = q.from !== undefined ? parseTime(q.from, nowMs) : undefined;
  const toMs = q.to !== undefined ? parseTime(q.to, nowMs) : undefined;
  const timeHelp = "must be ISO 8601, 'now' or relative like -24h, -7d";
  if (fromMs === null) issues.push({ path: "from", message: timeHelp });
  if (toMs === null) issues.push({ path: "to", message: timeHelp });
  if (typeof fromMs === "number" && typeof toMs === "number" && fromMs > toMs) issues.push({ path: "from", message: "must not be after to" });
  const after = q.cursor !== undefined ? decodeEventCursor(q.cursor) : undefined;
  if (after === null) issues.push({ path: "cursor", message: "is not a cursor this API returned" });
  if (q.cursor !== undefined && q.offset !== undefined) issues.push({ path: "offset", message: "use either cursor or offset" });
  if (issues.length) throw badRequest("invalid request", issues);
  return {
    state: q.state,
    hostId: q.hostId?.toLowerCase(),
    ruleId: q.ruleId?.toLowerCase(),
    fromMs: fromMs ?? undefined,
    toMs: toMs ?? undefined,
    limit: q.limit,
    after: after ?? undefined,
    offset: q.offset,
  };
}
