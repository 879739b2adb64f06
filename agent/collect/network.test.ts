import { describe, expect, it } from "vitest";
import { fixture } from "./fixtures/fixture";
import { defaultRouteInterface, networkRates, parseNetDev, primaryIp } from "./network";

describe("parseNetDev", () => {
  it("reads rx and tx bytes per interface (Debian)", () => {
    const c = parseNetDev(fixture("debian12", "proc/net/dev"));
    expect([...c.keys()]).toEqual(["lo", "ifb0", "ifb1", "eth0"]);
    expect(c.get("eth0")).toEqual({ rxBytes: 641001679, txBytes: 1176762 });
  });
});

describe("networkRates", () => {
  it("sums every interface but loopback over the interval (Rocky, 15 s)", () => {
    const r = networkRates(parseNetDev(fixture("rocky9", "proc/net/dev")), parseNetDev(fixture("rocky9", "proc/net/dev.15s-later")), 15);
    // docker0 was re-created (counters went to 0): it adds nothing rather than a negative rate
    expect(r).toEqual({ netRxBps: 100000, netTxBps: 20000 });
  });

  it("is 0 over no time", () => {
    const c = parseNetDev(fixture("alpine319", "proc/net/dev"));
    expect(networkRates(c, c, 0)).toEqual({ netRxBps: 0, netTxBps: 0 });
  });
});

describe("defaultRouteInterface", () => {
  it.each([
    ["debian12", "eth0"],
    ["rocky9", "ens192"],
    ["alpine319", "eth0"],
  ] as const)("%s -> %s", (distro, iface) => {
    expect(defaultRouteInterface(fixture(distro, "proc/net/route"))).toBe(iface);
  });

  it("prefers the lowest metric and ignores routes that are down", () => {
    const table = "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\nwlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\neth0\t00000000\t0100000A\t0003\t0\t0\t100\t00000000\neth1\t00000000\t0100000A\t0002\t0\t0\t1\t00000000\n";
    expect(defaultRouteInterface(table)).toBe("eth0");
  });
});

describe("primaryIp", () => {
  const addr = (address: string, family: "IPv4" | "IPv6", internal = false) =>
    ({ address, family, internal, netmask: "", mac: "", cidr: null }) as never;
  const interfaces = { lo: [addr("127.0.0.1", "IPv4", true)], docker0: [addr("172.17.0.1", "IPv4")], eth0: [addr("fe80::1", "IPv6"), addr("192.0.2.2", "IPv4")] };

  it("is the default route interface's IPv4 address", () => {
    expect(primaryIp("eth0", interfaces)).toBe("192.0.2.2");
  });
  it("falls back to the first external address without a default route", () => {
    expect(primaryIp(undefined, interfaces)).toBe("172.17.0.1");
  });
  it("uses a global IPv6 address on an IPv6-only host", () => {
    expect(primaryIp(undefined, { lo: [addr("::1", "IPv6", true)], eth0: [addr("fe80::1", "IPv6"), addr("2001:db8::5", "IPv6")] })).toBe("2001:db8::5");
  });
});
