/**
 * Is a host in maintenance now? Pure: the windows as stored, the host with its labels. The
 * schedule check depends only on the time, so it runs once per window per evaluation, and
 * each host then costs a host-id comparison or a selector match per open window.
 */
import { matches, parseSelectorSyntax, type Selector } from "@/lib/hosts/selector";
import { isTimeZone, lastOccurrence, nextOccurrence, parseCron } from "./cron";
import type { MaintenanceWindow, WatchedHost } from "./types";

/** The window's current or next opening: when it opens and closes; null when it never will again. */
export function windowPeriod(w: MaintenanceWindow, now: Date): { start: Date; end: Date; open: boolean } | null {
  if (w.cron) {
    if (!w.timezone || !isTimeZone(w.timezone) || !w.durationSeconds || w.durationSeconds <= 0) return null;
    let schedule;
    try {
      schedule = parseCron(w.cron);
    } catch {
      return null;
    }
    const last = lastOccurrence(schedule, w.timezone, now, w.durationSeconds);
    if (last) return { start: last, end: new Date(last.getTime() + w.durationSeconds * 1000), open: true };
    const next = nextOccurrence(schedule, w.timezone, now);
    return next ? { start: next, end: new Date(next.getTime() + w.durationSeconds * 1000), open: false } : null;
  }
  if (!w.startsAt || !w.endsAt || w.endsAt.getTime() <= now.getTime()) return null;
  return { start: w.startsAt, end: w.endsAt, open: w.startsAt.getTime() <= now.getTime() };
}

export const isWindowOpen = (w: MaintenanceWindow, now: Date): boolean => windowPeriod(w, now)?.open === true;

/**
 * A predicate for "this host is in a window open at `now`". A window whose stored selector or
 * schedule no longer parses covers nothing (input validation keeps such rows out).
 */
export function openMaintenance(windows: readonly MaintenanceWindow[], now: Date): (host: Pick<WatchedHost, "id" | "labels">) => boolean {
  const hostIds = new Set<string>();
  const selectors: Selector[] = [];
  for (const w of windows) {
    if (!isWindowOpen(w, now)) continue;
    if (w.hostId) hostIds.add(w.hostId);
    else if (w.selector) {
      try {
        selectors.push(parseSelectorSyntax(w.selector));
      } catch {
        // Refused at input; nothing to cover.
      }
    }
  }
  if (hostIds.size === 0 && selectors.length === 0) return () => false;
  return (host) => hostIds.has(host.id) || selectors.some((s) => matches(s, host.labels ?? {}));
}
