import { jsonOf, readBody, route } from "@/lib/http";
import { BODY_LIMITS } from "@/lib/protocol";
import { RefreshSchema, TokenPairSchema, refresh } from "@/lib/services/auth";

export const dynamic = "force-dynamic";

export const POST = route("POST /api/auth/refresh", async ({ req, ctx }) => {
  const { refreshToken } = await readBody(req, RefreshSchema, BODY_LIMITS.default);
  return jsonOf(TokenPairSchema, await refresh(ctx, refreshToken));
});
