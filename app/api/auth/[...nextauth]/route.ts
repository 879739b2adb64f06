import NextAuth from "next-auth";
import { getContext } from "@/lib/context";
import { authOptions } from "./auth-options";
import { clientAddress } from "@/lib/auth/client-address";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ nextauth: string[] }> };

// next-auth needs the secret, which is resolved at start, so its handler is built per request.
async function handle(req: Request, ctx: Ctx) {
  const app = await getContext();
  return NextAuth(authOptions(app, clientAddress(req, app.env.trustedProxies)))(req, ctx);
}

export { handle as GET, handle as POST };
