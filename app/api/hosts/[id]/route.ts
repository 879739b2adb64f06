import { getContext } from "@/lib/context";
import { requireUser } from "@/lib/auth/guard";
import { handler, idParam, json, noContent, notFound } from "@/lib/http";
import { getHost } from "@/lib/queries/hosts";
import { deleteHost } from "@/lib/services/hosts";

export const dynamic = "force-dynamic";
type Ctx = { params: Promise<{ id: string }> };

export const GET = handler<Ctx>(async (req, route) => {
  const ctx = await getContext();
  await requireUser(ctx, req, "read");
  const host = await getHost(ctx.db, await idParam(route, "host"), { defaultIntervalS: ctx.env.agentIntervalS });
  if (!host) throw notFound("host");
  return json(host);
});

export const DELETE = handler<Ctx>(async (req, route) => {
  const ctx = await getContext();
  await requireUser(ctx, req, "fleet:admin");
  await deleteHost(ctx.db, await idParam(route, "host"));
  return noContent();
});
