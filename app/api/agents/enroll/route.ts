import { getContext } from "@/lib/context";
import { handler, json, readBody } from "@/lib/http";
import { BODY_LIMITS, EnrollRequestSchema } from "@/lib/protocol";
import { enrollAgent } from "@/lib/services/enrollment";

export const dynamic = "force-dynamic";

export const POST = handler(async (req) => {
  const ctx = await getContext();
  const input = await readBody(req, EnrollRequestSchema, BODY_LIMITS.default);
  return json(await enrollAgent(ctx, input), 201);
});
