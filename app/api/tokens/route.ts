import { json, readBody, route } from "@/lib/http";
import { BODY_LIMITS } from "@/lib/protocol";
import { CreateApiTokenSchema, createApiToken } from "@/lib/services/api-tokens";
import { listApiTokens } from "@/lib/queries/api-tokens";
import { can } from "@/lib/auth/permissions";

export const dynamic = "force-dynamic";

export const GET = route("GET /api/tokens", async ({ ctx, actor }) => json({ tokens: await listApiTokens(ctx.db, { userId: actor.userId, all: can(actor, "users:admin") }) }));

/** The token is in this reply and nowhere else, ever. */
export const POST = route("POST /api/tokens", async ({ req, ctx, actor }) => {
  const input = await readBody(req, CreateApiTokenSchema, BODY_LIMITS.default);
  return json(await createApiToken(ctx, actor, input), 201);
});
