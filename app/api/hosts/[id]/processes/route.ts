import { idOr404, jsonOf, notFound, parseInput, route, searchParams } from "@/lib/http";
import { hostExists } from "@/lib/queries/hosts";
import { ProcessesQuerySchema, ProcessesResponseSchema, processesAt } from "@/lib/queries/processes";

export const dynamic = "force-dynamic";

export const GET = route<"GET /api/hosts/:id/processes", { id: string }>("GET /api/hosts/:id/processes", async ({ req, ctx, params }) => {
  const hostId = idOr404(params.id, "host");
  const { at } = parseInput(ProcessesQuerySchema, searchParams(req));
  if (!(await hostExists(ctx.db, hostId))) throw notFound("host");
  return jsonOf(ProcessesResponseSchema, await processesAt(ctx.db, { hostId, atMs: at === undefined ? undefined : Date.parse(at) }));
});
