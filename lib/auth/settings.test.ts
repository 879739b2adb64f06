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

  it("single sign-on: off by default; all three of issuer, client id and secret, or a clear error", () => {
    expect(parseEnv({}).oidc).toBeUndefined();
    expect(parseEnv({}).passwordLogin).toBe(true);
    const sso = { IW_OIDC_ISSUER: "https://id.example.com/realms/ops/", IW_OIDC_CLIENT_ID: "infra-watch", IW_OIDC_CLIENT_SECRET: "s3cret" };
    expect(parseEnv(sso).oidc).toEqual({
      issuer: "https://id.example.com/realms/ops",
      clientId: "infra-watch",
      clientSecret: "s3cret",
      displayName: "id.example.com",
      defaultRole: "viewer",
      roleClaim: undefined,
      roleMap: {},
    });
    expect(() => parseEnv({ IW_OIDC_ISSUER: sso.IW_OIDC_ISSUER, IW_OIDC_CLIENT_ID: "x" })).toThrow(/IW_OIDC_CLIENT_SECRET: is required/);
    expect(() => parseEnv({ ...sso, IW_OIDC_ISSUER: "ftp://id.example.com" })).toThrow(/IW_OIDC_ISSUER/);
    const mapped = parseEnv({ ...sso, IW_OIDC_NAME: "Keycloak", IW_OIDC_DEFAULT_ROLE: "operator", IW_OIDC_ROLE_CLAIM: "groups", IW_OIDC_ROLE_MAP: "admins:admin,ops:operator" }).oidc;
    expect(mapped).toMatchObject({ displayName: "Keycloak", defaultRole: "operator", roleClaim: "groups", roleMap: { admins: "admin", ops: "operator" } });
    expect(() => parseEnv({ ...sso, IW_OIDC_ROLE_MAP: "admins:root" })).toThrow(/IW_OIDC_ROLE_MAP: "admins:root" is not group:role/);
    expect(() => parseEnv({ ...sso, IW_OIDC_DEFAULT_ROLE: "owner" })).toThrow(/IW_OIDC_DEFAULT_ROLE/);
  });

  it("IW_PASSWORD_LOGIN=false turns password sign-in off, and only with single sign-on configured", () => {
    const sso = { IW_OIDC_ISSUER: "https://id.example.com", IW_OIDC_CLIENT_ID: "infra-watch", IW_OIDC_CLIENT_SECRET: "s3cret" };
    expect(parseEnv({ ...sso, IW_PASSWORD_LOGIN: "false" }).passwordLogin).toBe(false);
    expect(() => parseEnv({ IW_PASSWORD_LOGIN: "false" })).toThrow(/IW_PASSWORD_LOGIN: false needs single sign-on/);
  });

  it("never puts the client secret in a configuration error", () => {
    try {
      parseEnv({ IW_OIDC_ISSUER: "not a url", IW_OIDC_CLIENT_ID: "x", IW_OIDC_CLIENT_SECRET: "very-secret-value" });
      expect.unreachable();
    } catch (err) {
      expect(String(err)).not.toContain("very-secret-value");
    }
  });
});
