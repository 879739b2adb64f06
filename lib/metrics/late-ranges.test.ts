import { describe, expect, it } from "vitest";
import { LateRanges } from "./late-ranges";

const B = 300_000;
const O = Date.parse("2000-01-03T00:00:00Z");
const t = (iso: string) => Date.parse(iso);

describe("LateRanges", () => {
  it("widens a range to whole buckets on the shared origin", () => {
    const r = new LateRanges(B, O);
    r.add(t("2026-11-01T10:02:00Z"), t("2026-11-01T10:07:30Z"));
    expect(r.take()).toEqual([{ startMs: t("2026-11-01T10:00:00Z"), endMs: t("2026-11-01T10:10:00Z") }]);
    expect(r.take()).toEqual([]);
  });
  it("merges overlapping and touching ranges, keeps separate ones apart", () => {
    const r = new LateRanges(B, O);
    r.add(t("2026-11-01T10:00:00Z"), t("2026-11-01T10:04:00Z"));
    r.add(t("2026-11-01T10:05:00Z"), t("2026-11-01T10:09:00Z"));
    r.add(t("2026-11-03T00:00:00Z"), t("2026-11-03T00:00:00Z"));
    r.add(t("2026-11-01T09:50:00Z"), t("2026-11-01T10:01:00Z"));
    expect(r.take()).toEqual([
      { startMs: t("2026-11-01T09:50:00Z"), endMs: t("2026-11-01T10:10:00Z") },
      { startMs: t("2026-11-03T00:00:00Z"), endMs: t("2026-11-03T00:05:00Z") },
    ]);
  });
  it("stays bounded: past the limit the closest ranges merge, covering everything added", () => {
    const r = new LateRanges(B, O, 4);
    const days = Array.from({ length: 1000 }, (_, i) => t("2026-10-01T00:00:00Z") + ((i * 7919) % 1000) * 3_600_000);
    for (const d of days) r.add(d, d);
    expect(r.size).toBeLessThanOrEqual(4);
    const ranges = r.take();
    for (const d of days) expect(ranges.some((x) => x.startMs <= d && d < x.endMs)).toBe(true);
  });
});
