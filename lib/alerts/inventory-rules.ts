/**
 * The state rules over what runs on a host: serviceFailed (a systemd unit matching the pattern
 * is failed), containerDown (a matching container is not running, or unhealthy) and
 * processMissing (no process matching the pattern runs). Each reads the host's latest known
 * state and answers firing, ok or unknown; unknown (nothing collected, or too old to trust)
 * neither fires nor resolves, like a threshold rule without a current sample. Pure.
 */
import { matchesGlob } from "./drift";
import type { HostInventoryState, HostProcessState, PatternRuleConfig } from "./types";

export type InventoryVerdict = { state: "firing"; value: number; message: string; since: Date } | { state: "ok"; message: string } | { state: "unknown" };

const LISTED = 5;
const listed = (items: string[]) => (items.length <= LISTED ? items.join(", ") : `${items.slice(0, LISTED).join(", ")} and ${items.length - LISTED} more`);

export function serviceFailedState(config: PatternRuleConfig, inventory: HostInventoryState | undefined): InventoryVerdict {
  if (!inventory?.services) return { state: "unknown" };
  const failed = inventory.services.filter((s) => s.active === "failed" && matchesGlob(config.pattern, s.unit)).map((s) => s.unit);
  if (failed.length === 0) return { state: "ok", message: `no unit matching ${config.pattern} is failed` };
  return { state: "firing", value: failed.length, message: `failed: ${listed(failed)}`, since: inventory.ts };
}

/** Down: listed but not running (exited, dead, created, paused, restarting), or running and unhealthy. */
export function containerDownState(config: PatternRuleConfig, inventory: HostInventoryState | undefined): InventoryVerdict {
  if (!inventory?.containers) return { state: "unknown" };
  const down = inventory.containers
    .filter((c) => matchesGlob(config.pattern, c.name) && (c.state !== "running" || c.health === "unhealthy"))
    .map((c) => (c.state !== "running" ? `${c.name} (${c.state})` : `${c.name} (unhealthy)`));
  if (down.length === 0) return { state: "ok", message: `every container matching ${config.pattern} is running` };
  return { state: "firing", value: down.length, message: `down: ${listed(down)}`, since: inventory.ts };
}

/**
 * A match in the newest top-N list proves the process runs. Absence needs the complete name
 * list, and a recent one: without it (an agent that sends only its top processes, or a silent
 * host) the answer is unknown, since a quiet sshd is simply not among the busiest ten.
 */
export function processMissingState(config: PatternRuleConfig, state: HostProcessState | undefined, now: Date, staleAfterSeconds: number): InventoryVerdict {
  if (!state) return { state: "unknown" };
  const fresh = (ts: Date | null): ts is Date => ts !== null && now.getTime() - ts.getTime() <= staleAfterSeconds * 1000;
  const found = (names: readonly string[]) => names.find((n) => matchesGlob(config.pattern, n));
  if (fresh(state.topTs)) {
    const seen = found(state.top);
    if (seen !== undefined) return { state: "ok", message: `${seen} is running` };
  }
  if (!fresh(state.namesTs) || !state.names) return { state: "unknown" };
  const seen = found(state.names);
  if (seen !== undefined) return { state: "ok", message: `${seen} is running` };
  return { state: "firing", value: 0, message: `no process matching ${config.pattern} is running`, since: state.namesTs };
}
