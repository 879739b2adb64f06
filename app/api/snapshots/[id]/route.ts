import { idOr404, json, notFound, route } from "@/lib/http";
import { getSnapshot } from "@/lib/queries/snapshots";

export const dynamic = "force-dynamic";

export const GET = route<"GET /api/snapshots/:id", { id: string }>("GET /api/snapshots/:id", async ({ ctx, params }) => {
  const snapshot = await getSnapshot(ctx.db, idOr404(params.id, "snapshot"));
  if (!snapshot) throw notFound("snapshot");
  return json(snapshot);
});
