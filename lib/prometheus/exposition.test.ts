import { describe, expect, it } from "vitest";
import { escapeLabelValue, formatExposition, formatValue, sanitizeLabelName } from "./exposition";

describe("formatExposition", () => {
  it("writes HELP and TYPE once per family, then its samples", () => {
    const text = formatExposition([
      { name: "infrawatch_cpu_pct", help: "CPU busy, percent", type: "gauge", samples: [{ labels: { host_id: "a", hostname: "web-1" }, value: 42.5 }, { labels: { host_id: "b", hostname: "web-2" }, value: 0 }] },
      { name: "infrawatch_ingest_samples_total", help: "Samples", type: "counter", samples: [{ labels: {}, value: 7 }] },
    ]);
    expect(text).toBe(
      [
        "# HELP infrawatch_cpu_pct CPU busy, percent",
        "# TYPE infrawatch_cpu_pct gauge",
        'infrawatch_cpu_pct{host_id="a",hostname="web-1"} 42.5',
        'infrawatch_cpu_pct{host_id="b",hostname="web-2"} 0',
        "# HELP infrawatch_ingest_samples_total Samples",
        "# TYPE infrawatch_ingest_samples_total counter",
        "infrawatch_ingest_samples_total 7",
        "",
      ].join("\n"),
    );
  });

  it("escapes backslash, double quote and newline in label values, and in HELP backslash and newline", () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    const text = formatExposition([{ name: "m", help: "line\\one\ntwo", type: "gauge", samples: [{ labels: { hostname: 'evil"} 1\nfake_metric 2' }, value: 1 }] }]);
    expect(text).toContain("# HELP m line\\\\one\\ntwo\n");
    expect(text).toContain('m{hostname="evil\\"} 1\\nfake_metric 2"} 1\n');
    // One sample line, no injected metric.
    expect(text.split("\n").filter((l) => l && !l.startsWith("#"))).toHaveLength(1);
  });

  it("refuses metric and label names outside the format's alphabet", () => {
    expect(() => formatExposition([{ name: "bad name", help: "", type: "gauge", samples: [] }])).toThrow(/invalid metric name/);
    expect(() => formatExposition([{ name: "m", help: "", type: "gauge", samples: [{ labels: { "a-b": "x" }, value: 1 }] }])).toThrow(/invalid label name/);
  });

  it("formats special values as the format spells them", () => {
    expect([NaN, Infinity, -Infinity, -1.5, 1e21].map(formatValue)).toEqual(["NaN", "+Inf", "-Inf", "-1.5", "1e+21"]);
  });
});

describe("sanitizeLabelName", () => {
  const taken = new Set(["host_id", "hostname"]);
  it("maps free-form keys into the label alphabet without clashing", () => {
    expect(sanitizeLabelName("env", taken)).toBe("env");
    expect(sanitizeLabelName("team.name/x", taken)).toBe("team_name_x");
    expect(sanitizeLabelName("1st", taken)).toBe("_1st");
    expect(sanitizeLabelName("__name__", taken)).toBe("label__name__");
    expect(sanitizeLabelName("hostname", taken)).toBe("label_hostname");
    expect(sanitizeLabelName("", taken)).toBeNull();
  });
});
