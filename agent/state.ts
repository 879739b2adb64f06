import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Counters } from "./collect/sampler";

/** The last self-update check or attempt (agent/update/lifecycle.ts writes it). */
export interface UpdateRecord {
  /** "current" | "available" | "updated" | "failed" */
  state: "current" | "available" | "updated" | "failed";
  at: string;
  /** The version this record is about (the one available, updated to, or failed to install). */
  version?: string;
  from?: string;
  message?: string;
}

/**
 * Bookkeeping kept beside the spool: not precious (losing it costs one CPU-rate reading or
 * one extra snapshot), so it is replaced atomically but not fsynced.
 */
export interface AgentState {
  lastSuccessAt?: string;
  lastSnapshotHash?: string;
  lastSnapshotAt?: string;
  /** Counters of the last `once`, so the next one can compute rates over the cron interval. */
  counters?: Counters;
  /** The last self-update check or attempt (see ./update/lifecycle.ts). */
  update?: UpdateRecord;
  /** Whether the agent that last reported ran with --auto-update (for `status`). */
  autoUpdate?: boolean;
}

export const stateFile = (spoolDir: string) => path.join(spoolDir, "state.json");

export async function readState(spoolDir: string): Promise<AgentState> {
  try {
    return JSON.parse(await readFile(stateFile(spoolDir), "utf8")) as AgentState;
  } catch {
    return {};
  }
}

export async function writeState(spoolDir: string, state: AgentState): Promise<void> {
  const file = stateFile(spoolDir);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(state), { mode: 0o600 });
  await rename(tmp, file);
}
