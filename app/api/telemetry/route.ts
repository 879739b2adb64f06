import { jsonOf, readBody, route } from "@/lib/http";
import { BODY_LIMITS, TelemetryBodySchema, TelemetryResponseSchema } from "@/lib/protocol";
import { recordTelemetry } from "@/lib/services/telemetry";

export const dynamic = "force-dynamic";

export const POST = route("POST /api/telemetry", async ({ req, ctx, actor, note }) => {
  const batch = await readBody(req, TelemetryBodySchema, BODY_LIMITS.telemetry);
  note({ samples: batch.samples.length });
  const result = await recordTelemetry(ctx.db, { hostId: actor.hostId, batch, nowMs: Date.now(), retentionDays: ctx.env.retentionDays });
  return jsonOf(TelemetryResponseSchema, result, 202);
});
