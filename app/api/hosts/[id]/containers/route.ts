import { idOr404, jsonOf, notFound, parseInput, route, searchParams } from "@/lib/http";
import { hostExists } from "@/lib/queries/hosts";
import { ContainersQuerySchema, ContainersResponseSchema, containersAt } from "@/lib/queries/containers";

export const dynamic = "force-dynamic";

export const GET = route<"GET /api/hosts/:id/containers", { id: string }>("GET /api/hosts/:id/containers", async ({ req, ctx, params }) => {
  const hostId = idOr404(params.id, "host");
  const { at } = parseInput(ContainersQuerySchema, searchParams(req));
  if (!(await hostExists(ctx.db, hostId))) throw notFound("host");
  return jsonOf(ContainersResponseSchema, await containersAt(ctx.db, { hostId, atMs: at === undefined ? undefined : Date.parse(at) }));
});
