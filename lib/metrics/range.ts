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

const bucketsFor = (fromMs: number, toMs: number, stepS: number) => Math.floor((toMs - alignDown(fromMs, stepS)) / (stepS * 1000)) + 1;

/**
 * The smallest "nice" step whose aligned buckets over [from, to] number at most `points`.
 * Nice steps keep long ranges on multiples of the 5-minute aggregate and charts readable.
 *
 * Beyond a day the step is a whole number of days found arithmetically: a step of
 * span / (points - 1) always fits (aligning `from` down adds less than one bucket), and no step
 * below span / points can, so only a bounded handful of candidates lie between. With `points` = 1
 * the range must sit inside one bucket: past the origin, a step longer than `to` - origin puts
 * it there; a range the origin splits never fits one bucket and gets the two-bucket step
 * (one more than asked, never an endless search). Time is bounded whatever the inputs.
 */
export function chooseStep(fromMs: number, toMs: number, points: number): number {
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || !Number.isFinite(points)) throw new RangeError("chooseStep needs finite bounds and points");
  const p = Math.max(1, Math.floor(points));
  for (const s of NICE_STEPS_S) if (bucketsFor(fromMs, toMs, s) <= p) return s;
  const spanDays = Math.max(0, toMs - fromMs) / 86_400_000;
  const fitsAlways = p === 1 ? Math.ceil(spanDays) + 1 : Math.max(2, Math.ceil(spanDays / (p - 1)));
  const lowest = Math.max(2, Math.ceil(spanDays / p), fitsAlways - MAX_CANDIDATES);
  for (let days = lowest; days < fitsAlways; days++) if (bucketsFor(fromMs, toMs, days * 86400) <= p) return days * 86400;
  if (p === 1 && fromMs >= BUCKET_ORIGIN_MS) return (Math.floor((toMs - BUCKET_ORIGIN_MS) / 86_400_000) + 1) * 86400;
  return fitsAlways * 86400;
}

const MAX_CANDIDATES = 64;
