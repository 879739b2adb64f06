import { jsonOf, notFound, parseInput, route, searchParams } from "@/lib/http";
import { hostExists } from "@/lib/queries/hosts";
import { SnapshotListSchema, listSnapshots } from "@/lib/queries/snapshots";
import { SnapshotListQuerySchema } from "@/lib/snapshots/query-input";

export const dynamic = "force-dynamic";

export const GET = route("GET /api/snapshots", async ({ req, ctx }) => {
  const input = parseInput(SnapshotListQuerySchema, searchParams(req));
  const hostId = input.hostId.toLowerCase();
  if (!(await hostExists(ctx.db, hostId))) throw notFound("host");
  return jsonOf(SnapshotListSchema, await listSnapshots(ctx.db, { hostId, limit: input.limit, before: input.cursor }));
});
