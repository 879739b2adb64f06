/**
 * SQL fragments built from the metric registry (lib/protocol/metrics.ts). The names are fixed
 * constants of the code, never request input; they are still checked and double-quoted, so a
 * bad registry entry fails at start-up instead of reaching a statement.
 */
import { AGGREGATED_METRICS, METRICS, isSafeColumn } from "@/lib/protocol/metrics";

/** A registry column (or a name derived from one) as a quoted identifier. */
export function quoted(column: string): string {
  if (!isSafeColumn(column)) throw new Error(`metric registry: ${JSON.stringify(column)} is not a plain lower-case SQL identifier`);
  return `"${column}"`;
}

/** Every metric column, in registry order. */
export const METRIC_COLUMNS: readonly string[] = METRICS.map((m) => m.column);
/** The columns averaged into chart buckets and kept as sum and count in the TimescaleDB aggregates. */
export const AGGREGATED_COLUMNS: readonly string[] = AGGREGATED_METRICS.map((m) => m.column);

// Checked once when the module loads: every derived statement uses only these.
for (const column of METRIC_COLUMNS) quoted(column);
for (const column of AGGREGATED_COLUMNS) quoted(`${column}_sum`);
