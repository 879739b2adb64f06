import { json, readBody, route } from "@/lib/http";
import { BODY_LIMITS } from "@/lib/protocol";
import { RefreshSchema, refresh } from "@/lib/services/auth";

export const dynamic = "force-dynamic";

export const POST = route("POST /api/auth/refresh", async ({ req, ctx }) => {
  const { refreshToken } = await readBody(req, RefreshSchema, BODY_LIMITS.default);
  return json(await refresh(ctx, refreshToken));
});
