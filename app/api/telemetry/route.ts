import { json, readBody, route } from "@/lib/http";
import { BODY_LIMITS, TelemetryBodySchema } from "@/lib/protocol";
import { recordTelemetry } from "@/lib/services/telemetry";

export const dynamic = "force-dynamic";

export const POST = route("POST /api/telemetry", async ({ req, ctx, actor, note }) => {
  let samples = 0;
  try {
    const batch = await readBody(req, TelemetryBodySchema, BODY_LIMITS.telemetry);
    samples = batch.samples.length;
    note({ samples });
    const result = await recordTelemetry(ctx.db, { hostId: actor.hostId, batch, nowMs: Date.now(), retentionDays: ctx.env.retentionDays });
    ctx.ingest.accepted(result.accepted, result.duplicates);
    return json(result, 202);
  } catch (err) {
    // `samples` is 0 for a body that never parsed: the batch counts, its unknown samples cannot.
    ctx.ingest.rejected(samples);
    throw err;
  }
});
