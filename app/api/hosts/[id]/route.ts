import { idOr404, jsonOf, noContent, notFound, route } from "@/lib/http";
import { HostSummarySchema, getHost } from "@/lib/queries/hosts";
import { deleteHost } from "@/lib/services/hosts";

export const dynamic = "force-dynamic";

export const GET = route<"GET /api/hosts/:id", { id: string }>("GET /api/hosts/:id", async ({ ctx, params }) => {
  const host = await getHost(ctx.db, idOr404(params.id, "host"), { defaultIntervalS: ctx.env.agentIntervalS });
  if (!host) throw notFound("host");
  return jsonOf(HostSummarySchema, host);
});

export const DELETE = route<"DELETE /api/hosts/:id", { id: string }>("DELETE /api/hosts/:id", async ({ ctx, params }) => {
  await deleteHost(ctx, idOr404(params.id, "host"));
  return noContent();
});
