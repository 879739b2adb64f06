import { describe, expect, it } from "vitest";
import { LAST_USE_RESOLUTION_MS, effectiveRole, lastUseIsStale, roleAtMost } from "./api-tokens";
import { TOKEN_PREFIX } from "./tokens";

describe("API token roles", () => {
  it("a creator may give their own role or a lower one, never a higher one", () => {
    expect(roleAtMost("viewer", "viewer")).toBe(true);
    expect(roleAtMost("operator", "viewer")).toBe(false);
    expect(roleAtMost("admin", "operator")).toBe(false);
    expect(roleAtMost("operator", "admin")).toBe(true);
  });
  it("acts with the lower of its role and its user's current role", () => {
    expect(effectiveRole("admin", "viewer")).toBe("viewer");
    expect(effectiveRole("viewer", "admin")).toBe("viewer");
    expect(effectiveRole("operator", "operator")).toBe("operator");
  });
});

describe("last use", () => {
  it("is written for a token never used, then at most once per resolution", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(lastUseIsStale(null, now)).toBe(true);
    expect(lastUseIsStale(new Date(now - LAST_USE_RESOLUTION_MS + 1), now)).toBe(false);
    expect(lastUseIsStale(new Date(now - LAST_USE_RESOLUTION_MS), now)).toBe(true);
  });
});

describe("prefixes", () => {
  it("API tokens and agent tokens cannot be mistaken for each other", () => {
    expect(TOKEN_PREFIX.api).not.toBe(TOKEN_PREFIX.agent);
    expect(TOKEN_PREFIX.api.startsWith(TOKEN_PREFIX.agent) || TOKEN_PREFIX.agent.startsWith(TOKEN_PREFIX.api)).toBe(false);
  });
});
