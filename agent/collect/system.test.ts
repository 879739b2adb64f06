import { describe, expect, it } from "vitest";
import { fixture } from "./fixtures/fixture";
import { countProcesses, osName, parseLoadavg, parseOsRelease, parseUptime } from "./system";

describe("system files", () => {
  it("reads load averages and uptime", () => {
    expect(parseLoadavg(fixture("rocky9", "proc/loadavg"))).toMatchObject({ load1: 0.52, load5: 0.61, load15: 0.58 });
    expect(parseUptime(fixture("rocky9", "proc/uptime"))).toBe(723664);
    expect(parseUptime(fixture("debian12", "proc/uptime"))).toBe(327);
  });

  it("takes the thread count from /proc/loadavg's running/total field, and leaves it out when the field is unreadable", () => {
    expect(parseLoadavg("0.08 0.29 0.16 1/143 6509\n")).toEqual({ load1: 0.08, load5: 0.29, load15: 0.16, threadCount: 143 });
    expect(parseLoadavg(fixture("alpine319", "proc/loadavg")).threadCount).toBe(97);
    expect(parseLoadavg(fixture("rocky9", "proc/loadavg")).threadCount).toBe(412);
    for (const bad of ["0.1 0.2 0.3", "0.1 0.2 0.3 1/x 9", "0.1 0.2 0.3 1/-4 9", "0.1 0.2 0.3 1/1.5 9", ""]) expect(parseLoadavg(bad).threadCount, bad).toBeUndefined();
  });

  it("counts processes as the all-digit entries of /proc", () => {
    expect(countProcesses(["1", "42", "self", "thread-self", "net", "sys", "12a", "", "9999999"])).toBe(3);
    expect(countProcesses([])).toBe(0);
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
