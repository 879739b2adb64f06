import { readFile } from "node:fs/promises";
import type { ScheduledJob, Service } from "../../lib/protocol";
import { MAX_JOBS, MAX_NAME_CHARS, MAX_SERVICES } from "../../lib/protocol/constants";
import { inProc, isContainerMode, type HostPaths } from "../collect/host-paths";
import { findCommand, run } from "./exec";

const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 && v.length <= MAX_NAME_CHARS && !v.includes("\u0000") ? v : undefined);

function jsonArray(text: string): Record<string, unknown>[] {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new Error("systemctl did not print a JSON array");
  return parsed.filter((x): x is Record<string, unknown> => typeof x === "object" && x !== null);
}

/**
 * `systemctl list-units --type=service --all --output=json` (every loaded unit, with its runtime
 * state) merged with `systemctl list-unit-files --type=service --output=json` (every installed
 * unit file, loaded or not, with its enablement): one entry per unit, sorted by name.
 */
export function mergeServices(listUnits: string, listUnitFiles: string): Service[] {
  const byUnit = new Map<string, Service>();
  for (const u of jsonArray(listUnits)) {
    const unit = str(u.unit);
    if (!unit) continue;
    const active = str(u.active);
    const sub = str(u.sub);
    byUnit.set(unit, { unit, ...(active ? { active } : {}), ...(sub ? { sub } : {}) });
  }
  for (const f of jsonArray(listUnitFiles)) {
    const unit = str(f.unit_file);
    const enabled = str(f.state);
    if (!unit) continue;
    const seen = byUnit.get(unit) ?? { unit };
    byUnit.set(unit, { ...seen, ...(enabled ? { enabled } : {}) });
  }
  return [...byUnit.values()].sort((a, b) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0)).slice(0, MAX_SERVICES);
}

/** `systemctl list-timers --all --output=json`: timer unit -> the unit it starts. */
export function parseTimers(text: string): Array<{ unit: string; activates: string }> {
  return jsonArray(text).flatMap((t) => {
    const unit = str(t.unit);
    const activates = str(t.activates);
    return unit && activates ? [{ unit, activates }] : [];
  });
}

/**
 * The schedules of timers from `systemctl show --property=Id,TimersCalendar,TimersMonotonic`:
 * `TimersCalendar={ OnCalendar=*-*-* 00:00:00 ; next_elapse=... }` -> `OnCalendar=*-*-* 00:00:00`.
 * The next elapse is left out: it changes every run and would make every snapshot differ.
 */
export function parseTimerSchedules(text: string): Map<string, string> {
  const schedules = new Map<string, string>();
  for (const block of text.split(/\n\s*\n/)) {
    let id: string | undefined;
    const parts: string[] = [];
    for (const line of block.split("\n")) {
      const eq = line.indexOf("=");
      if (eq < 0) continue;
      const key = line.slice(0, eq);
      const value = line.slice(eq + 1).trim();
      if (key === "Id") id = value;
      else if ((key === "TimersCalendar" || key === "TimersMonotonic") && value.startsWith("{")) {
        const spec = value.slice(1).split(";")[0]!.trim();
        if (spec) parts.push(spec);
      }
    }
    if (id) schedules.set(id, parts.join("; ").slice(0, MAX_NAME_CHARS));
  }
  return schedules;
}

export function timerJobs(timers: ReadonlyArray<{ unit: string; activates: string }>, schedules: ReadonlyMap<string, string>): ScheduledJob[] {
  return timers
    .map((t) => ({ source: `timer:${t.unit}`, schedule: schedules.get(t.unit) ?? "", command: t.activates }))
    .sort((a, b) => (a.source < b.source ? -1 : 1))
    .slice(0, MAX_JOBS);
}

/** Why systemd cannot be asked, or undefined when it can: PID 1 must be systemd, on this host (not through a container). */
export async function systemdUnavailable(paths: HostPaths): Promise<string | undefined> {
  const init = (await readFile(inProc(paths, "1/comm"), "utf8").catch(() => "")).trim();
  if (init !== "systemd") return init ? `PID 1 is ${init.slice(0, 64)}, not systemd` : "PID 1's name is unreadable";
  if (isContainerMode(paths)) return "the agent runs in a container: systemctl there cannot reach the host's systemd";
  return (await findCommand("systemctl")) ? undefined : "systemctl is not installed";
}

export interface SystemdInventory {
  services: Service[];
  servicesUnavailable?: string;
  timers: ScheduledJob[];
}

const SYSTEMCTL_TIMEOUT_MS = 20_000;

export async function collectSystemd(paths: HostPaths, warn: (line: string) => void): Promise<SystemdInventory> {
  const reason = await systemdUnavailable(paths);
  if (reason) return { services: [], servicesUnavailable: reason, timers: [] };
  const systemctl = (await findCommand("systemctl"))!;
  const call = (...args: string[]) => run(systemctl, ["--no-pager", ...args], { timeoutMs: SYSTEMCTL_TIMEOUT_MS, maxBytes: 16 * 1024 * 1024 });
  let services: Service[] = [];
  let servicesUnavailable: string | undefined;
  try {
    const [units, files] = await Promise.all([call("list-units", "--type=service", "--all", "--output=json"), call("list-unit-files", "--type=service", "--output=json")]);
    services = mergeServices(units, files);
  } catch (err) {
    servicesUnavailable = `systemctl failed: ${(err as Error).message.split("\n")[0]!.slice(0, 200)}`;
    warn(`snapshot: ${servicesUnavailable}`);
  }
  let timers: ScheduledJob[] = [];
  try {
    const list = parseTimers(await call("list-timers", "--all", "--output=json")).slice(0, MAX_JOBS);
    const schedules = list.length ? parseTimerSchedules(await call("show", "--property=Id,TimersCalendar,TimersMonotonic", "--", ...list.map((t) => t.unit))) : new Map<string, string>();
    timers = timerJobs(list, schedules);
  } catch (err) {
    warn(`snapshot: listing systemd timers failed: ${(err as Error).message.split("\n")[0]}`);
  }
  return { services, ...(servicesUnavailable ? { servicesUnavailable } : {}), timers };
}
