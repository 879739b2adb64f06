import { idOr404, noContent, route } from "@/lib/http";
import { revokeApiToken } from "@/lib/services/api-tokens";

export const dynamic = "force-dynamic";

/** Revokes an API token: its next request is refused. */
export const DELETE = route<"DELETE /api/tokens/:id", { id: string }>("DELETE /api/tokens/:id", async ({ ctx, actor, params }) => {
  await revokeApiToken(ctx, actor, idOr404(params.id, "API token"));
  return noContent();
});
