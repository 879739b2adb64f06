/**
 * "Disk full in 6 hours": a least-squares line through one mount's used percent over the
 * rule's lookback, projected forward to the threshold. Pure; the run reads the points.
 *
 * A deletion (logrotate, a cleaned cache) makes the usage drop sharply, and a line through
 * both sides of that drop would say the disk is emptying. Only the part of the window after
 * the last big drop counts, so the trend restarts from the deletion.
 */

export interface UsagePoint {
  /** Milliseconds since the epoch. */
  t: number;
  /** Used percent, 0..100. */
  pct: number;
}

export interface ForecastOptions {
  now: Date;
  /** Percent at which the disk counts as full. */
  threshold: number;
  /** A fall of at least this many percentage points between two points restarts the trend. */
  dropPct?: number;
  /** Fewer points than this after the last drop: no forecast. */
  minPoints?: number;
  /** The points after the last drop must span at least this long: no forecast from two minutes of data. */
  minSpanSeconds?: number;
}

export type Forecast =
  /** Not enough data to fit a line (too few points, too short a span since the last drop). */
  | { state: "insufficient"; points: number }
  /** At or above the threshold already. */
  | { state: "reached"; current: number; slopePerHour: number }
  /** Flat or shrinking: never reaches the threshold at this rate. */
  | { state: "never"; current: number; slopePerHour: number }
  | { state: "reaching"; current: number; slopePerHour: number; secondsToThreshold: number };

export const DEFAULT_DROP_PCT = 5;
export const DEFAULT_MIN_POINTS = 5;
export const DEFAULT_MIN_SPAN_SECONDS = 600;
/** Below this growth (percentage points per hour, about 0.9 points a year) a disk counts as flat. */
const FLAT_SLOPE_PER_HOUR = 1e-4;

/** The points from the last big drop on, oldest first. `points` must be oldest first. */
export function sinceLastDrop(points: readonly UsagePoint[], dropPct = DEFAULT_DROP_PCT): readonly UsagePoint[] {
  for (let i = points.length - 1; i > 0; i--) {
    if (points[i - 1]!.pct - points[i]!.pct >= dropPct) return points.slice(i);
  }
  return points;
}

/** Ordinary least squares of pct over time; null when all points share one time. */
export function fitLine(points: readonly UsagePoint[], originMs: number): { slopePerSecond: number; valueAtOrigin: number } | null {
  const n = points.length;
  if (n < 2) return null;
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sx += (p.t - originMs) / 1000;
    sy += p.pct;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    const dx = (p.t - originMs) / 1000 - mx;
    sxx += dx * dx;
    sxy += dx * (p.pct - my);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return { slopePerSecond: slope, valueAtOrigin: my - slope * mx };
}

/**
 * Where the line through the usage since the last drop reaches `threshold`. "current" is the
 * fitted value now, not the last sample, so one noisy reading does not move the forecast.
 * `points` must be oldest first and inside the lookback.
 */
export function forecastUsage(points: readonly UsagePoint[], opts: ForecastOptions): Forecast {
  const recent = sinceLastDrop(points, opts.dropPct ?? DEFAULT_DROP_PCT);
  const minPoints = opts.minPoints ?? DEFAULT_MIN_POINTS;
  const minSpanMs = (opts.minSpanSeconds ?? DEFAULT_MIN_SPAN_SECONDS) * 1000;
  if (recent.length < Math.max(2, minPoints) || recent[recent.length - 1]!.t - recent[0]!.t < minSpanMs) return { state: "insufficient", points: recent.length };
  const now = opts.now.getTime();
  const fit = fitLine(recent, now);
  if (!fit) return { state: "insufficient", points: recent.length };
  const current = fit.valueAtOrigin;
  const slopePerHour = fit.slopePerSecond * 3600;
  if (current >= opts.threshold || recent[recent.length - 1]!.pct >= opts.threshold) return { state: "reached", current: Math.min(current, 100), slopePerHour };
  if (slopePerHour <= FLAT_SLOPE_PER_HOUR) return { state: "never", current, slopePerHour };
  return { state: "reaching", current, slopePerHour, secondsToThreshold: (opts.threshold - current) / fit.slopePerSecond };
}

/** Whether a forecast is inside the rule's horizon: the disk reaches the threshold within `withinSeconds`. */
export const forecastBreaches = (f: Forecast, withinSeconds: number): boolean => f.state === "reached" || (f.state === "reaching" && f.secondsToThreshold < withinSeconds);
