import { jsonOf, parseInput, readJson, route } from "@/lib/http";
import { BODY_LIMITS, TelemetryBodySchema, TelemetryResponseSchema, type TelemetryResponse } from "@/lib/protocol";
import { updateNotice } from "@/lib/agent-release/releases";
import { recordTelemetry } from "@/lib/services/telemetry";

export const dynamic = "force-dynamic";

/** Samples a body held, valid or not, for the ingest counters: its `samples` array, or one bare sample. */
function samplesIn(body: unknown): number {
  if (!body || typeof body !== "object") return 0;
  const list = (body as { samples?: unknown }).samples;
  return Array.isArray(list) ? list.length : 1;
}

export const POST = route("POST /api/telemetry", async ({ req, ctx, actor, note }) => {
  let samples = 0;
  let result: TelemetryResponse;
  let batch;
  try {
    const body = await readJson(req, BODY_LIMITS.telemetry);
    samples = samplesIn(body);
    batch = parseInput(TelemetryBodySchema, body);
    note({ samples });
    result = await recordTelemetry(ctx.db, { hostId: actor.hostId, batch, nowMs: Date.now(), retentionDays: ctx.env.retentionDays });
    ctx.ingest.accepted(result.accepted, result.duplicates);
  } catch (err) {
    // A body that is not JSON (or too large) counts as a refused batch of unknown, so zero, samples.
    ctx.ingest.rejected(samples);
    throw err;
  }
  // Stored: tell an agent older than the release this server ships that it may update.
  const agentUpdate = await updateNotice(batch.host);
  if (agentUpdate) result.agentUpdate = agentUpdate;
  return jsonOf(TelemetryResponseSchema, result, 202);
});
