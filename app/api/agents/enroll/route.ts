import { json, readBody, route } from "@/lib/http";
import { BODY_LIMITS, EnrollRequestSchema } from "@/lib/protocol";
import { enrollAgent } from "@/lib/services/enrollment";

export const dynamic = "force-dynamic";

export const POST = route("POST /api/agents/enroll", async ({ req, ctx }) => {
  const input = await readBody(req, EnrollRequestSchema, BODY_LIMITS.default);
  return json(await enrollAgent(ctx, input), 201);
});
