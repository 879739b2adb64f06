/**
 * Alert rule writes. Every change is validated by the one rule schema the evaluator agrees
 * with, and recorded in alert_rule_changes (who, before, after) in the same transaction.
 * Deleting a rule deletes its events with it (the foreign key cascades).
 */
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { AppContext } from "@/lib/context";
import type { Db } from "@/lib/db/client";
import { alertRuleChanges, alertRules, hosts } from "@/lib/db/schema";
import type { Actor } from "@/lib/auth/permissions";
import { AlertRuleInputSchema, type AlertRuleInput } from "@/lib/alerts/rule-schema";
import { badRequest, notFound, zodIssues } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { actorUserId, requirePermission } from "./access";
import { isInventoryRuleKind } from "@/lib/alerts/types";

const RULE_FIELDS = ["name", "kind", "metric", "op", "threshold", "forSeconds", "hostId", "severity", "enabled", "config"] as const;

type StoredRule = typeof alertRules.$inferSelect;

/** Fields another kind would use are cleared, so a stored rule says only what it means. */
function normalize(input: AlertRuleInput) {
  return {
    name: input.name,
    kind: input.kind,
    metric: input.kind === "threshold" ? (input.metric ?? null) : null,
    op: input.kind === "threshold" ? (input.op ?? null) : null,
    threshold: input.kind === "threshold" ? (input.threshold ?? null) : null,
    // Drift and the state rules (serviceFailed, containerDown, processMissing) have no hold time.
    forSeconds: input.kind === "drift" || isInventoryRuleKind(input.kind) ? 0 : input.forSeconds,
    hostId: input.hostId ? input.hostId.toLowerCase() : null,
    severity: input.severity,
    enabled: input.enabled,
    config: input.kind === "drift" || isInventoryRuleKind(input.kind) ? (input.config ?? {}) : {},
  };
}

/** What the change log keeps of a rule: its settings, not its bookkeeping. */
const snapshotOf = (r: StoredRule) => Object.fromEntries(RULE_FIELDS.map((f) => [f, r[f]]));

async function checkHost(db: Db, hostId: string | null) {
  if (hostId === null) return;
  const issue = [{ path: "hostId", message: "no such host" }];
  if (!isUuid(hostId)) throw badRequest("invalid request", issue);
  const [h] = await db.select({ id: hosts.id }).from(hosts).where(eq(hosts.id, hostId));
  if (!h) throw badRequest("invalid request", issue);
}

function parseRule(value: unknown): AlertRuleInput {
  const parsed = AlertRuleInputSchema.safeParse(value);
  if (!parsed.success) throw badRequest("invalid rule", zodIssues(parsed.error));
  return parsed.data;
}

export async function createRule(ctx: Pick<AppContext, "db">, actor: Actor, body: unknown) {
  requirePermission(actor, "alerts:write");
  const values = normalize(parseRule(body));
  await checkHost(ctx.db, values.hostId);
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
    const values = normalize(parseRule(merged));
    await checkHost(db, values.hostId);
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
