import { getContext } from "@/lib/context";
import { clientAddress, handler, json, readBody } from "@/lib/http";
import { BODY_LIMITS } from "@/lib/protocol";
import { LoginSchema, login } from "@/lib/services/auth";

export const dynamic = "force-dynamic";

export const POST = handler(async (req) => {
  const ctx = await getContext();
  const input = await readBody(req, LoginSchema, BODY_LIMITS.default);
  return json(await login(ctx, { ...input, address: clientAddress(req) }));
});
