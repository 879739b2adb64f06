import { describe, expect, it } from "vitest";
import { diskUsage, parseMounts, primaryDiskPct, realFilesystems } from "./disks";
import { fixture } from "./fixtures/fixture";

const mountPoints = (text: string) => realFilesystems(parseMounts(text)).map((m) => m.mount);

describe("realFilesystems", () => {
  it("keeps only the root of this Debian machine (devtmpfs, tmpfs, cgroup... skipped)", () => {
    expect(mountPoints(fixture("debian12", "proc/mounts"))).toEqual(["/"]);
  });

  it("keeps xfs and vfat, skips overlay and nsfs, and one mount per device (Rocky)", () => {
    expect(mountPoints(fixture("rocky9", "proc/mounts"))).toEqual(["/", "/boot", "/boot/efi", "/home", "/var/lib/docker"]);
  });

  it("handles Alpine's OpenRC cgroup mounts", () => {
    expect(mountPoints(fixture("alpine319", "proc/mounts"))).toEqual(["/", "/boot", "/var/lib/data"]);
  });

  it("decodes octal escapes in mount points", () => {
    expect(parseMounts("/dev/sdb1 /srv/My\\040Share ext4 rw 0 0\n")[0]?.mount).toBe("/srv/My Share");
  });
});

describe("diskUsage", () => {
  it("computes df's percentage from this machine's statfs of / (reserved blocks excluded)", () => {
    const d = diskUsage("/", { bsize: 4096, blocks: 66053021, bfree: 60030699, bavail: 20575406 });
    expect(d.totalBytes).toBe(66053021 * 4096);
    expect(d.usedBytes).toBe((66053021 - 60030699) * 4096);
    expect(d.pct).toBeCloseTo((6022322 / (6022322 + 20575406)) * 100, 2);
  });

  it("reads 100 % when only reserved blocks are left", () => {
    expect(diskUsage("/", { bsize: 4096, blocks: 100, bfree: 5, bavail: 0 }).pct).toBe(100);
  });
});

describe("primaryDiskPct", () => {
  const disk = (mount: string, pct: number, totalBytes: number) => ({ mount, pct, usedBytes: 0, totalBytes });
  it("is the root filesystem's", () => {
    expect(primaryDiskPct([disk("/data", 90, 1e12), disk("/", 20, 1e10)])).toBe(20);
  });
  it("is the largest one's without a root mount (containers, some appliances)", () => {
    expect(primaryDiskPct([disk("/a", 10, 1e9), disk("/b", 70, 1e12)])).toBe(70);
  });
  it("is 0 with no real filesystem", () => {
    expect(primaryDiskPct([])).toBe(0);
  });
});
