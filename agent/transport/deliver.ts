import type { HostFacts, Snapshot, TelemetryResponse } from "../../lib/protocol";
import { isReleaseVersion } from "../../lib/protocol/release";
import { MAX_SAMPLES_PER_BATCH } from "../../lib/protocol/constants";
import { endpoint } from "../cli/args";
import type { Logger } from "../log";
import { snapshotContentHash } from "../snapshot/content-hash";
import type { Spool } from "../spool/spool";
import { NetworkError, errorText, postJson, postJsonText } from "./http";
import { classifyStatus, type Outcome } from "./outcome";

export interface Destination {
  server: string;
  agentToken: string;
}

export interface FlushReport {
  /** "empty": there was nothing to send; "delivered": everything that was spooled got a 202. */
  outcome: Outcome | "empty";
  delivered: number;
  duplicates: number;
  message?: string;
  /** A newer agent version the server announced in a telemetry answer (lib/protocol TelemetryResponse). */
  agentUpdate?: string;
}

/** Below the server's 1 MiB telemetry limit, leaving room for the host facts and JSON framing. */
const BATCH_BYTES = 768 * 1024;

/** `{host, samples, dropped?}` around sample texts that are already JSON. */
const telemetryBody = (host: HostFacts, samples: string[], dropped: number) =>
  `{"host":${JSON.stringify(host)},"samples":[${samples.join(",")}]${dropped > 0 ? `,"dropped":${dropped}` : ""}}`;

const describeStatus = (status: number, body: unknown) => `HTTP ${status}${errorText(body) ? `: ${errorText(body)}` : ""}`;

/**
 * Sends the spool oldest first in batches until it is empty or the server stops accepting.
 * A batch refused as invalid is halved until the offending sample is alone; that one sample
 * is discarded (and counted as dropped) so it cannot block everything behind it.
 */
export async function flushTelemetry(spool: Spool, to: Destination, host: HostFacts, log: Logger): Promise<FlushReport> {
  const url = endpoint(to.server, "api/telemetry");
  let limit = MAX_SAMPLES_PER_BATCH;
  let delivered = 0;
  let duplicates = 0;
  let agentUpdate: string | undefined;
  for (;;) {
    const batch = await spool.peek(limit, BATCH_BYTES);
    if (batch.length === 0) return { outcome: delivered > 0 ? "delivered" : "empty", delivered, duplicates, ...(agentUpdate ? { agentUpdate } : {}) };
    const dropped = spool.dropped;
    let response;
    try {
      response = await postJsonText(url, telemetryBody({ ...host, spoolDepth: spool.depth }, batch.map((b) => b.json), dropped), { token: to.agentToken });
    } catch (err) {
      if (err instanceof NetworkError) return { outcome: "retry", delivered, duplicates, message: err.message };
      throw err;
    }
    const outcome = classifyStatus(response.status, [202]);
    if (outcome === "delivered") {
      await spool.remove(batch.map((b) => b.name));
      await spool.acknowledgeDropped(dropped);
      const body = response.body as Partial<TelemetryResponse> | undefined;
      if (typeof body?.agentUpdate?.version === "string" && isReleaseVersion(body.agentUpdate.version)) agentUpdate = body.agentUpdate.version;
      delivered += batch.length;
      duplicates += typeof body?.duplicates === "number" ? body.duplicates : 0;
      log.debug(`delivered ${batch.length} samples (${body?.duplicates ?? 0} duplicates), ${spool.depth} left in spool`);
      limit = MAX_SAMPLES_PER_BATCH;
    } else if (outcome === "invalid" && batch.length > 1) {
      limit = Math.ceil(batch.length / 2);
    } else if (outcome === "invalid") {
      await spool.discard([batch[0]!.name]);
      log.warn(`telemetry: server refused a sample (${describeStatus(response.status, response.body)}); discarded it, counted as dropped`);
    } else {
      return { outcome, delivered, duplicates, message: describeStatus(response.status, response.body) };
    }
  }
}

export interface SnapshotReport {
  outcome: Outcome | "unchanged";
  hash: string;
  message?: string;
}

/** Sends the snapshot unless its content equals the last one delivered. */
export async function deliverSnapshot(snapshot: Snapshot, lastHash: string | undefined, to: Destination): Promise<SnapshotReport> {
  const hash = snapshotContentHash(snapshot);
  if (hash === lastHash) return { outcome: "unchanged", hash };
  try {
    const response = await postJson(endpoint(to.server, "api/snapshot"), snapshot, { token: to.agentToken, timeoutMs: 120_000 });
    const outcome = classifyStatus(response.status, [200, 201]);
    return { outcome, hash, ...(outcome === "delivered" ? {} : { message: describeStatus(response.status, response.body) }) };
  } catch (err) {
    if (err instanceof NetworkError) return { outcome: "retry", hash, message: err.message };
    throw err;
  }
}

export const UNAUTHORIZED_HELP =
  "the server refused the agent token (401): this host was revoked or enrolled again elsewhere; run `infra-watch-agent enroll --server URL --token TOKEN`. Samples stay in the spool until then";
