import { describe, expect, it } from "vitest";
import { chartColumns, pointsFor } from "./chart-points";

describe("chartColumns", () => {
  it("follows the grid's breakpoints", () => {
    expect(chartColumns(1280)).toBe(3);
    expect(chartColumns(1100)).toBe(2);
    expect(chartColumns(701)).toBe(2);
    expect(chartColumns(700)).toBe(1);
  });
});

describe("pointsFor", () => {
  it("asks for about one point per pixel of one chart's plot, in steps of 20", () => {
    // 3 columns of (1240 - 24) / 3 = 405 px, minus 72 px of padding and axis = 333 -> 340
    expect(pointsFor(1240, 1280)).toBe(340);
    expect(pointsFor(1240, 1280) % 20).toBe(0);
  });
  it("gives one wide chart more points than a third of the same width", () => {
    expect(pointsFor(660, 690)).toBeGreaterThan(pointsFor(660, 1280));
  });
  it("stays within the API's 60 to 2000", () => {
    expect(pointsFor(0, 300)).toBe(60);
    expect(pointsFor(100_000, 600)).toBe(2000);
  });
});
