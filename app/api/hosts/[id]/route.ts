import { idOr404, jsonOf, noContent, notFound, readBody, route } from "@/lib/http";
import { BODY_LIMITS } from "@/lib/protocol";
import { HostSummarySchema, getHost } from "@/lib/queries/hosts";
import { HostPatchSchema, deleteHost, setHostLabels } from "@/lib/services/hosts";

export const dynamic = "force-dynamic";

export const GET = route<"GET /api/hosts/:id", { id: string }>("GET /api/hosts/:id", async ({ ctx, params }) => {
  const host = await getHost(ctx.db, idOr404(params.id, "host"), { defaultIntervalS: ctx.env.agentIntervalS });
  if (!host) throw notFound("host");
  return jsonOf(HostSummarySchema, host);
});

export const PATCH = route<"PATCH /api/hosts/:id", { id: string }>("PATCH /api/hosts/:id", async ({ req, ctx, actor, params }) => {
  const id = idOr404(params.id, "host");
  await setHostLabels(ctx, actor, id, await readBody(req, HostPatchSchema, BODY_LIMITS.default));
  const host = await getHost(ctx.db, id, { defaultIntervalS: ctx.env.agentIntervalS });
  if (!host) throw notFound("host");
  return jsonOf(HostSummarySchema, host);
});

export const DELETE = route<"DELETE /api/hosts/:id", { id: string }>("DELETE /api/hosts/:id", async ({ ctx, params }) => {
  await deleteHost(ctx, idOr404(params.id, "host"));
  return noContent();
});
