import { jsonOf, parseInput, readJson, route } from "@/lib/http";
import { BODY_LIMITS, TelemetryBodySchema, TelemetryResponseSchema, compareVersions, isReleaseVersion, type TelemetryResponse } from "@/lib/protocol";
import type { Arch } from "@/lib/agent-release/agent-file";
import { agentRelease } from "@/lib/agent-release/releases";
import { recordTelemetry } from "@/lib/services/telemetry";

export const dynamic = "force-dynamic";

/** Samples a body held, valid or not, for the ingest counters: its `samples` array, or one bare sample. */
function samplesIn(body: unknown): number {
  if (!body || typeof body !== "object") return 0;
  const list = (body as { samples?: unknown }).samples;
  return Array.isArray(list) ? list.length : 1;
}

/** Host facts carry `uname -m`; releases are named like Node's architectures. */
const RELEASE_ARCH: Record<string, Arch> = { x86_64: "x64", amd64: "x64", x64: "x64", aarch64: "arm64", arm64: "arm64" };

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
  const { agentVersion, arch } = batch.host ?? {};
  const releaseArch = arch ? RELEASE_ARCH[arch] : undefined;
  if (agentVersion && isReleaseVersion(agentVersion) && releaseArch) {
    const shipped = await agentRelease(releaseArch).catch(() => undefined);
    if (shipped && compareVersions(shipped.version, agentVersion) > 0) result.agentUpdate = { version: shipped.version };
  }
  return jsonOf(TelemetryResponseSchema, result, 202);
});
