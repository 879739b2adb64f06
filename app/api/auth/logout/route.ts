import { getContext } from "@/lib/context";
import { handler, noContent, readBody } from "@/lib/http";
import { BODY_LIMITS } from "@/lib/protocol";
import { RefreshSchema, logout } from "@/lib/services/auth";

export const dynamic = "force-dynamic";

export const POST = handler(async (req) => {
  const ctx = await getContext();
  const { refreshToken } = await readBody(req, RefreshSchema, BODY_LIMITS.default);
  await logout(ctx, refreshToken);
  return noContent();
});
