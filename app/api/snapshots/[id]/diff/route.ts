import { idOr404, jsonOf, parseInput, route, searchParams } from "@/lib/http";
import { SnapshotDiffResponseSchema, snapshotDiff } from "@/lib/queries/snapshots";
import { SnapshotDiffQuerySchema } from "@/lib/snapshots/query-input";

export const dynamic = "force-dynamic";

export const GET = route<"GET /api/snapshots/:id/diff", { id: string }>("GET /api/snapshots/:id/diff", async ({ req, ctx, params }) => {
  const id = idOr404(params.id, "snapshot");
  const { against } = parseInput(SnapshotDiffQuerySchema, searchParams(req));
  return jsonOf(SnapshotDiffResponseSchema, await snapshotDiff(ctx.db, id, against === "previous" ? against : against.toLowerCase()));
});
