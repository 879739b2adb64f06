import { describe, expect, it } from "vitest";
import { parseRoleMap, providerDisplayName, roleFromClaims, verifiedEmail } from "./oidc";

describe("parseRoleMap", () => {
  it("reads group:role pairs and lists what it cannot read", () => {
    expect(parseRoleMap("admins:admin, ops:operator,,")).toEqual({ map: { admins: "admin", ops: "operator" }, invalid: [] });
    expect(parseRoleMap("cn=ops,ou=x:operator").invalid).toEqual(["cn=ops"]);
    expect(parseRoleMap("a:root,:admin,noColon").invalid).toEqual(["a:root", ":admin", "noColon"]);
    // A group name may itself hold a colon: the role is after the last one.
    expect(parseRoleMap("team:ops:operator").map).toEqual({ "team:ops": "operator" });
  });
});

describe("roleFromClaims", () => {
  const settings = { roleClaim: "groups", roleMap: { admins: "admin", ops: "operator" } as const, defaultRole: "viewer" as const };
  it("takes the highest mapped role among the groups", () => {
    expect(roleFromClaims({ groups: ["ops", "admins", "other"] }, settings)).toBe("admin");
    expect(roleFromClaims({ groups: ["other", "ops"] }, settings)).toBe("operator");
  });
  it("falls back to the default role", () => {
    expect(roleFromClaims({ groups: ["other"] }, settings)).toBe("viewer");
    expect(roleFromClaims({}, settings)).toBe("viewer");
    expect(roleFromClaims({ groups: ["admins"] }, { ...settings, roleClaim: undefined, defaultRole: "operator" })).toBe("operator");
  });
  it("accepts a single group as a string and ignores what is not a name", () => {
    expect(roleFromClaims({ groups: "ops" }, settings)).toBe("operator");
    expect(roleFromClaims({ groups: [42, { admins: true }, null] }, settings)).toBe("viewer");
  });
  it("does not treat inherited object keys as groups", () => {
    expect(roleFromClaims({ groups: ["constructor", "toString", "__proto__"] }, settings)).toBe("viewer");
  });
});

describe("verifiedEmail", () => {
  it("accepts only an explicitly verified address, lower-cased", () => {
    expect(verifiedEmail({ email: "Ann@Example.test", email_verified: true })).toEqual({ email: "ann@example.test" });
    expect(verifiedEmail({ email: "ann@example.test", email_verified: "true" })).toEqual({ email: "ann@example.test" });
  });
  it("refuses an unverified or missing address", () => {
    expect(verifiedEmail({ email: "ann@example.test", email_verified: false })).toEqual({ refused: "unverified" });
    expect(verifiedEmail({ email: "ann@example.test" })).toEqual({ refused: "unverified" });
    expect(verifiedEmail({ email_verified: true })).toEqual({ refused: "no-email" });
    expect(verifiedEmail({ email: "not an address", email_verified: true })).toEqual({ refused: "no-email" });
    expect(verifiedEmail({ email: `${"a".repeat(250)}@x.test`, email_verified: true })).toEqual({ refused: "no-email" });
  });
});

describe("providerDisplayName", () => {
  it("prefers IW_OIDC_NAME, else the issuer's host", () => {
    expect(providerDisplayName("https://id.example.com/realms/ops", "Keycloak")).toBe("Keycloak");
    expect(providerDisplayName("https://id.example.com:8443/realms/ops", undefined)).toBe("id.example.com:8443");
  });
});
