import { describe, expect, it } from "vitest";
import { cidrMatcher, normalizeAddress, parseCidr } from "@/lib/net/cidr";
import { resolveClientAddress } from "./client-address";
import { addressSubject, limitKeys } from "./rate-limit";

const trusted = cidrMatcher(["10.0.0.0/8", "127.0.0.1", "::1", "fd00::/8"].map((c) => parseCidr(c)!));

describe("resolveClientAddress", () => {
  it("ignores X-Forwarded-For from a peer that is not a trusted proxy", () => {
    expect(resolveClientAddress("203.0.113.5", "198.51.100.1", trusted)).toBe("203.0.113.5");
    expect(resolveClientAddress("203.0.113.5", "127.0.0.1", trusted)).toBe("203.0.113.5");
  });
  it("takes the rightmost hop that is not a trusted proxy", () => {
    expect(resolveClientAddress("127.0.0.1", "198.51.100.1", trusted)).toBe("198.51.100.1");
    expect(resolveClientAddress("10.1.1.1", "6.6.6.6, 198.51.100.1, 10.2.2.2", trusted)).toBe("198.51.100.1");
    expect(resolveClientAddress("::1", "2001:db8::7, fd00::1", trusted)).toBe("2001:db8::7");
  });
  it("stops at a malformed hop and falls back to the last trusted one", () => {
    expect(resolveClientAddress("10.1.1.1", "198.51.100.1, not-an-ip", trusted)).toBe("10.1.1.1");
    expect(resolveClientAddress("10.1.1.1", "", trusted)).toBe("10.1.1.1");
  });
  it("reads only the last hops of an endless header", () => {
    const long = Array.from({ length: 5000 }, () => "10.0.0.1").join(",");
    expect(resolveClientAddress("10.1.1.1", `198.51.100.1,${long}`, trusted)).toBe("10.0.0.1");
  });
  it("with no trusted proxies, only the peer counts", () => {
    expect(resolveClientAddress("127.0.0.1", "198.51.100.1", cidrMatcher([]))).toBe("127.0.0.1");
  });
});

describe("cidr", () => {
  it("parses addresses and ranges, refuses the rest", () => {
    expect(parseCidr("10.0.0.0/8")).toEqual({ version: 4, base: 0x0a000000n, bits: 8 });
    expect(parseCidr("::1")).toEqual({ version: 6, base: 1n, bits: 128 });
    for (const bad of ["10.0.0.0/33", "::/129", "example.com", "10.0.0.0/x", "10.0.0.0/-1", ""]) expect(parseCidr(bad)).toBeNull();
  });
  it("reads dual-stack peers as IPv4", () => {
    expect(normalizeAddress("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(trusted("::ffff:10.3.4.5")).toBe(true);
    expect(trusted("11.0.0.1")).toBe(false);
  });
});

describe("limit keys", () => {
  it("IPv6 addresses count by their /64, IPv4 by themselves", () => {
    expect(addressSubject("2001:db8:1:2::1")).toBe("2001:db8:1:2::/64");
    expect(addressSubject("2001:0db8:0001:0002:ffff:1:2:3")).toBe("2001:db8:1:2::/64");
    expect(addressSubject("::1")).toBe("0:0:0:0::/64");
    expect(addressSubject("192.0.2.1")).toBe("192.0.2.1");
    expect(limitKeys("a@example.test", "192.0.2.1")).toEqual({ pair: "p:a@example.test|192.0.2.1", address: "a:192.0.2.1", account: "u:a@example.test" });
  });
});
