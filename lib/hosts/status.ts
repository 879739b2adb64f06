export type HostStatus = "up" | "down" | "new";

/** Missing this many reports in a row makes a host down (with a floor for jittery cron agents). */
export const MISSED_REPORTS_FOR_DOWN = 3;
export const MIN_DOWN_AFTER_S = 45;

export function downAfterSeconds(intervalS: number): number {
  return Math.max(MISSED_REPORTS_FOR_DOWN * intervalS, MIN_DOWN_AFTER_S);
}

export function hostStatus(lastSeenAt: Date | null, intervalS: number, nowMs: number): HostStatus {
  if (!lastSeenAt) return "new";
  return nowMs - lastSeenAt.getTime() <= downAfterSeconds(intervalS) * 1000 ? "up" : "down";
}
