import { describe, expect, it } from "vitest";
import { AGGREGATED_COLUMNS } from "./metric-columns";
import { aggregateIsStale, aggregateValueColumns, continuousAggregateSql, decideTimescale, hourlyAggregateSql, preloadsTimescale, refreshStatement, timescaleSetupStatements } from "./timescale";

const facts = { available: true, installed: false, preloadLibraries: "", loaderPresent: false };

describe("decideTimescale", () => {
  it("skips when the extension is not on the server", () => {
    expect(decideTimescale({ ...facts, available: false }, { preloadRequired: true })).toEqual({ run: false, reason: "the timescaledb extension is not installed on this server" });
  });
  it("skips a half-installed extension and says exactly what to change", () => {
    const d = decideTimescale(facts, { preloadRequired: true });
    expect(d.run).toBe(false);
    expect(!d.run && d.reason).toContain("shared_preload_libraries = 'timescaledb' in postgresql.conf");
    expect(!d.run && d.reason).toContain("restart PostgreSQL");
    expect(decideTimescale({ ...facts, installed: true, preloadLibraries: "pg_stat_statements" }, { preloadRequired: true }).run).toBe(false);
  });
  it("runs when preloaded, seen in the setting or through the loader when the setting is hidden", () => {
    expect(decideTimescale({ ...facts, preloadLibraries: "pg_stat_statements, timescaledb" }, { preloadRequired: true })).toEqual({ run: true });
    expect(decideTimescale({ ...facts, preloadLibraries: null, loaderPresent: true }, { preloadRequired: true })).toEqual({ run: true });
    expect(decideTimescale({ ...facts, preloadLibraries: null }, { preloadRequired: true }).run).toBe(false);
  });
  it("needs no preload where the build loads the extension itself", () => {
    expect(decideTimescale(facts, { preloadRequired: false })).toEqual({ run: true });
  });
});

describe("preloadsTimescale", () => {
  it("reads the comma-separated, possibly quoted list", () => {
    expect(preloadsTimescale("timescaledb")).toBe(true);
    expect(preloadsTimescale('pg_stat_statements,"timescaledb"')).toBe(true);
    expect(preloadsTimescale("timescaledb_toolkit")).toBe(false);
    expect(preloadsTimescale("")).toBe(false);
  });
});

describe("setup statements", () => {
  it("keeps sum and count per column in the aggregate so re-bucketing is weighted", () => {
    const view = continuousAggregateSql();
    expect(view).toContain('sum("cpu_pct") as "cpu_pct_sum", count("cpu_pct") as "cpu_pct_n"');
    for (const c of AGGREGATED_COLUMNS) expect(view).toContain(`count("${c}") as "${c}_n"`);
    expect(view).toContain("time_bucket(interval '300 seconds', ts)");
    expect(timescaleSetupStatements({ retentionDays: 7, compressionEnabled: true, processCompressionEnabled: true }).some((s) => s.includes("timescaledb.compress,"))).toBe(false);
    expect(hourlyAggregateSql()).toContain('sum("cpu_pct_sum") as "cpu_pct_sum", sum("cpu_pct_n")::bigint as "cpu_pct_n"');
    expect(hourlyAggregateSql()).toContain("from metrics_5m group by host_id, time_bucket(interval '3600 seconds', bucket)");
  });
  it("makes process_samples a hypertable compressed by host with the samples' retention", () => {
    const statements = timescaleSetupStatements({ retentionDays: 30, compressionEnabled: true, processCompressionEnabled: false });
    expect(statements).toContain("select create_hypertable('process_samples', by_range('ts', interval '1 day'), if_not_exists => true, migrate_data => true)");
    expect(statements.some((s) => s.startsWith("alter table process_samples set (timescaledb.compress, timescaledb.compress_segmentby = 'host_id'"))).toBe(true);
    expect(statements).toContain("select add_retention_policy('process_samples', interval '30 days')");
  });
  it("adds each refresh policy only where the aggregate has none (TimescaleDB 2.22 refuses a second one on metrics_1h, if_not_exists or not)", () => {
    const policies = timescaleSetupStatements({ retentionDays: 7, compressionEnabled: true }).filter((s) => s.includes("add_continuous_aggregate_policy"));
    expect(policies).toHaveLength(2);
    for (const [i, view] of ["metrics_5m", "metrics_1h"].entries()) {
      expect(policies[i]).toContain(`if not exists (select 1 from timescaledb_information.jobs where proc_name = 'policy_refresh_continuous_aggregate' and hypertable_name = '${view}')`);
      expect(policies[i]).toContain(`perform add_continuous_aggregate_policy('${view}'`);
    }
  });
  it("calls an aggregate stale when it lacks (or has extra) registry columns, never when it does not exist", () => {
    const current = ["host_id", "bucket", ...aggregateValueColumns()];
    expect(aggregateIsStale(null)).toBe(false);
    expect(aggregateIsStale(current)).toBe(false);
    expect(aggregateIsStale([...current].reverse())).toBe(false);
    expect(aggregateIsStale(current.slice(0, -2))).toBe(true);
    expect(aggregateIsStale([...current, "gone_sum", "gone_n"])).toBe(true);
    expect(aggregateIsStale(["host_id", "bucket", ...aggregateValueColumns(AGGREGATED_COLUMNS.slice(1))])).toBe(true);
  });
  it("refreshes a range with literal timestamps", () => {
    expect(refreshStatement("metrics_5m", Date.parse("2026-11-01T00:00:00Z"), Date.parse("2026-11-01T00:05:00Z"))).toBe(
      "call refresh_continuous_aggregate('metrics_5m', timestamptz '2026-11-01T00:00:00.000Z', timestamptz '2026-11-01T00:05:00.000Z')",
    );
  });
});
