import { json, readBody, route } from "@/lib/http";
import { BODY_LIMITS } from "@/lib/protocol";
import { listEnrollmentTokens } from "@/lib/queries/enrollment";
import { CreateEnrollmentTokenSchema, createEnrollmentToken } from "@/lib/services/enrollment";

export const dynamic = "force-dynamic";

export const GET = route("GET /api/enrollment-tokens", async ({ ctx }) => json({ tokens: await listEnrollmentTokens(ctx.db) }));

export const POST = route("POST /api/enrollment-tokens", async ({ req, ctx, actor }) => {
  const input = await readBody(req, CreateEnrollmentTokenSchema, BODY_LIMITS.default, {});
  return json(await createEnrollmentToken(ctx, actor, input), 201);
});
