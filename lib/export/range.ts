/** Validation of the export's query string: a host, a bounded range, a format. */
import { z } from "zod";
import { parseTime } from "@/lib/metrics/range";
import type { Issue } from "@/lib/errors";

/** Longest range one export covers; a longer one is a 400 (ask for several). */
export const MAX_EXPORT_SPAN_DAYS = 31;

export const MetricsExportQuerySchema = z.object({
  hostId: z.uuid("must be a host id"),
  from: z.string().max(64).default("-24h"),
  to: z.string().max(64).default("now"),
  format: z.enum(["csv", "json"]).default("csv"),
});

export type MetricsExportRange = { hostId: string; fromMs: number; toMs: number; format: "csv" | "json" };

export function resolveExportRange(q: z.output<typeof MetricsExportQuerySchema>, nowMs: number): MetricsExportRange | { issues: Issue[] } {
  const fromMs = parseTime(q.from, nowMs);
  const toMs = parseTime(q.to, nowMs);
  const help = "must be ISO 8601, 'now' or relative like -24h, -7d";
  const issues: Issue[] = [];
  if (fromMs === null) issues.push({ path: "from", message: help });
  if (toMs === null) issues.push({ path: "to", message: help });
  if (fromMs !== null && toMs !== null) {
    if (fromMs > toMs) issues.push({ path: "from", message: "must not be after to" });
    else if (toMs - fromMs > MAX_EXPORT_SPAN_DAYS * 86_400_000) issues.push({ path: "to", message: `the range must be at most ${MAX_EXPORT_SPAN_DAYS} days` });
  }
  if (issues.length) return { issues };
  return { hostId: q.hostId.toLowerCase(), fromMs: fromMs!, toMs: toMs!, format: q.format };
}
