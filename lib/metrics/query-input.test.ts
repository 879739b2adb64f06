import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { MetricsQuerySchema, resolveMetricsRange } from "./query-input";

const now = Date.parse("2026-12-01T12:00:00Z");
const hostId = "00000000-0000-4000-8000-000000000001";
const resolve = (q: Record<string, string>, retentionDays = 90) => resolveMetricsRange(MetricsQuerySchema.parse({ hostId, ...q }), now, { retentionDays });

/** The failure `resolve` throws, as the fields a test compares; a range that resolves fails the test. */
function failure(q: Record<string, string>, retentionDays?: number) {
  try {
    resolve(q, retentionDays);
  } catch (err) {
    if (err instanceof AppError) return { kind: err.kind, issues: err.issues };
    throw err;
  }
  throw new Error("the range resolved");
}

describe("resolveMetricsRange", () => {
  it("refuses a from older than the retention period, and says why", () => {
    expect(failure({ from: "-11000d", points: "1" })).toEqual({ kind: "invalid", issues: [{ path: "from", message: "must not be more than 90 days ago (samples are kept 90 days)" }] });
    expect(failure({ from: "-91d" })).toMatchObject({ kind: "invalid", issues: [{ path: "from" }] });
    expect(failure({ from: "1990-01-01T00:00:00Z" })).toMatchObject({ kind: "invalid", issues: [{ path: "from" }] });
  });
  it("refuses non-finite and far-future bounds", () => {
    expect(failure({ from: `-${"9".repeat(60)}d` })).toMatchObject({ issues: [{ path: "from" }] });
    expect(failure({ to: "9999-12-31T00:00:00Z" })).toMatchObject({ issues: [{ path: "to" }] });
  });
  it("keeps the 30-day chart working on a shorter retention", () => {
    expect(resolve({ from: "-30d" }, 7)).toHaveProperty("stepS");
    expect(failure({ from: "-32d" }, 7)).toMatchObject({ issues: [{ path: "from", message: "must not be more than 31 days ago (samples are kept 7 days)" }] });
  });
  it("accepts the whole retention period", () => {
    const r = resolve({ from: "-90d", points: "1" });
    expect(r).toMatchObject({ fromMs: now - 90 * 86_400_000, toMs: now });
    expect(r.stepS >= 90 * 86400).toBe(true);
  });
});
