import { idOr404, jsonOf, route } from "@/lib/http";
import { ReenrollmentDecisionSchema, decideReenrollment } from "@/lib/services/enrollment";

export const dynamic = "force-dynamic";

type Params = { id: string; pendingId: string };

/** Admins: the requester is told so on its next attempt; the host keeps its current token. */
export const POST = route<"POST /api/hosts/:id/reenrollments/:pendingId/reject", Params>("POST /api/hosts/:id/reenrollments/:pendingId/reject", async ({ ctx, actor, params }) => {
  const hostId = idOr404(params.id, "host");
  const pendingId = idOr404(params.pendingId, "re-enrollment request");
  return jsonOf(ReenrollmentDecisionSchema, await decideReenrollment(ctx, actor, { hostId, pendingId, decision: "rejected" }));
});
