import { describe, expect, it } from "vitest";
import { fixture } from "./fixtures/fixture";
import { memoryUsage, parseMeminfo } from "./memory";

describe("memoryUsage", () => {
  it("counts used as total minus available, in bytes (Debian, no swap)", () => {
    const m = memoryUsage(parseMeminfo(fixture("debian12", "proc/meminfo")));
    expect(m.memTotalBytes).toBe(24684084 * 1024);
    expect(m.memUsedBytes).toBe((24684084 - 24070740) * 1024);
    expect(m.memPct).toBeCloseTo(((24684084 - 24070740) / 24684084) * 100, 2);
    expect(m.swapPct).toBe(0);
  });

  it("reports swap in use (Rocky)", () => {
    const m = memoryUsage(parseMeminfo(fixture("rocky9", "proc/meminfo")));
    expect(m.memPct).toBeCloseTo(36.4, 1);
    expect(m.swapPct).toBeCloseTo(((2097148 - 1723900) / 2097148) * 100, 2);
  });

  it("reads a short Alpine meminfo", () => {
    const m = memoryUsage(parseMeminfo(fixture("alpine319", "proc/meminfo")));
    expect(m.memPct).toBeCloseTo(20.23, 1);
    expect(m.swapPct).toBe(0);
  });

  it("estimates available memory on kernels without MemAvailable", () => {
    const m = memoryUsage(parseMeminfo("MemTotal: 1000 kB\nMemFree: 200 kB\nBuffers: 100 kB\nCached: 200 kB\nSReclaimable: 100 kB\n"));
    expect(m.memPct).toBe(40);
  });

  it("keeps counts without a unit as they are", () => {
    expect(parseMeminfo("HugePages_Total:       4\n").get("HugePages_Total")).toBe(4);
  });
});
