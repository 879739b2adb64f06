import { getContext } from "@/lib/context";
import { requireUser } from "@/lib/auth/guard";
import { handler, idParam, noContent } from "@/lib/http";
import { revokeAgent } from "@/lib/services/hosts";

export const dynamic = "force-dynamic";
type Ctx = { params: Promise<{ id: string }> };

/** Revokes the host's agent token; its data stays. */
export const POST = handler<Ctx>(async (req, route) => {
  const ctx = await getContext();
  await requireUser(ctx, req, "fleet:admin");
  await revokeAgent(ctx.db, await idParam(route, "host"));
  return noContent();
});
