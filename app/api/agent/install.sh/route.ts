import { route } from "@/lib/http";
import { installScript } from "./install-script";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** The URL clients used to reach us, through a reverse proxy if there is one. */
function publicOrigin(req: Request): string {
  const url = new URL(req.url);
  const first = (h: string | null) => h?.split(",")[0]?.trim() || undefined;
  const proto = first(req.headers.get("x-forwarded-proto")) ?? url.protocol.replace(/:$/, "");
  const host = first(req.headers.get("x-forwarded-host")) ?? req.headers.get("host") ?? url.host;
  const prefix = first(req.headers.get("x-forwarded-prefix"))?.replace(/\/+$/, "") ?? "";
  // Header values end up in a script run as root: accept only what a URL origin can hold.
  if (!/^https?$/.test(proto) || !/^[\w.:[\]-]+$/.test(host) || !/^(\/[\w.~-]+)*$/.test(prefix)) return url.origin;
  return `${proto}://${host}${prefix}`;
}

/** Public: `curl -fsSL <server>/api/agent/install.sh | sudo sh -s -- TOKEN`. */
export const GET = route("GET /api/agent/install.sh", async ({ req }) =>
  new Response(installScript(publicOrigin(req)), {
    headers: { "content-type": "text/x-shellscript; charset=utf-8", "cache-control": "no-store" },
  }),
);
