import { describe, expect, it } from "vitest";
import { formatDuration } from "./duration";

describe("formatDuration", () => {
  it.each([
    [0, "0s"],
    [0.4, "0s"],
    [45, "45s"],
    [59.6, "1m"],
    [90, "1m 30s"],
    [420, "7m"],
    [3_605, "1h"],
    [3_900, "1h 5m"],
    [90_061, "1d 1h"],
    [2 * 86_400 + 5, "2d"],
  ])("%d s reads %s", (s, text) => expect(formatDuration(s)).toBe(text));

  it("reads a missing or negative duration plainly", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(undefined)).toBe("—");
    expect(formatDuration(Number.NaN)).toBe("—");
    expect(formatDuration(-5)).toBe("0s");
  });
});
