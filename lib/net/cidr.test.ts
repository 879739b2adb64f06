import { describe, expect, it } from "vitest";
import { cidrContains, embeddedIpv4, parseCidr, parseCidrList, parseIp, refusedRange } from "@/lib/net/cidr";

const ip = (s: string) => {
  const v = parseIp(s);
  if (!v) throw new Error(`not an address: ${s}`);
  return v;
};

describe("parseIp", () => {
  it("reads IPv4 and IPv6 in their usual spellings", () => {
    expect(parseIp("192.0.2.1")).toEqual({ version: 4, value: 0xc0000201n });
    expect(parseIp("::1")).toEqual({ version: 6, value: 1n });
    expect(parseIp("[::1]")).toEqual({ version: 6, value: 1n });
    expect(parseIp("::")).toEqual({ version: 6, value: 0n });
    expect(parseIp("2001:db8::8:800:200c:417a")?.value).toBe(0x20010db80000000000080800200c417an);
    expect(parseIp("1:2:3:4:5:6:7:8")?.value).toBe(0x00010002000300040005000600070008n);
    expect(parseIp("::ffff:10.1.2.3")?.value).toBe(0xffff0a010203n);
    expect(parseIp("fe80::1%eth0")?.value).toBe(0xfe800000000000000000000000000001n);
  });

  it("refuses names and ambiguous forms", () => {
    for (const s of ["localhost", "", "1.2.3", "1.2.3.4.5", "256.0.0.1", "0x7f.0.0.1", "017.0.0.1", "1.2.3.-4", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "g::1", ":::"]) {
      expect(parseIp(s), s).toBeNull();
    }
  });
});

describe("parseCidr", () => {
  it("reads ranges and bare addresses, and refuses host bits", () => {
    expect(parseCidr("10.0.0.0/8")).toEqual({ version: 4, base: 0x0a000000n, bits: 8 });
    expect(parseCidr("127.0.0.1")).toEqual({ version: 4, base: 0x7f000001n, bits: 32 });
    expect(parseCidr("fd00::/8")).toMatchObject({ version: 6, bits: 8 });
    expect(parseCidr("0.0.0.0/0")).toEqual({ version: 4, base: 0n, bits: 0 });
    for (const s of ["10.0.0.1/8", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x", "nope/8"]) expect(parseCidr(s), s).toBeNull();
  });

  it("parses a setting's list and names the bad entries", () => {
    expect(parseCidrList(" 127.0.0.0/8, ::1 ,,10.0.0.1/8")).toEqual({ cidrs: [parseCidr("127.0.0.0/8"), parseCidr("::1")], invalid: ["10.0.0.1/8"] });
    expect(parseCidrList(undefined)).toEqual({ cidrs: [], invalid: [] });
  });

  it("contains what its prefix covers", () => {
    const c = parseCidr("172.16.0.0/12")!;
    expect(cidrContains(c, ip("172.31.255.255"))).toBe(true);
    expect(cidrContains(c, ip("172.32.0.0"))).toBe(false);
    expect(cidrContains(c, ip("::ffff:172.16.0.1"))).toBe(false);
  });
});

describe("refusedRange", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["0.0.0.0", "unspecified"],
    ["10.9.8.7", "private"],
    ["172.16.0.1", "private"],
    ["172.31.0.1", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "link-local"],
    ["100.64.0.1", "carrier-grade NAT"],
    ["100.127.255.255", "carrier-grade NAT"],
    ["224.0.0.1", "multicast"],
    ["255.255.255.255", "reserved"],
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["fe80::1", "link-local"],
    ["febf::1", "link-local"],
    ["fc00::1", "unique-local"],
    ["fd12:3456::1", "unique-local"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:169.254.169.254", "link-local"],
    ["::ffff:10.0.0.1", "private"],
    ["64:ff9b::a00:1", "private"],
    ["::7f00:1", "loopback"],
  ])("refuses %s (%s)", (address, why) => expect(refusedRange(ip(address))).toBe(why));

  it.each(["93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "169.255.0.1", "2606:4700::1111", "::ffff:8.8.8.8", "fec0::1".replace("fec0", "2001")])("lets %s through", (address) =>
    expect(refusedRange(ip(address))).toBeNull(),
  );

  it("allows exactly what the allow-list names, IPv4-mapped forms included", () => {
    const allow = parseCidrList("127.0.0.0/8,fd00::/8").cidrs;
    expect(refusedRange(ip("127.0.0.1"), allow)).toBeNull();
    expect(refusedRange(ip("::ffff:127.0.0.1"), allow)).toBeNull();
    expect(refusedRange(ip("fd00::5"), allow)).toBeNull();
    expect(refusedRange(ip("::1"), allow)).toBe("loopback");
    expect(refusedRange(ip("10.0.0.1"), allow)).toBe("private");
    expect(refusedRange(ip("fc00::1"), allow)).toBe("unique-local");
  });

  it("finds the IPv4 address inside mapped forms only", () => {
    expect(embeddedIpv4(ip("::ffff:1.2.3.4"))).toEqual(ip("1.2.3.4"));
    expect(embeddedIpv4(ip("2001:db8::1"))).toBeNull();
    expect(embeddedIpv4(ip("1.2.3.4"))).toBeNull();
  });
});
