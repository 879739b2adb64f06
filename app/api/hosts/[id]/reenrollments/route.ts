import { idOr404, jsonOf, notFound, route } from "@/lib/http";
import { getHost } from "@/lib/queries/hosts";
import { ReenrollmentListSchema, listReenrollments } from "@/lib/queries/enrollment";

export const dynamic = "force-dynamic";

/** Admins: the host's re-enrollment requests waiting for a decision (and approved ones not yet collected). */
export const GET = route<"GET /api/hosts/:id/reenrollments", { id: string }>("GET /api/hosts/:id/reenrollments", async ({ ctx, params }) => {
  const hostId = idOr404(params.id, "host");
  if (!(await getHost(ctx.db, hostId, { defaultIntervalS: ctx.env.agentIntervalS }))) throw notFound("host");
  return jsonOf(ReenrollmentListSchema, { reenrollments: await listReenrollments(ctx.db, hostId) });
});
