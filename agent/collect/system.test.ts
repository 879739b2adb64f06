import { describe, expect, it } from "vitest";
import { fixture } from "./fixtures/fixture";
import { osName, parseLoadavg, parseOsRelease, parseUptime } from "./system";

describe("system files", () => {
  it("reads load averages and uptime", () => {
    expect(parseLoadavg(fixture("rocky9", "proc/loadavg"))).toEqual({ load1: 0.52, load5: 0.61, load15: 0.58 });
    expect(parseUptime(fixture("rocky9", "proc/uptime"))).toBe(723664);
    expect(parseUptime(fixture("debian12", "proc/uptime"))).toBe(327);
  });

  it.each([
    ["debian12", "Debian GNU/Linux 12 (bookworm)"],
    ["rocky9", "Rocky Linux 9.3 (Blue Onyx)"],
    ["alpine319", "Alpine Linux v3.19"],
  ] as const)("names the OS of %s", (distro, name) => {
    expect(osName(parseOsRelease(fixture(distro, "etc/os-release")))).toBe(name);
  });

  it("falls back to NAME and VERSION without PRETTY_NAME", () => {
    expect(osName(parseOsRelease('NAME="Gentoo"\nVERSION_ID=2.15\n'))).toBe("Gentoo 2.15");
  });
});
