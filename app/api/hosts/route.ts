import { getContext } from "@/lib/context";
import { requireUser } from "@/lib/auth/guard";
import { handler, json } from "@/lib/http";
import { listHosts } from "@/lib/queries/hosts";

export const dynamic = "force-dynamic";

export const GET = handler(async (req) => {
  const ctx = await getContext();
  await requireUser(ctx, req, "read");
  return json({ hosts: await listHosts(ctx.db, { defaultIntervalS: ctx.env.agentIntervalS }) });
});
