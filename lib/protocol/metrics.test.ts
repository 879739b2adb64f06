import { describe, expect, it } from "vitest";
import { SampleSchema, TelemetryBodySchema } from "./index";
import { ALERTABLE_METRIC_NAMES, CHART_GROUPS, METRICS, isAlertableMetric, isSafeColumn, labelWithUnit, metricByName, metricsInChart, type MetricUnit } from "./metrics";

const base = { ts: "2026-12-01T12:00:00Z", cpuPct: 1, memPct: 2, diskPct: 3, uptimeS: 4 };

describe("the metric registry", () => {
  it("names each metric and column once, as plain identifiers (they go into SQL text)", () => {
    expect(new Set(METRICS.map((m) => m.name)).size).toBe(METRICS.length);
    expect(new Set(METRICS.map((m) => m.column)).size).toBe(METRICS.length);
    for (const m of METRICS) {
      expect(m.name).toMatch(/^[a-z][A-Za-z0-9]*$/);
      for (const c of [m.column, `${m.column}_sum`, `${m.column}_n`]) expect(isSafeColumn(c), c).toBe(true);
    }
  });

  it("refuses identifiers that would need quoting", () => {
    for (const bad of ["Cpu", "cpu pct", 'cpu"pct', "cpu;drop", "", "1cpu", "x".repeat(64)]) expect(isSafeColumn(bad), bad).toBe(false);
  });

  it("draws each chart in one unit", () => {
    for (const g of CHART_GROUPS) expect(new Set(metricsInChart(g.key).map((m) => m.unit)).size).toBeLessThanOrEqual(1);
  });

  it("looks up wire names only, never inherited properties", () => {
    expect(metricByName("cpuPct")?.column).toBe("cpu_pct");
    for (const name of ["__proto__", "constructor", "toString", "cpu_pct", 42, null]) {
      expect(metricByName(name)).toBeUndefined();
      expect(isAlertableMetric(name)).toBe(false);
    }
    expect(ALERTABLE_METRIC_NAMES).toEqual(METRICS.filter((m) => m.alertable).map((m) => m.name));
  });

  it("labels a metric with its unit", () => {
    expect(labelWithUnit(metricByName("cpuPct")!)).toBe("CPU %");
    expect(labelWithUnit(metricByName("netRxBps")!)).toBe("Network in (B/s)");
    expect(labelWithUnit(metricByName("load1")!)).toBe("Load (1 min)");
    expect(labelWithUnit(metricByName("memUsedBytes")!)).toBe("Memory used (bytes)");
  });

  it("refuses temperatures no sensor reads", () => {
    expect(SampleSchema.safeParse({ ...base, cpuTempC: -40 }).success).toBe(true);
    expect(SampleSchema.safeParse({ ...base, cpuTempC: -273 }).success).toBe(false);
    expect(SampleSchema.safeParse({ ...base, cpuTempC: 251 }).success).toBe(false);
  });
});

describe("the sample schema derived from it", () => {
  it("requires the required metrics and accepts a sample without the optional ones", () => {
    expect(SampleSchema.safeParse(base).success).toBe(true);
    for (const m of METRICS.filter((m) => m.required)) {
      const rest: Record<string, unknown> = { ...base };
      delete rest[m.name];
      const r = SampleSchema.safeParse(rest);
      expect(r.success, m.name).toBe(false);
      expect(r.error!.issues[0]!.path).toEqual([m.name]);
    }
  });

  it("names the field of a count that is not whole inside a batch (not an unnamed union error)", () => {
    const r = TelemetryBodySchema.safeParse({ samples: [{ ...base, procCount: 1.5 }] });
    expect(r.error?.issues.map((i) => i.path.join("."))).toEqual(["samples.0.procCount"]);
  });

  it("carries every registry metric and bounds it by its unit", () => {
    for (const m of METRICS) {
      const unit = m.unit as MetricUnit;
      const ok = SampleSchema.safeParse({ ...base, [m.name]: 7 });
      expect(ok.success && (ok.data as Record<string, unknown>)[m.name], m.name).toBe(7);
      // A temperature may be below zero (an outdoor box in winter); nothing else may.
      expect(SampleSchema.safeParse({ ...base, [m.name]: -1 }).success, `${m.name}=-1`).toBe(unit === "celsius");
      for (const bad of [Number.NaN, Infinity, "7"]) expect(SampleSchema.safeParse({ ...base, [m.name]: bad }).success, `${m.name}=${bad}`).toBe(false);
      expect(SampleSchema.safeParse({ ...base, [m.name]: 100.5 }).success, `${m.name}=100.5`).toBe(unit !== "percent" && unit !== "count");
      expect(SampleSchema.safeParse({ ...base, [m.name]: 2.5 }).success, `${m.name}=2.5`).toBe(unit !== "count");
    }
  });

  it("refuses temperatures no sensor reads", () => {
    expect(SampleSchema.safeParse({ ...base, cpuTempC: -40 }).success).toBe(true);
    expect(SampleSchema.safeParse({ ...base, cpuTempC: -273 }).success).toBe(false);
    expect(SampleSchema.safeParse({ ...base, cpuTempC: 251 }).success).toBe(false);
  });
});
