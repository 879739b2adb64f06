/**
 * Time ranges of late samples waiting for the continuous aggregate to be refreshed over them.
 * Ranges are widened to whole aggregate buckets and coalesced: overlapping or touching ranges
 * merge, and past `maxRanges` the two closest merge, so memory and the number of refresh
 * calls stay bounded however many late batches arrive.
 */
export type TimeRange = { startMs: number; endMs: number };

export class LateRanges {
  private ranges: TimeRange[] = [];

  constructor(
    private readonly bucketMs: number,
    private readonly originMs: number,
    private readonly maxRanges = 16,
  ) {}

  /** Adds [fromMs, toMs] (both inclusive sample times), widened to the buckets holding them. */
  add(fromMs: number, toMs: number) {
    const startMs = this.originMs + Math.floor((fromMs - this.originMs) / this.bucketMs) * this.bucketMs;
    const endMs = this.originMs + (Math.floor((toMs - this.originMs) / this.bucketMs) + 1) * this.bucketMs;
    const all = [...this.ranges, { startMs, endMs }].sort((a, b) => a.startMs - b.startMs);
    const merged: TimeRange[] = [];
    for (const r of all) {
      const last = merged.at(-1);
      if (last && r.startMs <= last.endMs) last.endMs = Math.max(last.endMs, r.endMs);
      else merged.push({ ...r });
    }
    while (merged.length > this.maxRanges) {
      let best = 0;
      for (let i = 1; i < merged.length - 1; i++) if (merged[i + 1]!.startMs - merged[i]!.endMs < merged[best + 1]!.startMs - merged[best]!.endMs) best = i;
      merged[best]!.endMs = merged[best + 1]!.endMs;
      merged.splice(best + 1, 1);
    }
    this.ranges = merged;
  }

  get size() {
    return this.ranges.length;
  }

  /** The pending ranges, oldest first; the set is empty afterwards. */
  take(): TimeRange[] {
    const taken = this.ranges;
    this.ranges = [];
    return taken;
  }
}
