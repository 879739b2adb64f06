import { describe, expect, it } from "vitest";
import { alignDown, chooseStep, parseTime } from "./range";

const now = Date.parse("2026-12-01T12:00:00Z");

describe("parseTime", () => {
  it("reads relative and absolute times", () => {
    expect(parseTime("now", now)).toBe(now);
    expect(parseTime("-24h", now)).toBe(now - 86_400_000);
    expect(parseTime("-7d", now)).toBe(now - 7 * 86_400_000);
    expect(parseTime("-15m", now)).toBe(now - 900_000);
    expect(parseTime("-30s", now)).toBe(now - 30_000);
    expect(parseTime("2026-11-30T00:00:00Z", now)).toBe(Date.parse("2026-11-30T00:00:00Z"));
    expect(parseTime("2026-11-30T01:00:00+01:00", now)).toBe(Date.parse("2026-11-30T00:00:00Z"));
  });
  it("rejects anything else", () => {
    for (const bad of ["", "yesterday", "-5y", "24h", "12345", "2026-13-45T99:00:00Z", "-h"]) expect(parseTime(bad, now)).toBeNull();
  });
});

describe("chooseStep", () => {
  it("never yields more buckets than points", () => {
    for (const [rangeS, points] of [
      [900, 2000],
      [3600, 300],
      [86400, 300],
      [7 * 86400, 300],
      [30 * 86400, 300],
      [30 * 86400, 2000],
      [365 * 86400, 10],
      [61, 2],
    ] as const) {
      for (const offset of [0, 1234, 59_999, 86_399_000]) {
        const from = now - rangeS * 1000 + offset;
        const to = now + offset;
        const step = chooseStep(from, to, points);
        const buckets = Math.floor((to - alignDown(from, step)) / (step * 1000)) + 1;
        expect(buckets).toBeLessThanOrEqual(points);
      }
    }
  });
  it("keeps fine steps for short ranges and aggregate-friendly steps for long ones", () => {
    expect(chooseStep(now - 900_000, now, 2000)).toBe(1);
    expect(chooseStep(now - 30 * 86_400_000, now, 300) % 300).toBe(0);
  });
});

describe("alignDown", () => {
  it("aligns to the shared origin", () => {
    expect(alignDown(Date.parse("2026-12-01T12:03:20Z"), 300)).toBe(Date.parse("2026-12-01T12:00:00Z"));
    expect(alignDown(Date.parse("2026-12-01T12:00:00Z"), 300)).toBe(Date.parse("2026-12-01T12:00:00Z"));
  });
});

describe("chooseStep with extreme inputs", () => {
  const origin = Date.parse("2000-01-03T00:00:00Z");
  it("returns at once for a range crossing the bucket origin with points=1 (it used to loop forever)", () => {
    const step = chooseStep(now - 11_000 * 86_400_000, now, 1);
    expect(Number.isFinite(step)).toBe(true);
    expect(step % 86400).toBe(0);
    // One bucket cannot hold a range the origin splits; two must.
    const buckets = Math.floor((now - alignDown(now - 11_000 * 86_400_000, step)) / (step * 1000)) + 1;
    expect(buckets).toBeLessThanOrEqual(2);
  });
  it("fits one bucket when the range does not cross the origin", () => {
    for (const days of [1.5, 30, 90, 3650]) {
      const from = now - days * 86_400_000;
      const step = chooseStep(from, now, 1);
      expect(Math.floor((now - alignDown(from, step)) / (step * 1000)) + 1).toBe(1);
    }
  });
  it("never yields more buckets than points over long ranges, for every points value", () => {
    for (const days of [2, 45, 365, 3650, 11_000]) {
      for (const points of [2, 3, 7, 299, 300, 2000]) {
        for (const from of [now - days * 86_400_000, origin - 1000, origin + 1000]) {
          const to = Math.max(from + days * 86_400_000, from);
          const step = chooseStep(from, to, points);
          expect(Math.floor((to - alignDown(from, step)) / (step * 1000)) + 1).toBeLessThanOrEqual(points);
        }
      }
    }
  });
  it("refuses non-finite bounds instead of computing with them", () => {
    expect(() => chooseStep(-Infinity, now, 1)).toThrow(RangeError);
    expect(() => chooseStep(Number.NaN, now, 300)).toThrow(RangeError);
  });
});
