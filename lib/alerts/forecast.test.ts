import { describe, expect, it } from "vitest";
import { fitLine, forecastBreaches, forecastUsage, sinceLastDrop, type UsagePoint } from "./forecast";

const NOW = new Date("2026-03-01T12:00:00Z");
const MIN = 60_000;

/** One point a minute over `minutes`, ending now, with pct from `f(minutesAgo)`. */
function series(minutes: number, f: (minutesAgo: number, i: number) => number): UsagePoint[] {
  const out: UsagePoint[] = [];
  for (let i = minutes; i >= 0; i--) out.push({ t: NOW.getTime() - i * MIN, pct: f(i, minutes - i) });
  return out;
}

/** A deterministic pseudo-random sequence, so the noise test cannot flake. */
function lcg(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe("fitLine", () => {
  it("recovers slope and intercept of an exact line", () => {
    const fit = fitLine([{ t: 0, pct: 10 }, { t: 1000, pct: 12 }, { t: 2000, pct: 14 }], 2000)!;
    expect(fit.slopePerSecond).toBeCloseTo(2, 10);
    expect(fit.valueAtOrigin).toBeCloseTo(14, 10);
  });
  it("has no answer when every point has the same time", () => {
    expect(fitLine([{ t: 5, pct: 1 }, { t: 5, pct: 2 }], 0)).toBeNull();
  });
});

describe("forecastUsage", () => {
  it("steady growth: 1 point per hour from 60 % reaches 100 % in 40 h", () => {
    const f = forecastUsage(series(360, (ago) => 60 - ago / 60), { now: NOW, threshold: 100 });
    expect(f.state).toBe("reaching");
    if (f.state !== "reaching") return;
    expect(f.current).toBeCloseTo(60, 6);
    expect(f.slopePerHour).toBeCloseTo(1, 6);
    expect(f.secondsToThreshold).toBeCloseTo(40 * 3600, 0);
    expect(forecastBreaches(f, 48 * 3600)).toBe(true);
    expect(forecastBreaches(f, 24 * 3600)).toBe(false);
  });

  it("a lower threshold comes sooner", () => {
    const f = forecastUsage(series(360, (ago) => 60 - ago / 60), { now: NOW, threshold: 90 });
    expect(f.state === "reaching" && Math.round(f.secondsToThreshold / 3600)).toBe(30);
  });

  it("noise around a trend still finds the trend", () => {
    const rnd = lcg(42);
    const f = forecastUsage(series(360, (ago) => 70 - (2 * ago) / 60 + (rnd() - 0.5) * 3), { now: NOW, threshold: 100 });
    expect(f.state).toBe("reaching");
    if (f.state !== "reaching") return;
    expect(f.slopePerHour).toBeGreaterThan(1.8);
    expect(f.slopePerHour).toBeLessThan(2.2);
    // 30 points at 2 per hour: 15 h, within a tolerance the noise allows.
    expect(f.secondsToThreshold / 3600).toBeGreaterThan(14);
    expect(f.secondsToThreshold / 3600).toBeLessThan(16);
  });

  it("a deletion resets the trend: only the part after the last big drop counts", () => {
    // Growing 10 points an hour to 95 %, then cleaned to 40 % two hours ago, growing 1 point an hour since.
    const points = series(360, (ago) => (ago > 120 ? 95 - ((ago - 120) * 10) / 60 : 40 - ago / 60 + 2));
    expect(sinceLastDrop(points).length).toBe(121);
    const f = forecastUsage(points, { now: NOW, threshold: 100 });
    expect(f.state).toBe("reaching");
    if (f.state !== "reaching") return;
    expect(f.slopePerHour).toBeCloseTo(1, 6);
    expect(f.current).toBeCloseTo(42, 6);
    expect(f.secondsToThreshold / 3600).toBeCloseTo(58, 3);
  });

  it("a line through the whole window (ignoring the drop) would have said the disk is emptying", () => {
    const points = series(360, (ago) => (ago > 120 ? 95 - ((ago - 120) * 10) / 60 : 40 - ago / 60 + 2));
    expect(fitLine(points, NOW.getTime())!.slopePerSecond).toBeLessThan(0);
  });

  it("just after a deletion there is too little data to say anything", () => {
    const points = series(360, (ago) => (ago > 3 ? 90 : 30));
    expect(forecastUsage(points, { now: NOW, threshold: 100 })).toEqual({ state: "insufficient", points: 4 });
  });

  it("a flat disk never fills", () => {
    const f = forecastUsage(series(360, () => 55), { now: NOW, threshold: 100 });
    expect(f.state).toBe("never");
    expect(forecastBreaches(f, 365 * 86_400)).toBe(false);
  });

  it("a shrinking disk never fills", () => {
    expect(forecastUsage(series(360, (ago) => 50 + ago / 120), { now: NOW, threshold: 100 }).state).toBe("never");
  });

  it("a disk at the threshold has reached it", () => {
    const f = forecastUsage(series(60, () => 100), { now: NOW, threshold: 100 });
    expect(f.state).toBe("reached");
    expect(forecastBreaches(f, 1)).toBe(true);
  });

  it("too few points or too short a span is no forecast", () => {
    expect(forecastUsage(series(3, (ago) => 50 - ago), { now: NOW, threshold: 100 }).state).toBe("insufficient");
    expect(forecastUsage([], { now: NOW, threshold: 100 }).state).toBe("insufficient");
    const quick = [0, 1, 2, 3, 4, 5].map((i) => ({ t: NOW.getTime() - i * 1000, pct: 50 + i })).reverse();
    expect(forecastUsage(quick, { now: NOW, threshold: 100 }).state).toBe("insufficient");
  });

  it("small dips below the drop size do not reset the trend", () => {
    const points = series(120, (ago) => 50 - ago / 60 + (ago % 10 === 0 ? -2 : 0));
    expect(sinceLastDrop(points).length).toBe(points.length);
    expect(forecastUsage(points, { now: NOW, threshold: 100 }).state).toBe("reaching");
  });
});
