import { describe, expect, it } from "vitest";
import type { MetricPoint, SnapshotSummary } from "@/lib/client/types";
import { changesBefore, peakMoment } from "./moment";

const point = (ts: number, cpuPct: number) => ({ ts: new Date(ts).toISOString(), cpuPct, memPct: 1, diskPct: 1, uptimeS: 1 }) as unknown as MetricPoint;
const snap = (ts: number, changed = true) => ({ id: String(ts), ts: new Date(ts).toISOString(), changed, summary: `s${ts}` }) as SnapshotSummary;

describe("peakMoment", () => {
  it("is the highest-CPU bucket inside the range, or the range's end without one", () => {
    const series = [point(1000, 10), point(2000, 80), point(3000, 95), point(4000, 20)];
    expect(peakMoment(series, 1000, 2500)).toBe(2000);
    expect(peakMoment(series, 0, 10_000)).toBe(3000);
    expect(peakMoment(series, 5000, 9000)).toBe(9000);
  });
});

describe("changesBefore", () => {
  it("keeps changes at or before the moment, newest first, without the first snapshot (it changed nothing)", () => {
    const list = [snap(1000, false), snap(2000), snap(3000), snap(5000)];
    expect(changesBefore(list, 3000).map((s) => s.id)).toEqual(["3000", "2000"]);
    expect(changesBefore(list, 10_000, 2).map((s) => s.id)).toEqual(["5000", "3000"]);
  });
});
