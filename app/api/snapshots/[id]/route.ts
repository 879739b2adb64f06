import { idOr404, jsonOf, notFound, route } from "@/lib/http";
import { SnapshotDetailSchema, getSnapshot } from "@/lib/queries/snapshots";

export const dynamic = "force-dynamic";

export const GET = route<"GET /api/snapshots/:id", { id: string }>("GET /api/snapshots/:id", async ({ ctx, params }) => {
  const snapshot = await getSnapshot(ctx.db, idOr404(params.id, "snapshot"));
  if (!snapshot) throw notFound("snapshot");
  return jsonOf(SnapshotDetailSchema, snapshot);
});
