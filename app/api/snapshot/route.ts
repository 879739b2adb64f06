import { jsonOf, readBody, route } from "@/lib/http";
import { BODY_LIMITS, SnapshotResponseSchema, SnapshotSchema } from "@/lib/protocol";
import { recordSnapshot } from "@/lib/services/snapshots";

export const dynamic = "force-dynamic";

export const POST = route("POST /api/snapshot", async ({ req, ctx, actor }) => {
  const snapshot = await readBody(req, SnapshotSchema, BODY_LIMITS.snapshot);
  const result = await recordSnapshot(ctx.db, { hostId: actor.hostId, snapshot, redactionKey: ctx.secret });
  return jsonOf(SnapshotResponseSchema, result, result.changed ? 201 : 200);
});
