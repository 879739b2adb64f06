import { jsonOf, readBody, route } from "@/lib/http";
import { clientAddress } from "@/lib/auth/client-address";
import { BODY_LIMITS } from "@/lib/protocol";
import { LoginSchema, TokenPairSchema, login } from "@/lib/services/auth";

export const dynamic = "force-dynamic";

export const POST = route("POST /api/auth/login", async ({ req, ctx }) => {
  const input = await readBody(req, LoginSchema, BODY_LIMITS.default);
  return jsonOf(TokenPairSchema, await login(ctx, { ...input, address: clientAddress(req, ctx.env.trustedProxies) }));
});
