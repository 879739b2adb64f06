import { describe, expect, it } from "vitest";
import { cpuUsage, parseProcStat } from "./cpu";
import { fixture } from "./fixtures/fixture";

describe("parseProcStat", () => {
  it("reads the total, every core and the boot time (Debian, 2 cores)", () => {
    const r = parseProcStat(fixture("debian12", "proc/stat"));
    // cpu  5649 0 3631 55241 247 0 71 10 0 0
    expect(r.all).toEqual({ total: 5649 + 3631 + 55241 + 247 + 71 + 10, busy: 5649 + 3631 + 71 + 10 });
    expect(r.cores).toHaveLength(2);
    expect(r.bootTime).toBe(1796115676);
  });

  it("leaves guest time out of the total: the kernel already counts it in user", () => {
    const r = parseProcStat("cpu  100 0 0 100 0 0 0 0 50 0\n");
    expect(r.all).toEqual({ busy: 100, total: 200 });
  });
});

describe("cpuUsage", () => {
  it("is the busy share of the jiffies between two readings (Rocky, 4 cores over 15 s)", () => {
    const usage = cpuUsage(parseProcStat(fixture("rocky9", "proc/stat")), parseProcStat(fixture("rocky9", "proc/stat.15s-later")));
    // busy: 408 user + 226 system + 7 softirq + 2 steal = 643; total adds 5609 idle + 9 iowait
    expect(usage.cpuPct).toBeCloseTo((643 / 6261) * 100, 1);
    expect(usage.cpuCores).toHaveLength(4);
    expect(usage.cpuCores[0]).toBeGreaterThan(usage.cpuCores[1]!);
  });

  it("stays within 0..100 on a single-core Alpine host and on a reading that did not advance", () => {
    const a = parseProcStat(fixture("alpine319", "proc/stat"));
    const b = parseProcStat(fixture("alpine319", "proc/stat.1s-later"));
    expect(cpuUsage(a, b).cpuPct).toBeCloseTo((53 / 101) * 100, 1);
    expect(cpuUsage(a, a)).toEqual({ cpuPct: 0, cpuCores: [0] });
  });

  it("measures this Debian machine's real second", () => {
    const usage = cpuUsage(parseProcStat(fixture("debian12", "proc/stat")), parseProcStat(fixture("debian12", "proc/stat.1s-later")));
    expect(usage.cpuPct).toBeGreaterThanOrEqual(0);
    expect(usage.cpuPct).toBeLessThanOrEqual(100);
  });
});
