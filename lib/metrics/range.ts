/** Pure time-range handling for /api/metrics: relative or ISO bounds, and the bucket step. */
export const BUCKET_ORIGIN_MS = Date.parse("2000-01-03T00:00:00Z");
export const MAX_POINTS = 2000;
export const DEFAULT_POINTS = 300;

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "now", "-24h", "-7d", "-15m", "-30s", "-2w", or an ISO 8601 timestamp. Null when unparseable. */
export function parseTime(value: string, nowMs: number): number | null {
  const v = value.trim();
  if (v === "now") return nowMs;
  const rel = v.match(/^-(\d+(?:\.\d+)?)([smhdw])$/);
  if (rel) return nowMs - Number(rel[1]) * UNIT_MS[rel[2]!]!;
  if (!/^\d{4}-\d{2}-\d{2}/.test(v)) return null;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : ms;
}

const NICE_STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** The start of the bucket holding `ms`, buckets aligned to BUCKET_ORIGIN_MS. */
export function alignDown(ms: number, stepS: number): number {
  const stepMs = stepS * 1000;
  return BUCKET_ORIGIN_MS + Math.floor((ms - BUCKET_ORIGIN_MS) / stepMs) * stepMs;
}

/**
 * The smallest "nice" step whose aligned buckets over [from, to] number at most `points`.
 * Nice steps keep long ranges on multiples of the 5-minute aggregate and charts readable.
 */
export function chooseStep(fromMs: number, toMs: number, points: number): number {
  const fits = (stepS: number) => Math.floor((toMs - alignDown(fromMs, stepS)) / (stepS * 1000)) + 1 <= points;
  for (const s of NICE_STEPS_S) if (fits(s)) return s;
  let days = 2;
  while (!fits(days * 86400)) days++;
  return days * 86400;
}
