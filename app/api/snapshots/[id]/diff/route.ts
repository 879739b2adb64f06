import { badRequest, idOr404, jsonOf, notFound, parseInput, route, searchParams } from "@/lib/http";
import { SnapshotDiffResponseSchema, snapshotDiff } from "@/lib/services/snapshots";
import { SnapshotDiffQuerySchema } from "@/lib/snapshots/query-input";

export const dynamic = "force-dynamic";

export const GET = route<"GET /api/snapshots/:id/diff", { id: string }>("GET /api/snapshots/:id/diff", async ({ req, ctx, params }) => {
  const id = idOr404(params.id, "snapshot");
  const { against } = parseInput(SnapshotDiffQuerySchema, searchParams(req));
  const result = await snapshotDiff(ctx.db, id, against === "previous" ? against : against.toLowerCase());
  if ("error" in result) {
    if (result.error === "other-host") throw badRequest("invalid request", [{ path: "against", message: "must be a snapshot of the same host" }]);
    throw notFound(result.error === "not-found" ? "snapshot" : "snapshot to compare against");
  }
  return jsonOf(SnapshotDiffResponseSchema, result);
});
