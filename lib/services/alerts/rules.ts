/**
 * Alert rule writes. Every change is validated by the one rule schema the evaluator agrees
 * with, and recorded in alert_rule_changes (who, before, after) in the same transaction.
 * Deleting a rule deletes its events with it (the foreign key cascades).
 */
import { eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { AppContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { alertRuleChanges, alertRules, hosts, notificationChannels } from "@/lib/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { AlertRuleInputSchema, type AlertRuleInput } from "@/lib/alerts/rule-schema";
import { ForecastRuleConfigSchema, isInventoryRuleKind } from "@/lib/alerts/types";
import { formatSelector, parseSelector } from "@/lib/hosts/selector";
import { badRequest, notFound, zodIssues, type Issue } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { actorUserId, requirePermission } from "./access";

const RULE_FIELDS = ["name", "kind", "metric", "op", "threshold", "forSeconds", "hostId", "selector", "severity", "enabled", "config", "channelIds", "repeatIntervalSeconds", "dependsOnRuleId"] as const;

type StoredRule = typeof alertRules.$inferSelect;

/** Fields another kind would use are cleared, so a stored rule says only what it means. */
function normalize(input: AlertRuleInput) {
  return {
    name: input.name,
    kind: input.kind,
    metric: input.kind === "threshold" ? (input.metric ?? null) : null,
    op: input.kind === "threshold" ? (input.op ?? null) : null,
    threshold: input.kind === "threshold" ? (input.threshold ?? null) : null,
    // Drift and the state rules (serviceFailed, containerDown, processMissing) have no hold time; nor has a forecast.
    forSeconds: input.kind === "drift" || input.kind === "forecast" || isInventoryRuleKind(input.kind) ? 0 : input.forSeconds,
    hostId: input.hostId ? input.hostId.toLowerCase() : null,
    // Stored in its canonical spelling, so the same scope reads the same everywhere.
    selector: input.hostId === null && input.selector ? formatSelector(parseSelector(input.selector)) : null,
    severity: input.severity,
    enabled: input.enabled,
    config: input.kind === "drift" || isInventoryRuleKind(input.kind) ? (input.config ?? {}) : input.kind === "forecast" ? ForecastRuleConfigSchema.parse(input.config) : {},
    channelIds: input.channelIds.map((id) => id.toLowerCase()),
    repeatIntervalSeconds: input.repeatIntervalSeconds,
    dependsOnRuleId: input.dependsOnRuleId ? input.dependsOnRuleId.toLowerCase() : null,
  };
}

/** What the change log keeps of a rule: its settings, not its bookkeeping. */
const snapshotOf = (r: StoredRule) => Object.fromEntries(RULE_FIELDS.map((f) => [f, r[f]]));

/** What a rule names must exist: its host, its channels, the rule it depends on (not itself). */
async function checkReferences(db: Db, values: ReturnType<typeof normalize>, ruleId: string | null) {
  const issues: Issue[] = [];
  if (values.hostId !== null) {
    const found = isUuid(values.hostId) && (await db.select({ id: hosts.id }).from(hosts).where(eq(hosts.id, values.hostId))).length > 0;
    if (!found) issues.push({ path: "hostId", message: "no such host" });
  }
  if (values.channelIds.length > 0) {
    const found = new Set((await db.select({ id: notificationChannels.id }).from(notificationChannels).where(inArray(notificationChannels.id, values.channelIds))).map((c) => c.id));
    values.channelIds.forEach((id, i) => {
      if (!found.has(id)) issues.push({ path: `channelIds.${i}`, message: "no such channel" });
    });
  }
  if (values.dependsOnRuleId !== null) {
    if (values.dependsOnRuleId === ruleId) issues.push({ path: "dependsOnRuleId", message: "a rule cannot depend on itself" });
    else {
      // Follow the chain (bounded: a chain longer than the rules there are is a cycle anyway).
      const links = new Map((await db.select({ id: alertRules.id, dependsOn: alertRules.dependsOnRuleId }).from(alertRules)).map((r) => [r.id, r.dependsOn]));
      if (!links.has(values.dependsOnRuleId)) issues.push({ path: "dependsOnRuleId", message: "no such rule" });
      else if (ruleId !== null) {
        let at: string | null | undefined = values.dependsOnRuleId;
        for (let steps = 0; at && steps <= links.size; steps++, at = links.get(at)) {
          if (at === ruleId) {
            issues.push({ path: "dependsOnRuleId", message: "that rule depends on this one: a cycle would suppress both" });
            break;
          }
        }
      }
    }
  }
  if (issues.length) throw badRequest("invalid request", issues);
}

function parseRule(value: unknown): AlertRuleInput {
  const parsed = AlertRuleInputSchema.safeParse(value);
  if (!parsed.success) throw badRequest("invalid rule", zodIssues(parsed.error));
  return parsed.data;
}

export async function createRule(ctx: Pick<AppContext, "db">, actor: Actor, body: unknown) {
  requirePermission(actor, "alerts:write");
  const values = normalize(parseRule(body));
  await checkReferences(ctx.db, values, null);
  const by = actorUserId(actor);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.insert(alertRules).values({ ...values, createdBy: by, updatedBy: by }).returning();
    await tx.insert(alertRuleChanges).values({ ruleId: row!.id, actorId: by, action: "create", before: null, after: snapshotOf(row!) });
    return row!;
  });
}

/** A PATCH names some fields; the stored rule merged with them must still be a valid rule. */
export const RulePatchSchema = z.record(z.string(), z.unknown()).refine((p) => RULE_FIELDS.some((f) => f in p), { message: `nothing to change (fields: ${RULE_FIELDS.join(", ")})` });

export async function updateRule(ctx: Pick<AppContext, "db">, actor: Actor, id: string, patch: Record<string, unknown>) {
  requirePermission(actor, "alerts:write");
  const by = actorUserId(actor);
  return ctx.db.transaction(async (tx) => {
    const db = tx as unknown as Db;
    const [current] = await db.select().from(alertRules).where(eq(alertRules.id, id)).for("update");
    if (!current) throw notFound("rule");
    const merged: Record<string, unknown> = snapshotOf(current);
    for (const f of RULE_FIELDS) if (f in patch) merged[f] = patch[f];
    // Scoping by selector clears the stored host (and the other way round) unless the patch names both.
    if ("selector" in patch && patch.selector && !("hostId" in patch)) merged.hostId = null;
    if ("hostId" in patch && patch.hostId && !("selector" in patch)) merged.selector = null;
    const values = normalize(parseRule(merged));
    await checkReferences(db, values, id);
    const [row] = await db
      .update(alertRules)
      .set({ ...values, updatedBy: by, updatedAt: sql`now()` })
      .where(eq(alertRules.id, id))
      .returning();
    await db.insert(alertRuleChanges).values({ ruleId: id, actorId: by, action: "update", before: snapshotOf(current), after: snapshotOf(row!) });
    return row!;
  });
}

export async function deleteRule(ctx: Pick<AppContext, "db">, actor: Actor, id: string) {
  requirePermission(actor, "alerts:write");
  const by = actorUserId(actor);
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.delete(alertRules).where(eq(alertRules.id, id)).returning();
    if (!row) throw notFound("rule");
    await tx.insert(alertRuleChanges).values({ ruleId: id, actorId: by, action: "delete", before: snapshotOf(row), after: null });
  });
}
