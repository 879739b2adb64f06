import { idOr404, json, notFound, route } from "@/lib/http";
import { listRuleChanges } from "@/lib/queries/alerts";

export const dynamic = "force-dynamic";

/** The rule's change log; it outlives the rule, so a deleted rule's history is still here. */
export const GET = route<"GET /api/alerts/:id/changes", { id: string }>("GET /api/alerts/:id/changes", async ({ ctx, params }) => {
  const changes = await listRuleChanges(ctx.db, idOr404(params.id, "rule"));
  if (changes.length === 0) throw notFound("rule");
  return json({ changes });
});
