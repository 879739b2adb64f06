import { describe, expect, it } from "vitest";
import { evaluateRules } from "./evaluate";
import { AlertRuleInputSchema } from "./rule-schema";

const paths = (input: unknown): string[] => {
  const r = AlertRuleInputSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.path.join("."));
};

describe("AlertRuleInputSchema", () => {
  it("accepts each kind and fills defaults", () => {
    expect(AlertRuleInputSchema.parse({ name: "High CPU", kind: "threshold", metric: "cpuPct", op: ">", threshold: 90, severity: "critical" })).toEqual({
      name: "High CPU",
      kind: "threshold",
      metric: "cpuPct",
      op: ">",
      threshold: 90,
      forSeconds: 0,
      hostId: null,
      selector: null,
      severity: "critical",
      enabled: true,
      channelIds: [],
      repeatIntervalSeconds: null,
      dependsOnRuleId: null,
    });
    expect(paths({ name: "Down", kind: "hostDown", forSeconds: 120, severity: "warning" })).toEqual([]);
    expect(paths({ name: "Kernel", kind: "drift", config: { target: "kernel" }, severity: "info", hostId: "h-1" })).toEqual([]);
  });

  it("needs a pattern for serviceFailed, containerDown and processMissing, and takes a drift target per inventory section", () => {
    for (const kind of ["serviceFailed", "containerDown", "processMissing"]) {
      expect(paths({ name: "x", kind, config: { pattern: "nginx*" }, severity: "warning" })).toEqual([]);
      expect(paths({ name: "x", kind, severity: "warning" })).toEqual(["config"]);
      expect(paths({ name: "x", kind, config: { pattern: "" }, severity: "warning" })).toEqual(["config.pattern"]);
    }
    for (const target of ["ports", "users", "services", "jobs", "files", "containers"]) expect(paths({ name: "x", kind: "drift", config: { target, pattern: "*" }, severity: "info" })).toEqual([]);
  });

  it("caps forSeconds at 24 hours with a message saying so", () => {
    const r = AlertRuleInputSchema.safeParse({ name: "x", kind: "threshold", metric: "cpuPct", op: ">", threshold: 1, forSeconds: 7 * 24 * 3600, severity: "info" });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["forSeconds", "at most 86400 (24 hours)"]]);
    expect(paths({ name: "x", kind: "threshold", metric: "cpuPct", op: ">", threshold: 1, forSeconds: 24 * 3600, severity: "info" })).toEqual([]);
  });

  it("names what a kind is missing", () => {
    expect(paths({ name: "x", kind: "threshold", severity: "info" })).toEqual(["metric", "op", "threshold"]);
    expect(paths({ name: "x", kind: "threshold", metric: "bogus", op: ">", threshold: 1, severity: "info" })).toEqual(["metric"]);
    expect(paths({ name: "x", kind: "hostDown", severity: "info" })).toEqual(["forSeconds"]);
    expect(paths({ name: "x", kind: "drift", severity: "info" })).toEqual(["config"]);
    expect(paths({ name: "x", kind: "drift", config: { target: "all" }, severity: "info" })).toEqual(["config.target"]);
    expect(paths({ name: " ", kind: "hostDown", forSeconds: 60, severity: "loud" })).toEqual(["name", "severity"]);
    expect(paths({ name: "x", kind: "threshold", metric: "cpuPct", op: ">", threshold: 1, forSeconds: -5, severity: "info" })).toEqual(["forSeconds"]);
    expect(paths({ name: "x", kind: "threshold", metric: "cpuPct", op: ">", threshold: 1, forSeconds: 1.5, severity: "info" })).toEqual(["forSeconds"]);
  });

  it("accepts only rules the evaluator can evaluate", () => {
    const inputs = [
      { name: "a", kind: "threshold", metric: "load1", op: ">=", threshold: 4, forSeconds: 300, severity: "warning" },
      { name: "b", kind: "hostDown", forSeconds: 60, severity: "critical" },
      { name: "c", kind: "drift", config: { target: "packages", pattern: "openssl*", changes: ["changed"] }, severity: "info" },
    ];
    const rules = inputs.map((i, n) => ({ id: `r${n}`, ...AlertRuleInputSchema.parse(i) }));
    const r = evaluateRules({ rules, samplesByHost: {}, hosts: [{ id: "h", createdAt: new Date() }], openEvents: [], now: new Date() });
    expect(r.skipped).toEqual([]);
    expect(r.evaluated).toBe(3);
  });
});
