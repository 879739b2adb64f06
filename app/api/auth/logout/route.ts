import { noContent, readBody, route } from "@/lib/http";
import { BODY_LIMITS } from "@/lib/protocol";
import { RefreshSchema, logout } from "@/lib/services/auth";

export const dynamic = "force-dynamic";

export const POST = route("POST /api/auth/logout", async ({ req, ctx }) => {
  const { refreshToken } = await readBody(req, RefreshSchema, BODY_LIMITS.default);
  await logout(ctx, refreshToken);
  return noContent();
});
