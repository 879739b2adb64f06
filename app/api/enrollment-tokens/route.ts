import { jsonOf, readBody, route } from "@/lib/http";
import { BODY_LIMITS } from "@/lib/protocol";
import { EnrollmentTokenListSchema, listEnrollmentTokens } from "@/lib/queries/enrollment";
import { CreateEnrollmentTokenSchema, CreatedEnrollmentTokenSchema, createEnrollmentToken } from "@/lib/services/enrollment";

export const dynamic = "force-dynamic";

export const GET = route("GET /api/enrollment-tokens", async ({ ctx }) => jsonOf(EnrollmentTokenListSchema, { tokens: await listEnrollmentTokens(ctx.db) }));

export const POST = route("POST /api/enrollment-tokens", async ({ req, ctx, actor }) => {
  const input = await readBody(req, CreateEnrollmentTokenSchema, BODY_LIMITS.default, {});
  return jsonOf(CreatedEnrollmentTokenSchema, await createEnrollmentToken(ctx, actor, input), 201);
});
