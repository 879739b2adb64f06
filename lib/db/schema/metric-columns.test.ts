/**
 * The metrics table is the schema of record and its metric columns come from the registry: this
 * keeps the table, the registry and the committed migrations in agreement (a registry entry
 * without a generated migration, or a hand-added metric column, fails here).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { getTableConfig } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { AGGREGATED_METRICS, METRICS } from "@/lib/protocol/metrics";
import { metrics, metricsRollup1h, metricsRollup5m } from "./hosts";

/** The metrics table's columns that are not registry metrics. */
const OTHER_COLUMNS = ["host_id", "ts", "disks", "cpu_cores"];

describe("the metrics table and the metric registry", () => {
  const columns = getTableConfig(metrics).columns;

  it("has one double precision column per registry metric, NOT NULL exactly where the metric is required", () => {
    const metricCols = columns.filter((c) => !OTHER_COLUMNS.includes(c.name));
    expect(metricCols.map((c) => c.name)).toEqual(METRICS.map((m) => m.column));
    for (const m of METRICS) {
      const col = columns.find((c) => c.name === m.column)!;
      expect(col.getSQLType(), m.column).toBe("double precision");
      expect(col.notNull, m.column).toBe(m.required);
    }
  });

  it("keeps the table's property names the wire names (the alert run selects by them)", () => {
    for (const m of METRICS) expect(metrics[m.name].name).toBe(m.column);
  });

  it("gives each chart rollup a sum and a count per aggregated metric, in the schema and in the latest migration snapshot", () => {
    const want = ["host_id", "bucket", ...AGGREGATED_METRICS.flatMap((m) => [`${m.column}_sum`, `${m.column}_n`])];
    const dir = path.join(process.cwd(), "drizzle", "meta");
    const journal = JSON.parse(readFileSync(path.join(dir, "_journal.json"), "utf8")) as { entries: { idx: number }[] };
    const last = Math.max(...journal.entries.map((e) => e.idx));
    const snapshot = JSON.parse(readFileSync(path.join(dir, `${String(last).padStart(4, "0")}_snapshot.json`), "utf8")) as { tables: Record<string, { columns: Record<string, { name: string }> }> };
    for (const table of [metricsRollup5m, metricsRollup1h]) {
      const config = getTableConfig(table);
      expect(config.columns.map((c) => c.name), config.name).toEqual(want);
      expect(Object.keys(snapshot.tables[`public.${config.name}`]!.columns).sort(), config.name).toEqual([...want].sort());
    }
  });

  it("matches the latest committed migration snapshot: every registry change has its migration", () => {
    const dir = path.join(process.cwd(), "drizzle", "meta");
    const journal = JSON.parse(readFileSync(path.join(dir, "_journal.json"), "utf8")) as { entries: { idx: number }[] };
    const last = Math.max(...journal.entries.map((e) => e.idx));
    const snapshot = JSON.parse(readFileSync(path.join(dir, `${String(last).padStart(4, "0")}_snapshot.json`), "utf8")) as {
      tables: Record<string, { columns: Record<string, { name: string; type: string; notNull: boolean }> }>;
    };
    const migrated = snapshot.tables["public.metrics"]!.columns;
    const migratedMetricCols = Object.values(migrated).filter((c) => !OTHER_COLUMNS.includes(c.name));
    expect(migratedMetricCols.map((c) => c.name).sort()).toEqual(METRICS.map((m) => m.column).sort());
    for (const m of METRICS) expect(migrated[m.column], m.column).toMatchObject({ type: "double precision", notNull: m.required });
  });
});
