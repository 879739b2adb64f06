import { idOr404, jsonOf, noContent, notFound, readBody, route } from "@/lib/http";
import { BODY_LIMITS } from "@/lib/protocol";
import { getRoute, RouteSchema } from "@/lib/queries/routes";
import { UpdateRouteSchema, deleteRoute, updateRoute } from "@/lib/services/alerts/routes";

export const dynamic = "force-dynamic";

type P = { id: string };

export const PATCH = route<"PATCH /api/alerts/routes/:id", P>("PATCH /api/alerts/routes/:id", async ({ req, ctx, actor, params }) => {
  const id = idOr404(params.id, "route");
  await updateRoute(ctx, actor, id, await readBody(req, UpdateRouteSchema, BODY_LIMITS.default));
  const changed = await getRoute(ctx.db, id);
  if (!changed) throw notFound("route");
  return jsonOf(RouteSchema, changed);
});

export const DELETE = route<"DELETE /api/alerts/routes/:id", P>("DELETE /api/alerts/routes/:id", async ({ ctx, actor, params }) => {
  await deleteRoute(ctx, actor, idOr404(params.id, "route"));
  return noContent();
});
