import { jsonOf, readBody, route } from "@/lib/http";
import { clientAddress } from "@/lib/auth/client-address";
import { BODY_LIMITS, EnrollPendingResponseSchema, EnrollRequestSchema, EnrollResponseSchema } from "@/lib/protocol";
import { enrollAgent } from "@/lib/services/enrollment";

export const dynamic = "force-dynamic";

export const POST = route("POST /api/agents/enroll", async ({ req, ctx }) => {
  const input = await readBody(req, EnrollRequestSchema, BODY_LIMITS.default);
  const outcome = await enrollAgent(ctx, input, { address: clientAddress(req, ctx.env.trustedProxies) });
  if (outcome.kind === "pending") {
    return jsonOf(
      EnrollPendingResponseSchema,
      { error: "this machine is already enrolled: re-enrolling it needs its current agent token or an admin's approval on the host page", pendingId: outcome.pendingId },
      409,
    );
  }
  return jsonOf(EnrollResponseSchema, { hostId: outcome.hostId, agentToken: outcome.agentToken }, 201);
});
