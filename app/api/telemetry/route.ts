import { json, readBody, route } from "@/lib/http";
import { BODY_LIMITS, TelemetryBodySchema, compareVersions, isReleaseVersion, type TelemetryResponse } from "@/lib/protocol";
import type { Arch } from "@/lib/agent-release/agent-file";
import { agentRelease } from "@/lib/agent-release/releases";
import { recordTelemetry } from "@/lib/services/telemetry";

export const dynamic = "force-dynamic";

/** Host facts carry `uname -m`; releases are named like Node's architectures. */
const RELEASE_ARCH: Record<string, Arch> = { x86_64: "x64", amd64: "x64", x64: "x64", aarch64: "arm64", arm64: "arm64" };

export const POST = route("POST /api/telemetry", async ({ req, ctx, actor, note }) => {
  const batch = await readBody(req, TelemetryBodySchema, BODY_LIMITS.telemetry);
  note({ samples: batch.samples.length });
  const result: TelemetryResponse = await recordTelemetry(ctx.db, { hostId: actor.hostId, batch, nowMs: Date.now(), retentionDays: ctx.env.retentionDays });
  const { agentVersion, arch } = batch.host ?? {};
  const releaseArch = arch ? RELEASE_ARCH[arch] : undefined;
  if (agentVersion && isReleaseVersion(agentVersion) && releaseArch) {
    const shipped = await agentRelease(releaseArch).catch(() => undefined);
    if (shipped && compareVersions(shipped.version, agentVersion) > 0) result.agentUpdate = { version: shipped.version };
  }
  return json(result, 202);
});
