import { jsonOf, notFound, readBody, route } from "@/lib/http";
import { BODY_LIMITS } from "@/lib/protocol";
import { getRoute, listRoutes, RouteListSchema, RouteSchema } from "@/lib/queries/routes";
import { CreateRouteSchema, createRoute } from "@/lib/services/alerts/routes";

export const dynamic = "force-dynamic";

export const GET = route("GET /api/alerts/routes", async ({ ctx }) => jsonOf(RouteListSchema, await listRoutes(ctx.db)));

export const POST = route("POST /api/alerts/routes", async ({ req, ctx, actor }) => {
  const id = await createRoute(ctx, actor, await readBody(req, CreateRouteSchema, BODY_LIMITS.default));
  const created = await getRoute(ctx.db, id);
  if (!created) throw notFound("route");
  return jsonOf(RouteSchema, created, 201);
});
