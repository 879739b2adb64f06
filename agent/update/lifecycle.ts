import { isSea } from "node:sea";
import { compareVersions } from "../../lib/protocol/release";
import type { CommandContext } from "../commands/context";
import type { AgentConfig } from "../config";
import type { AgentState, UpdateRecord } from "../state";

export type { UpdateRecord };
import { releaseArch, selfUpdate, type UpdateResult } from "./self-update";
import { UpdateError } from "./verify";

/** After a failed automatic update, the next attempt waits this long (each is a ~90 MB download). */
export const RETRY_FAILED_UPDATE_MS = 60 * 60_000;


/** One line for `status`, the log and the host page (HostFacts.updateState, at most 256 characters). */
export function describeUpdate(record: UpdateRecord | undefined, autoUpdate: boolean): string {
  const auto = autoUpdate ? "auto-update on" : "auto-update off";
  if (!record || record.state === "current") return `current (${auto})`;
  if (record.state === "available") return `${record.version} available (${auto}; run infra-watch-agent update)`.slice(0, 256);
  if (record.state === "updated") return `updated from ${record.from} at ${record.at} (${auto})`;
  return `update${record.version ? ` to ${record.version}` : ""} failed at ${record.at}: ${record.message ?? "unknown error"}`.slice(0, 256);
}

/** The executable to replace, or why this process cannot replace itself. */
function ownExecutable(): string {
  if (!isSea()) throw new UpdateError("not running as the agent executable (from source): nothing to update");
  return process.execPath;
}

export async function updateNow(context: CommandContext, config: AgentConfig): Promise<UpdateResult> {
  const arch = releaseArch(process.arch);
  if (!arch) throw new UpdateError(`no agent releases for ${process.arch}`);
  return selfUpdate({ config, currentVersion: context.version, executable: ownExecutable(), arch, log: context.log });
}

/**
 * What to do with the telemetry answer's `agentUpdate`: note it, or (with --auto-update) install
 * it. Returns true when a new executable replaced this one: the caller then exits so systemd
 * (or the next cron run) starts the new version.
 */
export async function handleAnnouncedUpdate(context: CommandContext, config: AgentConfig, state: AgentState, announced: string | undefined): Promise<boolean> {
  const { options, log, version } = context;
  const now = new Date().toISOString();
  const last = state.update;
  state.autoUpdate = options.autoUpdate;
  if (!announced || compareVersions(announced, version) <= 0) {
    // Keep "updated from ..." while this is the version that update installed.
    if (!(last?.state === "updated" && last.version === version)) state.update = { state: "current", at: now };
    return false;
  }
  if (!options.autoUpdate) {
    if (last?.state !== "available" || last.version !== announced) log.info(`agent ${announced} is available (this is ${version}); run \`infra-watch-agent update\` or start with --auto-update`);
    state.update = { state: "available", at: now, version: announced };
    return false;
  }
  if (last?.state === "failed" && last.version === announced && Date.now() - Date.parse(last.at) < RETRY_FAILED_UPDATE_MS) return false;
  try {
    const result = await updateNow(context, config);
    if (result.outcome === "current") {
      state.update = { state: "current", at: now };
      return false;
    }
    state.update = { state: "updated", at: now, version: result.version, from: result.from };
    log.info(`updated ${result.from} -> ${result.version}; exiting so the new version starts (systemd restarts it; under cron the next run is the new one)`);
    return true;
  } catch (err) {
    if (!(err instanceof UpdateError)) throw err;
    state.update = { state: "failed", at: now, version: announced, message: err.message };
    log.error(`update to ${announced} failed, keeping ${version}: ${err.message}`);
    return false;
  }
}
