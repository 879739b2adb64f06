import { idOr404, jsonOf, notFound, route } from "@/lib/http";
import { RuleChangesSchema, getRule, listRuleChanges } from "@/lib/queries/alerts";

export const dynamic = "force-dynamic";

/** The rule's change log, newest first; it outlives the rule, so a deleted rule's history is still here. */
export const GET = route<"GET /api/alerts/:id/changes", { id: string }>("GET /api/alerts/:id/changes", async ({ ctx, params }) => {
  const id = idOr404(params.id, "rule");
  const changes = await listRuleChanges(ctx.db, id);
  if (changes.length === 0 && !(await getRule(ctx.db, id))) throw notFound("rule");
  return jsonOf(RuleChangesSchema, { changes });
});
