/** The auth settings as lib/env.ts reads them. */
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/env";
import { parseCidr } from "@/lib/net/cidr";

describe("auth settings", () => {
  it("IW_TRUSTED_PROXIES: none by default, a list of addresses and CIDRs, a clear error for anything else", () => {
    expect(parseEnv({}).trustedProxies).toEqual([]);
    expect(parseEnv({ IW_TRUSTED_PROXIES: " 10.0.0.0/8, ::1 ,192.0.2.7" }).trustedProxies).toEqual(["10.0.0.0/8", "::1/128", "192.0.2.7/32"].map((c) => parseCidr(c)));
    expect(() => parseEnv({ IW_TRUSTED_PROXIES: "10.0.0.0/8,proxy.internal" })).toThrow(EnvError);
    expect(() => parseEnv({ IW_TRUSTED_PROXIES: "10.0.0.0/40" })).toThrow(/IW_TRUSTED_PROXIES: "10.0.0.0\/40" is not an IP address or CIDR/);
  });

  it("the app's origin: IW_PUBLIC_URL, else NEXTAUTH_URL, else AUTH_URL, else none (the Host header decides)", () => {
    expect(parseEnv({}).appOrigin).toBeUndefined();
    expect(parseEnv({ NEXTAUTH_URL: "https://iw.example/some/path" }).appOrigin).toBe("https://iw.example");
    expect(parseEnv({ AUTH_URL: "http://localhost:3000" }).appOrigin).toBe("http://localhost:3000");
    expect(parseEnv({ IW_PUBLIC_URL: "https://public.example/", NEXTAUTH_URL: "https://other.example" }).appOrigin).toBe("https://public.example");
    expect(parseEnv({ NEXTAUTH_URL: "not a url" }).appOrigin).toBeUndefined();
  });

  it("IW_SESSION_LIFETIME_S defaults to a day", () => {
    expect(parseEnv({}).sessionLifetimeS).toBe(86_400);
    expect(parseEnv({ IW_SESSION_LIFETIME_S: "3600" }).sessionLifetimeS).toBe(3600);
    expect(() => parseEnv({ IW_SESSION_LIFETIME_S: "0" })).toThrow(EnvError);
  });
});
