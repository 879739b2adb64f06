/** Validation of /api/metrics query parameters into an absolute range and a step. */
import { z } from "zod";
import { invalidInput, type Issue } from "@/lib/errors";
import { DEFAULT_POINTS, MAX_POINTS, chooseStep, parseTime } from "./range";

export const MetricsQuerySchema = z.object({
  hostId: z.uuid("must be a host id"),
  from: z.string().max(64).default("-1h"),
  to: z.string().max(64).default("now"),
  points: z.coerce.number().int().min(1).max(MAX_POINTS).default(DEFAULT_POINTS),
});

export type MetricsRange = { hostId: string; fromMs: number; toMs: number; stepS: number; points: number };

/** How far ahead `to` may reach: samples may be 5 minutes ahead; a chart of "the next day" is harmless. */
const MAX_FUTURE_MS = 86_400_000;
const MIN_MAX_AGE_DAYS = 31;

/**
 * Everything is checked before any work: both bounds parse to finite times, `from` is not older
 * than the retention period (at least a month), `to` is at most a day ahead. The span is then
 * bounded, so the step search and the query are bounded too. A bad range is an `invalid`
 * failure naming every bound at fault.
 */
export function resolveMetricsRange(
  input: z.output<typeof MetricsQuerySchema>,
  nowMs: number,
  limits: { retentionDays: number },
): MetricsRange {
  const fromMs = parseTime(input.from, nowMs);
  const toMs = parseTime(input.to, nowMs);
  const issues: Issue[] = [];
  // Nothing older than the retention period is stored; the dashboard's 30-day preset must still
  // work on a shorter retention, so the bound is never below a month.
  const maxAgeDays = Math.max(limits.retentionDays, MIN_MAX_AGE_DAYS);
  const retentionStart = nowMs - maxAgeDays * 86_400_000;
  if (fromMs === null || !Number.isFinite(fromMs)) issues.push({ path: "from", message: "must be ISO 8601, 'now' or relative like -24h, -7d" });
  else if (fromMs < retentionStart) issues.push({ path: "from", message: `must not be more than ${maxAgeDays} days ago (samples are kept ${limits.retentionDays} days)` });
  if (toMs === null || !Number.isFinite(toMs)) issues.push({ path: "to", message: "must be ISO 8601, 'now' or relative like -24h, -7d" });
  else if (toMs > nowMs + MAX_FUTURE_MS) issues.push({ path: "to", message: "must not be more than a day ahead" });
  if (!issues.length && fromMs! > toMs!) issues.push({ path: "from", message: "must not be after to" });
  if (issues.length) throw invalidInput(issues);
  return { hostId: input.hostId.toLowerCase(), fromMs: fromMs!, toMs: toMs!, points: input.points, stepS: chooseStep(fromMs!, toMs!, input.points) };
}
