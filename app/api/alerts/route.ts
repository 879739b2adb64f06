import { jsonOf, notFound, parseInput, readJson, route, searchParams } from "@/lib/http";
import { BODY_LIMITS } from "@/lib/protocol";
import { AlertRuleListSchema, AlertRuleSchema, getRule, listRules, RulesQuerySchema } from "@/lib/queries/alerts";
import { createRule } from "@/lib/services/alerts/rules";

export const dynamic = "force-dynamic";

export const GET = route("GET /api/alerts", async ({ req, ctx }) => {
  const query = parseInput(RulesQuerySchema, searchParams(req));
  return jsonOf(AlertRuleListSchema, { rules: await listRules(ctx.db, query) });
});

export const POST = route("POST /api/alerts", async ({ req, ctx, actor }) => {
  const created = await createRule(ctx, actor, await readJson(req, BODY_LIMITS.default));
  const rule = await getRule(ctx.db, created.id);
  if (!rule) throw notFound("rule");
  return jsonOf(AlertRuleSchema, rule, 201);
});
