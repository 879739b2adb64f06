import type { AppContext } from "@/lib/context";
import { fromTrustedProxy } from "@/lib/auth/client-address";
import { route } from "@/lib/http";
import { installScript } from "./install-script";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * The URL agents should use to reach us: IW_PUBLIC_URL when set; else the request's own, read
 * through X-Forwarded-* only when a configured trusted proxy sent it (anyone else's headers
 * would decide where a script run as root downloads from).
 */
function publicOrigin(req: Request, ctx: AppContext): string {
  if (ctx.env.publicUrl) return ctx.env.publicUrl;
  const url = new URL(req.url);
  const hostOk = (h: string) => /^[\w.:[\]-]+$/.test(h);
  if (!fromTrustedProxy(req, ctx.env.trustedProxies)) {
    const host = req.headers.get("host");
    return host && hostOk(host) ? `${url.protocol}//${host}` : url.origin;
  }
  const first = (h: string | null) => h?.split(",")[0]?.trim() || undefined;
  const proto = first(req.headers.get("x-forwarded-proto")) ?? url.protocol.replace(/:$/, "");
  const host = first(req.headers.get("x-forwarded-host")) ?? req.headers.get("host") ?? url.host;
  const prefix = first(req.headers.get("x-forwarded-prefix"))?.replace(/\/+$/, "") ?? "";
  // Header values end up in a script run as root: accept only what a URL origin can hold.
  if (!/^https?$/.test(proto) || !hostOk(host) || !/^(\/[\w.~-]+)*$/.test(prefix)) return url.origin;
  return `${proto}://${host}${prefix}`;
}

/** Public: `curl -fsSL <server>/api/agent/install.sh | sudo sh -s -- TOKEN`. */
export const GET = route("GET /api/agent/install.sh", async ({ req, ctx }) =>
  new Response(installScript(publicOrigin(req, ctx)), {
    headers: { "content-type": "text/x-shellscript; charset=utf-8", "cache-control": "no-store" },
  }),
);
