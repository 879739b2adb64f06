import { describe, expect, it } from "vitest";
import { nextTick, tickPhase } from "./run";

describe("tick schedule", () => {
  it("puts every tick on the host's grid, strictly after now", () => {
    const phase = tickPhase("host-1", 15_000);
    expect(phase).toBeGreaterThanOrEqual(0);
    expect(phase).toBeLessThan(15_000);
    const now = 1_796_000_000_123;
    const t = nextTick(now, 15_000, phase);
    expect(t).toBeGreaterThan(now);
    expect(t - now).toBeLessThanOrEqual(15_000);
    expect((t - phase) % 15_000).toBe(0);
    expect(nextTick(t, 15_000, phase)).toBe(t + 15_000);
  });

  it("spreads hosts over the interval", () => {
    const phases = new Set(Array.from({ length: 50 }, (_, i) => tickPhase(`host-${i}`, 15_000)));
    expect(phases.size).toBeGreaterThan(45);
  });
});
