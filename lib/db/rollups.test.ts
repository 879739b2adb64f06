import { describe, expect, it } from "vitest";
import { rollupBackfillSql, rollupFor, rollupUpsertSql } from "./rollups";

describe("chart rollups", () => {
  it("serve a step from the coarsest rollup whose buckets nest in it, and nothing below 5 minutes", () => {
    expect(rollupFor(60)).toBeNull();
    expect(rollupFor(120)).toBeNull();
    expect(rollupFor(450)).toBeNull();
    expect(rollupFor(300)).toBe("metrics_rollup_5m");
    expect(rollupFor(900)).toBe("metrics_rollup_5m");
    expect(rollupFor(1800)).toBe("metrics_rollup_5m");
    expect(rollupFor(3600)).toBe("metrics_rollup_1h");
    expect(rollupFor(10800)).toBe("metrics_rollup_1h");
    expect(rollupFor(86400)).toBe("metrics_rollup_1h");
  });

  it("add sums and counts on the charts' origin, in (host, bucket) order, and add to a bucket already there", () => {
    const upsert = rollupUpsertSql("metrics_rollup_5m", 300, "ins", ["cpu_pct", "load1"]);
    expect(upsert).toContain(`date_bin(interval '300 seconds', ts, timestamptz '2000-01-03T00:00:00Z')`);
    expect(upsert).toContain(`coalesce(sum("cpu_pct"), 0), count("cpu_pct")::int, coalesce(sum("load1"), 0), count("load1")::int`);
    expect(upsert).toContain("from ins group by 1, 2 order by 1, 2");
    expect(upsert).toContain(`on conflict (host_id, bucket) do update set "cpu_pct_sum" = metrics_rollup_5m."cpu_pct_sum" + excluded."cpu_pct_sum", "cpu_pct_n" = metrics_rollup_5m."cpu_pct_n" + excluded."cpu_pct_n"`);
    expect(rollupBackfillSql("metrics_rollup_1h", 3600, ["cpu_pct"])).toMatch(/^insert into metrics_rollup_1h \(host_id, bucket, "cpu_pct_sum", "cpu_pct_n"\)[\s\S]*interval '3600 seconds'[\s\S]*from metrics group by 1, 2$/);
  });

  it("refuse a column name that is not a plain identifier", () => {
    expect(() => rollupUpsertSql("metrics_rollup_5m", 300, "ins", ['cpu"; drop table metrics; --'])).toThrow(/identifier/);
  });
});
