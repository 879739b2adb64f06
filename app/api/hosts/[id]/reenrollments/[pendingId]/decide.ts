import type { AppContext } from "@/lib/context";
import type { UserActor } from "@/lib/auth/permissions";
import { idOr404, jsonOf } from "@/lib/http";
import { ReenrollmentDecisionSchema, decideReenrollment } from "@/lib/services/enrollment";

export type DecisionParams = { id: string; pendingId: string };

/** The approve and reject routes' one body: an admin decides a re-enrollment held for approval. */
export async function decide(ctx: AppContext, actor: UserActor, params: DecisionParams, decision: "approved" | "rejected") {
  const hostId = idOr404(params.id, "host");
  const pendingId = idOr404(params.pendingId, "re-enrollment request");
  return jsonOf(ReenrollmentDecisionSchema, await decideReenrollment(ctx, actor, { hostId, pendingId, decision }));
}
