import { describe, expect, it } from "vitest";
import { MAX_EXPORT_SPAN_DAYS, MetricsExportQuerySchema, resolveExportRange } from "./range";

const now = Date.parse("2026-06-01T00:00:00Z");
const hostId = "11111111-1111-4111-8111-111111111111";
const resolve = (q: Record<string, string>) => resolveExportRange(MetricsExportQuerySchema.parse({ hostId, ...q }), now);

describe("resolveExportRange", () => {
  it("defaults to the last day as CSV", () => {
    expect(resolve({})).toEqual({ hostId, fromMs: now - 86_400_000, toMs: now, format: "csv" });
  });
  it("refuses unparseable bounds, an inverted range and a range over the limit", () => {
    expect(resolve({ from: "yesterday" })).toEqual({ issues: [expect.objectContaining({ path: "from" })] });
    expect(resolve({ from: "now", to: "-1h" })).toEqual({ issues: [{ path: "from", message: "must not be after to" }] });
    expect(resolve({ from: `-${MAX_EXPORT_SPAN_DAYS + 1}d` })).toEqual({ issues: [expect.objectContaining({ path: "to" })] });
    expect(resolve({ from: `-${MAX_EXPORT_SPAN_DAYS}d` })).toMatchObject({ format: "csv" });
  });
  it("knows only csv and json", () => {
    expect(MetricsExportQuerySchema.safeParse({ hostId, format: "xml" }).success).toBe(false);
  });
});
