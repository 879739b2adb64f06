import { conflict, jsonOf, readBody, route } from "@/lib/http";
import { clientAddress } from "@/lib/auth/client-address";
import { BODY_LIMITS, EnrollRequestSchema, EnrollResponseSchema } from "@/lib/protocol";
import { enrollAgent } from "@/lib/services/enrollment";
import { signingKeyFor } from "@/lib/agent-release/signing-key";

export const dynamic = "force-dynamic";

export const POST = route("POST /api/agents/enroll", async ({ req, ctx }) => {
  const input = await readBody(req, EnrollRequestSchema, BODY_LIMITS.default);
  const outcome = await enrollAgent(ctx, input, { address: clientAddress(req, ctx.env.trustedProxies) });
  // The pending request is committed by now: the 409 tells the agent which one waits for an admin.
  if (outcome.kind === "pending") {
    throw conflict("this machine is already enrolled: re-enrolling it needs its current agent token or an admin's approval on the host page", { pendingId: outcome.pendingId });
  }
  const { publicKeyPem } = signingKeyFor(ctx.env);
  return jsonOf(EnrollResponseSchema, { hostId: outcome.hostId, agentToken: outcome.agentToken, signingKey: publicKeyPem }, 201);
});
