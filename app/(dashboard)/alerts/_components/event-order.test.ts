import { describe, expect, it } from "vitest";
import type { AlertEventView, Severity } from "@/lib/client/types";
import { formatDuration } from "@/lib/format/duration";
import { eventDurationS, eventSeverity, eventValue, sortEvents } from "./event-order";

const ev = (id: string, over: Partial<AlertEventView> = {}): AlertEventView =>
  ({
  id,
  ruleId: "r1",
  hostId: "h1",
  state: "firing",
  value: null,
  startedAt: "2026-01-01T00:00:00.000Z",
  resolvedAt: null,
  ackedBy: null,
  ...over,
}) as AlertEventView;
const bySeverityField = (e: AlertEventView): Severity => e.severity ?? "info";
const ids = (l: AlertEventView[]) => l.map((e) => e.id);

describe("sortEvents", () => {
  it("puts firing events before resolved ones, whatever their age", () => {
    const l = [ev("old-firing", { startedAt: "2026-01-01T00:00:00Z" }), ev("new-resolved", { state: "resolved", startedAt: "2026-01-05T00:00:00Z" })];
    expect(ids(sortEvents([...l].reverse(), bySeverityField))).toEqual(["old-firing", "new-resolved"]);
  });

  it("orders firing events by severity, then newest first", () => {
    const l = [
      ev("info", { severity: "info", startedAt: "2026-01-04T00:00:00Z" }),
      ev("crit-old", { severity: "critical", startedAt: "2026-01-01T00:00:00Z" }),
      ev("warn", { severity: "warning", startedAt: "2026-01-03T00:00:00Z" }),
      ev("crit-new", { severity: "critical", startedAt: "2026-01-02T00:00:00Z" }),
    ];
    expect(ids(sortEvents(l, bySeverityField))).toEqual(["crit-new", "crit-old", "warn", "info"]);
  });

  it("orders resolved events by time only: severity no longer matters once it is over", () => {
    const l = [
      ev("crit-old", { state: "resolved", severity: "critical", startedAt: "2026-01-01T00:00:00Z" }),
      ev("info-new", { state: "resolved", severity: "info", startedAt: "2026-01-02T00:00:00Z" }),
    ];
    expect(ids(sortEvents(l, bySeverityField))).toEqual(["info-new", "crit-old"]);
  });

  it("returns a new array and leaves its input alone", () => {
    const l = [ev("b", { startedAt: "2026-01-01T00:00:00Z" }), ev("a", { startedAt: "2026-01-02T00:00:00Z" })];
    const out = sortEvents(l, bySeverityField);
    expect(out).not.toBe(l);
    expect(ids(l)).toEqual(["b", "a"]);
  });
});

describe("eventSeverity", () => {
  const rules = new Map([["r1", { severity: "critical" as const }]]);
  it("prefers the severity recorded on the event, then the rule's, then info", () => {
    expect(eventSeverity(ev("a", { severity: "warning" }), rules)).toBe("warning");
    expect(eventSeverity(ev("a"), rules)).toBe("critical");
    expect(eventSeverity(ev("a", { ruleId: "deleted" }), rules)).toBe("info");
  });
});

describe("eventDurationS", () => {
  it("runs to the resolution, or to now while firing, and is never negative", () => {
    expect(eventDurationS({ startedAt: "2026-01-01T00:00:00Z", resolvedAt: "2026-01-01T00:05:00Z" }, 0)).toBe(300);
    expect(eventDurationS({ startedAt: "2026-01-01T00:00:00Z", resolvedAt: null }, Date.parse("2026-01-01T01:00:00Z"))).toBe(3600);
    expect(eventDurationS({ startedAt: "2026-01-01T00:00:00Z", resolvedAt: null }, Date.parse("2025-12-31T23:00:00Z"))).toBe(0);
  });
});

describe("eventValue", () => {
  it("rounds to two decimals and shows a dash for no value", () => {
    expect(eventValue(91.23456)).toBe("91.23");
    expect(eventValue(0)).toBe("0");
    expect(eventValue(null)).toBe("—");
  });

  it("shows a forecast's time left as a duration, not as seconds", () => {
    expect(eventValue(17662, "forecast")).toBe(formatDuration(17662));
    expect(eventValue(17662, "forecast")).not.toContain("17662");
  });
});
