import type { AppContext } from "@/lib/context";
import { fromTrustedProxy } from "@/lib/auth/client-address";
import { route } from "@/lib/http";
import { installScript } from "./install-script";
import { signingKeyFor } from "@/lib/agent-release/signing-key";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * The URL agents should use to reach us: IW_PUBLIC_URL when set; else the address this request
 * was sent to, read through X-Forwarded-* only when a configured trusted proxy sent it (anyone
 * else's headers would decide where a script run as root downloads from). `req.url` is not used:
 * Next builds it from X-Forwarded-Proto whoever sent it. `next start` itself serves plain HTTP.
 */
function publicOrigin(req: Request, ctx: AppContext): string {
  if (ctx.env.publicUrl) return ctx.env.publicUrl;
  // Header values end up in a script run as root: accept only what a URL origin can hold.
  const hostOk = (h: string | undefined): h is string => h !== undefined && /^[\w.:[\]-]+$/.test(h);
  const hostHeader = req.headers.get("host") ?? undefined;
  const direct = `http://${hostOk(hostHeader) ? hostHeader : `localhost:${ctx.env.port}`}`;
  if (!fromTrustedProxy(req, ctx.env.trustedProxies)) return direct;
  const first = (h: string | null) => h?.split(",")[0]?.trim() || undefined;
  const proto = first(req.headers.get("x-forwarded-proto")) ?? "http";
  const host = first(req.headers.get("x-forwarded-host")) ?? hostHeader;
  const prefix = first(req.headers.get("x-forwarded-prefix"))?.replace(/\/+$/, "") ?? "";
  if ((proto !== "http" && proto !== "https") || !hostOk(host) || !/^(\/[\w.~-]+)*$/.test(prefix)) return direct;
  return `${proto}://${host}${prefix}`;
}

/** Public: `curl -fsSL <server>/api/agent/install.sh | sudo sh -s -- --token-file FILE`. */
export const GET = route("GET /api/agent/install.sh", async ({ req, ctx }) =>
  new Response(installScript(publicOrigin(req, ctx), signingKeyFor(ctx.env).publicKeyPem), {
    headers: { "content-type": "text/x-shellscript; charset=utf-8", "cache-control": "no-store" },
  }),
);
