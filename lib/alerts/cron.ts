/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week) in an IANA time
 * zone, for recurring maintenance windows: parse, then find the latest start at or before an
 * instant (is a window open now?) or the next start after one (when is the next window?).
 * Pure: time zones come from the runtime's Intl data.
 *
 * Fields take `*`, numbers, ranges `a-b`, lists `a,b`, steps `*\/n` and `a-b/n`; day-of-week
 * 0-7 (0 and 7 are Sunday). As in Vixie cron, when both day fields are restricted a day
 * matching either counts. Names (`mon`, `jan`) and `@daily`-style macros are not accepted.
 *
 * Daylight saving time, as Temporal's "compatible" disambiguation does it: a wall time that
 * does not exist (the hour skipped in spring) starts at the same wall-clock distance after
 * the gap (02:30 -> 03:30), and a wall time that occurs twice (the hour repeated in autumn)
 * starts at its first occurrence only, so a window never opens twice for one wall time.
 */

export interface CronSchedule {
  source: string;
  minutes: readonly boolean[];
  hours: readonly boolean[];
  daysOfMonth: readonly boolean[];
  months: readonly boolean[];
  daysOfWeek: readonly boolean[];
  /** Whether the day fields were `*` (for the either-day rule). */
  anyDayOfMonth: boolean;
  anyDayOfWeek: boolean;
}

export class CronError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CronError";
  }
}

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
] as const;

export const MAX_CRON_LENGTH = 200;

function parseField(text: string, field: (typeof FIELDS)[number]): boolean[] {
  const out: boolean[] = Array.from({ length: field.max + 1 }, () => false);
  const num = (s: string): number => {
    if (!/^\d{1,2}$/.test(s)) throw new CronError(`${field.name}: "${s}" is not a number`);
    const n = Number(s);
    if (n < field.min || n > field.max) throw new CronError(`${field.name}: ${n} is outside ${field.min}-${field.max}`);
    return n;
  };
  for (const part of text.split(",")) {
    if (part === "") throw new CronError(`${field.name}: empty list item`);
    const [range, stepText, extra] = part.split("/");
    if (extra !== undefined) throw new CronError(`${field.name}: "${part}" has more than one step`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d{1,2}$/.test(stepText) || Number(stepText) === 0) throw new CronError(`${field.name}: step "${stepText}" must be a number from 1`);
      step = Number(stepText);
    }
    let lo: number;
    let hi: number;
    if (range === "*") {
      lo = field.min;
      hi = field.name === "day of week" ? 6 : field.max;
    } else if (range!.includes("-")) {
      const [a, b, more] = range!.split("-");
      if (more !== undefined) throw new CronError(`${field.name}: "${range}" is not a range`);
      lo = num(a!);
      hi = num(b!);
      if (lo > hi) throw new CronError(`${field.name}: range ${lo}-${hi} runs backwards`);
    } else {
      lo = num(range!);
      hi = stepText !== undefined ? (field.name === "day of week" ? 6 : field.max) : lo;
    }
    for (let v = lo; v <= hi; v += step) out[v] = true;
  }
  return out;
}

export function parseCron(expression: string): CronSchedule {
  if (expression.length > MAX_CRON_LENGTH) throw new CronError(`at most ${MAX_CRON_LENGTH} characters`);
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw new CronError(`expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`);
  const [minutes, hours, daysOfMonth, months, dowRaw] = parts.map((p, i) => parseField(p, FIELDS[i]!));
  const daysOfWeek = dowRaw!.slice(0, 7);
  if (dowRaw![7]) daysOfWeek[0] = true;
  return { source: expression.trim(), minutes: minutes!, hours: hours!, daysOfMonth: daysOfMonth!, months: months!, daysOfWeek, anyDayOfMonth: parts[2] === "*", anyDayOfWeek: parts[4] === "*" };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether the runtime knows this IANA zone name. */
export function isTimeZone(name: string): boolean {
  if (name.length === 0 || name.length > 64) return false;
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock reading in `timeZone` at `ms`, as the UTC milliseconds of those fields. */
function wallMs(ms: number, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
}

/** The instant a wall-clock time (given as UTC milliseconds of its fields) names in `timeZone`; see the module comment for DST. */
export function wallToInstant(wall: number, timeZone: string): number {
  const before = wall - wallMs(wall - 12 * 3_600_000, timeZone) + (wall - 12 * 3_600_000);
  const after = wall - wallMs(wall + 12 * 3_600_000, timeZone) + (wall + 12 * 3_600_000);
  // `before`/`after` are wall minus the offset in force 12 h earlier / later.
  const valid = [before, after].filter((t) => wallMs(t, timeZone) === wall);
  if (valid.length > 0) return Math.min(...valid);
  // In a gap: the offset from before the gap puts it as far past the gap as it was into it.
  return before;
}

const DAY_MS = 86_400_000;

function dayMatches(s: CronSchedule, dayStartWall: number): boolean {
  const d = new Date(dayStartWall);
  if (!s.months[d.getUTCMonth() + 1]) return false;
  const dom = s.daysOfMonth[d.getUTCDate()]!;
  const dow = s.daysOfWeek[d.getUTCDay()]!;
  if (s.anyDayOfMonth && s.anyDayOfWeek) return true;
  if (s.anyDayOfMonth) return dow;
  if (s.anyDayOfWeek) return dom;
  return dom || dow;
}

/**
 * The latest start of `schedule` at or before `at` and after `at - lookbackSeconds`, or null.
 * Work is bounded by the lookback: one pass per local day in it.
 */
export function lastOccurrence(schedule: CronSchedule, timeZone: string, at: Date, lookbackSeconds: number): Date | null {
  const atMs = at.getTime();
  const lower = atMs - lookbackSeconds * 1000;
  const atWall = wallMs(atMs, timeZone);
  const days = Math.ceil(lookbackSeconds / 86_400) + 2;
  const firstDay = Math.floor(atWall / DAY_MS) * DAY_MS;
  for (let d = 0; d < days; d++) {
    const day = firstDay - d * DAY_MS;
    if (!dayMatches(schedule, day)) continue;
    for (let h = 23; h >= 0; h--) {
      if (!schedule.hours[h]) continue;
      for (let m = 59; m >= 0; m--) {
        if (!schedule.minutes[m]) continue;
        const wall = day + h * 3_600_000 + m * 60_000;
        // Wall times well past `at` cannot name an instant before it (offsets change by hours at most).
        if (wall > atWall + 3 * 3_600_000) continue;
        const t = wallToInstant(wall, timeZone);
        if (t > atMs) continue;
        if (t <= lower) return null;
        return new Date(t);
      }
    }
  }
  return null;
}

/** The first start of `schedule` strictly after `after`, looking at most `horizonDays` ahead, or null. */
export function nextOccurrence(schedule: CronSchedule, timeZone: string, after: Date, horizonDays = 366): Date | null {
  const afterMs = after.getTime();
  const afterWall = wallMs(afterMs, timeZone);
  const firstDay = Math.floor(afterWall / DAY_MS) * DAY_MS;
  for (let d = 0; d <= horizonDays; d++) {
    const day = firstDay + d * DAY_MS;
    if (!dayMatches(schedule, day)) continue;
    for (let h = 0; h < 24; h++) {
      if (!schedule.hours[h]) continue;
      for (let m = 0; m < 60; m++) {
        if (!schedule.minutes[m]) continue;
        const wall = day + h * 3_600_000 + m * 60_000;
        if (wall < afterWall - 3 * 3_600_000) continue;
        const t = wallToInstant(wall, timeZone);
        if (t > afterMs) return new Date(t);
      }
    }
  }
  return null;
}
