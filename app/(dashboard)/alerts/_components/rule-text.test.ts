import { describe, expect, it } from "vitest";
import type { AlertRuleView } from "@/lib/client/types";
import { describeRule } from "./rule-text";

const rule = (over: Partial<AlertRuleView>): AlertRuleView =>
  ({
  id: "r",
  name: "r",
  kind: "threshold",
  metric: "cpuPct",
  op: ">",
  threshold: 90,
  forSeconds: 300,
  hostId: null,
  severity: "warning",
  enabled: true,
  ...over,
}) as AlertRuleView;
const labels: Record<string, string> = { cpuPct: "CPU %" };
const label = (m: string) => labels[m];

describe("describeRule", () => {
  it("writes a threshold with the metric's label and its hold time", () => {
    expect(describeRule(rule({}), label)).toBe("CPU % > 90 for 5m");
    expect(describeRule(rule({ forSeconds: 0, op: "<=", threshold: 10 }), label)).toBe("CPU % <= 10");
  });
  it("falls back to the metric's wire name, and marks missing parts", () => {
    expect(describeRule(rule({ metric: "iowaitPct" }), label)).toBe("iowaitPct > 90 for 5m");
    expect(describeRule(rule({ metric: null, op: null, threshold: null, forSeconds: 0 }), label)).toBe("? ? ?");
  });
  it("writes a host-down rule as its silence", () => {
    expect(describeRule(rule({ kind: "hostDown", forSeconds: 120 }), label)).toBe("no report for 2m");
  });
  it("writes a drift rule from its target, changes and pattern", () => {
    expect(describeRule(rule({ kind: "drift", config: { target: "packages", changes: ["added", "removed"], pattern: "openssl*" } }), label)).toBe("packages added/removed matching openssl*");
    expect(describeRule(rule({ kind: "drift", config: undefined }), label)).toBe("configuration changed");
  });

  it("writes the state rules from their pattern", () => {
    expect(describeRule(rule({ kind: "serviceFailed", config: { pattern: "nginx*" } }), label)).toBe("a unit matching nginx* is failed");
    expect(describeRule(rule({ kind: "containerDown", config: { pattern: "web-*" } }), label)).toBe("a container matching web-* is stopped or unhealthy");
    expect(describeRule(rule({ kind: "processMissing", config: { pattern: "sshd" } }), label)).toBe("no process matching sshd runs");
    expect(describeRule(rule({ kind: "drift", config: { target: "ports", pattern: "tcp *:22" } }), label)).toBe("ports changed matching tcp *:22");
  });
});
