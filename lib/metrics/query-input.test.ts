import { describe, expect, it } from "vitest";
import { MetricsQuerySchema, resolveMetricsRange } from "./query-input";

const now = Date.parse("2026-12-01T12:00:00Z");
const hostId = "00000000-0000-4000-8000-000000000001";
const resolve = (q: Record<string, string>) => resolveMetricsRange(MetricsQuerySchema.parse({ hostId, ...q }), now, { retentionDays: 90 });

describe("resolveMetricsRange", () => {
  it("refuses a from older than the retention period, and says why", () => {
    expect(resolve({ from: "-11000d", points: "1" })).toEqual({ issues: [{ path: "from", message: "must not be more than 90 days ago (samples are kept 90 days)" }] });
    expect(resolve({ from: "-91d" })).toHaveProperty("issues");
    expect(resolve({ from: "1990-01-01T00:00:00Z" })).toHaveProperty("issues");
  });
  it("refuses non-finite and far-future bounds", () => {
    expect(resolve({ from: `-${"9".repeat(60)}d` })).toMatchObject({ issues: [{ path: "from" }] });
    expect(resolve({ to: "9999-12-31T00:00:00Z" })).toMatchObject({ issues: [{ path: "to" }] });
  });
  it("keeps the 30-day chart working on a shorter retention", () => {
    const short = (from: string) => resolveMetricsRange(MetricsQuerySchema.parse({ hostId, from }), now, { retentionDays: 7 });
    expect(short("-30d")).toHaveProperty("stepS");
    expect(short("-32d")).toMatchObject({ issues: [{ path: "from", message: "must not be more than 31 days ago (samples are kept 7 days)" }] });
  });
  it("accepts the whole retention period", () => {
    const r = resolve({ from: "-90d", points: "1" });
    expect(r).toMatchObject({ fromMs: now - 90 * 86_400_000, toMs: now });
    expect("stepS" in r && r.stepS >= 90 * 86400).toBe(true);
  });
});
