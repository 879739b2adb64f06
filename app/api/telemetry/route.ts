import { getContext } from "@/lib/context";
import { requireAgent } from "@/lib/auth/guard";
import { handler, json, readBody } from "@/lib/http";
import { BODY_LIMITS, TelemetryBodySchema } from "@/lib/protocol";
import { recordTelemetry } from "@/lib/services/telemetry";

export const dynamic = "force-dynamic";

export const POST = handler(async (req) => {
  const ctx = await getContext();
  const agent = await requireAgent(ctx, req);
  const batch = await readBody(req, TelemetryBodySchema, BODY_LIMITS.telemetry);
  const result = await recordTelemetry(ctx.db, { hostId: agent.hostId, batch, nowMs: Date.now(), retentionDays: ctx.env.retentionDays });
  return json(result, 202);
});
