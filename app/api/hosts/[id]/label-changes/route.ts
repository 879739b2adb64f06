import { idOr404, jsonOf, notFound, route } from "@/lib/http";
import { HostLabelChangesSchema, hostExists, listHostLabelChanges } from "@/lib/queries/hosts";

export const dynamic = "force-dynamic";

/** Users' label edits of the host, newest first. */
export const GET = route<"GET /api/hosts/:id/label-changes", { id: string }>("GET /api/hosts/:id/label-changes", async ({ ctx, params }) => {
  const id = idOr404(params.id, "host");
  const changes = await listHostLabelChanges(ctx.db, id);
  if (changes.length === 0 && !(await hostExists(ctx.db, id))) throw notFound("host");
  return jsonOf(HostLabelChangesSchema, { changes });
});
