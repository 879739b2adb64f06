/** Validation of /api/metrics query parameters into an absolute range and a step. */
import { z } from "zod";
import { DEFAULT_POINTS, MAX_POINTS, chooseStep, parseTime } from "./range";

export const MetricsQuerySchema = z.object({
  hostId: z.uuid("must be a host id"),
  from: z.string().max(64).default("-1h"),
  to: z.string().max(64).default("now"),
  points: z.coerce.number().int().min(1).max(MAX_POINTS).default(DEFAULT_POINTS),
});

export type MetricsRange = { hostId: string; fromMs: number; toMs: number; stepS: number; points: number };

export function resolveMetricsRange(input: z.output<typeof MetricsQuerySchema>, nowMs: number): MetricsRange | { issues: { path: string; message: string }[] } {
  const fromMs = parseTime(input.from, nowMs);
  const toMs = parseTime(input.to, nowMs);
  const issues = [];
  if (fromMs === null) issues.push({ path: "from", message: "must be ISO 8601, 'now' or relative like -24h, -7d" });
  if (toMs === null) issues.push({ path: "to", message: "must be ISO 8601, 'now' or relative like -24h, -7d" });
  if (fromMs !== null && toMs !== null && fromMs > toMs) issues.push({ path: "from", message: "must not be after to" });
  if (issues.length) return { issues };
  return { hostId: input.hostId.toLowerCase(), fromMs: fromMs!, toMs: toMs!, points: input.points, stepS: chooseStep(fromMs!, toMs!, input.points) };
}
