import { idOr404, jsonOf, noContent, notFound, readBody, route } from "@/lib/http";
import { BODY_LIMITS } from "@/lib/protocol";
import { AlertRuleSchema, getRule } from "@/lib/queries/alerts";
import { RulePatchSchema, deleteRule, updateRule } from "@/lib/services/alerts/rules";

export const dynamic = "force-dynamic";

type P = { id: string };

export const GET = route<"GET /api/alerts/:id", P>("GET /api/alerts/:id", async ({ ctx, params }) => {
  const rule = await getRule(ctx.db, idOr404(params.id, "rule"));
  if (!rule) throw notFound("rule");
  return jsonOf(AlertRuleSchema, rule);
});

export const PATCH = route<"PATCH /api/alerts/:id", P>("PATCH /api/alerts/:id", async ({ req, ctx, actor, params }) => {
  const id = idOr404(params.id, "rule");
  const patch = await readBody(req, RulePatchSchema, BODY_LIMITS.default);
  await updateRule(ctx, actor, id, patch);
  const rule = await getRule(ctx.db, id);
  if (!rule) throw notFound("rule");
  return jsonOf(AlertRuleSchema, rule);
});

export const DELETE = route<"DELETE /api/alerts/:id", P>("DELETE /api/alerts/:id", async ({ ctx, actor, params }) => {
  await deleteRule(ctx, actor, idOr404(params.id, "rule"));
  return noContent();
});
