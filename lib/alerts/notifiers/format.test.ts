import { describe, expect, it } from "vitest";
import { evaluateRules } from "../evaluate";
import { toAlertNotification } from "./format";

describe("toAlertNotification", () => {
  const now = new Date("2026-12-01T10:00:00Z");
  const rule = { id: "r", name: "High CPU", kind: "threshold" as const, metric: "cpuPct", op: ">" as const, threshold: 90, forSeconds: 0, hostId: null, severity: "critical" as const, enabled: true };
  const host = { id: "h", hostname: "web-1", createdAt: now };
  const ctx = { rule: { id: "r", name: "High CPU", kind: "threshold" as const, severity: "critical" as const }, host: { id: "h", hostname: "web-1" } };

  it("turns a fire into a firing message and a resolve into a resolved one", () => {
    const fired = evaluateRules({ rules: [rule], hosts: [host], samplesByHost: { h: [{ ts: now, cpuPct: 95 }] }, openEvents: [], now }).fire[0]!;
    expect(toAlertNotification(fired, { ...ctx, id: "e1", startedAt: fired.startedAt })).toEqual({
      state: "firing",
      eventId: "e1",
      ...ctx,
      value: 95,
      message: "cpuPct 95 > 90",
      startedAt: now,
      resolvedAt: null,
      url: null,
    });
    const later = new Date(now.getTime() + 60_000);
    const resolved = evaluateRules({
      rules: [rule],
      hosts: [host],
      samplesByHost: { h: [{ ts: later, cpuPct: 10 }] },
      openEvents: [{ id: "e1", ruleId: "r", hostId: "h", startedAt: now }],
      now: later,
    }).resolve[0]!;
    expect(toAlertNotification(resolved, { ...ctx, id: "e1", startedAt: now, url: "http://x/alerts" })).toMatchObject({
      state: "resolved",
      value: 10,
      startedAt: now,
      resolvedAt: later,
      url: "http://x/alerts",
    });
  });
});
