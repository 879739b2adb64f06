import { describe, expect, it } from "vitest";
import { isWindowOpen, openMaintenance, windowPeriod } from "./maintenance";

const NOW = new Date("2026-06-10T12:00:00Z");
const at = (iso: string) => new Date(iso);

describe("windowPeriod", () => {
  it("one-off: open between start and end, upcoming before, gone after", () => {
    expect(windowPeriod({ id: "a", startsAt: at("2026-06-10T11:00:00Z"), endsAt: at("2026-06-10T13:00:00Z") }, NOW)).toEqual({ start: at("2026-06-10T11:00:00Z"), end: at("2026-06-10T13:00:00Z"), open: true });
    expect(windowPeriod({ id: "a", startsAt: at("2026-06-10T12:30:00Z"), endsAt: at("2026-06-10T13:00:00Z") }, NOW)?.open).toBe(false);
    expect(windowPeriod({ id: "a", startsAt: at("2026-06-10T10:00:00Z"), endsAt: at("2026-06-10T12:00:00Z") }, NOW)).toBeNull();
  });

  it("recurring: the current period while open, else the next", () => {
    const weekly = { id: "w", cron: "0 14 * * 3", timezone: "Europe/Berlin", durationSeconds: 3600 }; // Wednesdays 14:00 Berlin = 12:00 UTC in summer
    expect(windowPeriod(weekly, NOW)).toEqual({ start: at("2026-06-10T12:00:00Z"), end: at("2026-06-10T13:00:00Z"), open: true });
    expect(windowPeriod(weekly, at("2026-06-10T13:00:00Z"))).toEqual({ start: at("2026-06-17T12:00:00Z"), end: at("2026-06-17T13:00:00Z"), open: false });
  });

  it("a stored schedule that no longer parses is never open", () => {
    expect(isWindowOpen({ id: "x", cron: "nonsense", timezone: "UTC", durationSeconds: 60 }, NOW)).toBe(false);
    expect(isWindowOpen({ id: "x", cron: "* * * * *", timezone: "Nowhere/Land", durationSeconds: 60 }, NOW)).toBe(false);
  });
});

describe("openMaintenance", () => {
  const open = { startsAt: at("2026-06-10T11:00:00Z"), endsAt: at("2026-06-10T13:00:00Z") };
  it("covers the named host and the hosts a selector matches", () => {
    const covers = openMaintenance([{ id: "1", hostId: "h1", ...open }, { id: "2", selector: "env=staging", ...open }, { id: "3", selector: "env=prod", startsAt: at("2026-06-11T00:00:00Z"), endsAt: at("2026-06-12T00:00:00Z") }], NOW);
    expect(covers({ id: "h1", labels: { env: "prod" } })).toBe(true);
    expect(covers({ id: "h2", labels: { env: "staging" } })).toBe(true);
    expect(covers({ id: "h3", labels: { env: "prod" } })).toBe(false);
    expect(covers({ id: "h4" })).toBe(false);
  });
});
