import { describe, expect, it } from "vitest";
import { CronError, isTimeZone, lastOccurrence, nextOccurrence, parseCron, wallToInstant } from "./cron";

const iso = (d: Date | null) => d?.toISOString() ?? null;

describe("parseCron", () => {
  it("reads lists, ranges and steps", () => {
    const s = parseCron("0,30 1-3 */10 1-12/6 1-5");
    expect(s.minutes.flatMap((v, i) => (v ? [i] : []))).toEqual([0, 30]);
    expect(s.hours.flatMap((v, i) => (v ? [i] : []))).toEqual([1, 2, 3]);
    expect(s.daysOfMonth.flatMap((v, i) => (v ? [i] : []))).toEqual([1, 11, 21, 31]);
    expect(s.months.flatMap((v, i) => (v ? [i] : []))).toEqual([1, 7]);
    expect(s.daysOfWeek.flatMap((v, i) => (v ? [i] : []))).toEqual([1, 2, 3, 4, 5]);
  });
  it("7 is Sunday too", () => {
    expect(parseCron("0 0 * * 7").daysOfWeek[0]).toBe(true);
  });
  it.each([
    ["* * * *", /expected 5 fields/],
    ["60 * * * *", /minute: 60 is outside 0-59/],
    ["* 24 * * *", /hour: 24/],
    ["* * 0 * *", /day of month: 0/],
    ["* * * 13 *", /month: 13/],
    ["*/0 * * * *", /step "0"/],
    ["5-1 * * * *", /runs backwards/],
    ["a * * * *", /"a" is not a number/],
    ["1,,2 * * * *", /empty list item/],
    ["mon * * * *", /not a number/],
    ["x".repeat(300), /at most 200/],
  ])("refuses %s", (expr, message) => {
    expect(() => parseCron(expr)).toThrow(CronError);
    expect(() => parseCron(expr)).toThrow(message);
  });
});

describe("isTimeZone", () => {
  it("knows IANA names and refuses others", () => {
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
    expect(isTimeZone("")).toBe(false);
  });
});

describe("lastOccurrence", () => {
  const nightly = parseCron("0 2 * * *");
  it("finds the latest start within the lookback", () => {
    expect(iso(lastOccurrence(nightly, "UTC", new Date("2026-06-10T02:30:00Z"), 3600))).toBe("2026-06-10T02:00:00.000Z");
    expect(lastOccurrence(nightly, "UTC", new Date("2026-06-10T03:30:00Z"), 3600)).toBeNull();
    expect(iso(lastOccurrence(nightly, "UTC", new Date("2026-06-10T02:00:00Z"), 60))).toBe("2026-06-10T02:00:00.000Z");
  });
  it("reads the wall clock of the zone", () => {
    // 02:00 in Berlin in summer is 00:00 UTC.
    expect(iso(lastOccurrence(nightly, "Europe/Berlin", new Date("2026-06-10T00:30:00Z"), 3600))).toBe("2026-06-10T00:00:00.000Z");
    expect(iso(lastOccurrence(nightly, "America/New_York", new Date("2026-06-10T06:10:00Z"), 3600))).toBe("2026-06-10T06:00:00.000Z");
  });
  it("crosses midnight and weeks", () => {
    const sunday = parseCron("0 22 * * 0");
    // Sunday 2026-06-07 22:00 UTC; a 4 h window is still open on Monday 01:00.
    expect(iso(lastOccurrence(sunday, "UTC", new Date("2026-06-08T01:00:00Z"), 4 * 3600))).toBe("2026-06-07T22:00:00.000Z");
    expect(lastOccurrence(sunday, "UTC", new Date("2026-06-09T01:00:00Z"), 4 * 3600)).toBeNull();
  });
  it("with both day fields restricted, either matches", () => {
    const s = parseCron("0 0 13 * 5"); // the 13th, or any Friday
    expect(iso(lastOccurrence(s, "UTC", new Date("2026-06-12T00:10:00Z"), 3600))).toBe("2026-06-12T00:00:00.000Z"); // a Friday
    expect(iso(lastOccurrence(s, "UTC", new Date("2026-06-13T00:10:00Z"), 3600))).toBe("2026-06-13T00:00:00.000Z"); // the 13th, a Saturday
    expect(lastOccurrence(s, "UTC", new Date("2026-06-14T00:10:00Z"), 3600)).toBeNull();
  });
});

describe("daylight saving time", () => {
  it("a start in the skipped spring hour begins after the gap (Berlin, 2026-03-29)", () => {
    // 02:30 does not exist that night: clocks go from 02:00 CET to 03:00 CEST (01:00 UTC).
    expect(wallToInstant(Date.UTC(2026, 2, 29, 2, 30), "Europe/Berlin")).toBe(Date.parse("2026-03-29T01:30:00Z"));
    const s = parseCron("30 2 * * *");
    expect(iso(nextOccurrence(s, "Europe/Berlin", new Date("2026-03-28T12:00:00Z")))).toBe("2026-03-29T01:30:00.000Z");
    expect(iso(lastOccurrence(s, "Europe/Berlin", new Date("2026-03-29T01:45:00Z"), 3600))).toBe("2026-03-29T01:30:00.000Z");
    // The next day is ordinary CEST: 02:30 local = 00:30 UTC.
    expect(iso(nextOccurrence(s, "Europe/Berlin", new Date("2026-03-29T02:00:00Z")))).toBe("2026-03-30T00:30:00.000Z");
  });
  it("a start in the repeated autumn hour opens once, at the first 02:30 (Berlin, 2026-10-25)", () => {
    // 02:30 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET).
    expect(wallToInstant(Date.UTC(2026, 9, 25, 2, 30), "Europe/Berlin")).toBe(Date.parse("2026-10-25T00:30:00Z"));
    const s = parseCron("30 2 * * *");
    expect(iso(nextOccurrence(s, "Europe/Berlin", new Date("2026-10-24T12:00:00Z")))).toBe("2026-10-25T00:30:00.000Z");
    expect(iso(nextOccurrence(s, "Europe/Berlin", new Date("2026-10-25T00:30:00Z")))).toBe("2026-10-26T01:30:00.000Z");
    expect(iso(lastOccurrence(s, "Europe/Berlin", new Date("2026-10-25T01:40:00Z"), 30 * 60))).toBeNull();
  });
  it("New York's offsets either side of the spring change", () => {
    const s = parseCron("0 9 * * *");
    expect(iso(nextOccurrence(s, "America/New_York", new Date("2026-03-07T00:00:00Z")))).toBe("2026-03-07T14:00:00.000Z"); // EST
    expect(iso(nextOccurrence(s, "America/New_York", new Date("2026-03-08T00:00:00Z")))).toBe("2026-03-08T13:00:00.000Z"); // EDT
  });
});

describe("nextOccurrence", () => {
  it("finds the first start after an instant", () => {
    expect(iso(nextOccurrence(parseCron("*/15 * * * *"), "UTC", new Date("2026-06-10T02:07:00Z")))).toBe("2026-06-10T02:15:00.000Z");
    expect(iso(nextOccurrence(parseCron("0 0 1 1 *"), "UTC", new Date("2026-06-10T02:07:00Z")))).toBe("2027-01-01T00:00:00.000Z");
  });
  it("gives up after the horizon (February 31st never comes)", () => {
    expect(nextOccurrence(parseCron("0 0 31 2 *"), "UTC", new Date("2026-06-10T00:00:00Z"))).toBeNull();
  });
});
