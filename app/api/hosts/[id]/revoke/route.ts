import { idOr404, noContent, route } from "@/lib/http";
import { revokeAgent } from "@/lib/services/hosts";

export const dynamic = "force-dynamic";

/** Revokes the host's agent token; its data stays. */
export const POST = route<"POST /api/hosts/:id/revoke", { id: string }>("POST /api/hosts/:id/revoke", async ({ ctx, params }) => {
  await revokeAgent(ctx, idOr404(params.id, "host"));
  return noContent();
});
