import { getContext } from "@/lib/context";
import { handler, json, readBody } from "@/lib/http";
import { BODY_LIMITS } from "@/lib/protocol";
import { RefreshSchema, refresh } from "@/lib/services/auth";

export const dynamic = "force-dynamic";

export const POST = handler(async (req) => {
  const ctx = await getContext();
  const { refreshToken } = await readBody(req, RefreshSchema, BODY_LIMITS.default);
  return json(await refresh(ctx, refreshToken));
});
