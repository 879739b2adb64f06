import { describe, expect, it } from "vitest";
import { PROTOCOL_VERSION, protocolVerdict } from "./constants";
import { compareVersions, parseReleaseStatement, releaseStatement } from "./release";

const sha = "a".repeat(64);

describe("release statements", () => {
  it("round-trip and refuse anything else", () => {
    const r = { version: "1.2.3", arch: "arm64" as const, sha256: sha };
    expect(parseReleaseStatement(releaseStatement(r))).toEqual(r);
    expect(parseReleaseStatement(releaseStatement(r).trimEnd())).toBeUndefined();
    expect(parseReleaseStatement(`infra-watch-agent 1.2.3 linux-riscv sha256:${sha}\n`)).toBeUndefined();
    expect(parseReleaseStatement(`infra-watch-agent 1.2 linux-x64 sha256:${sha}\n`)).toBeUndefined();
    expect(parseReleaseStatement(`infra-watch-agent 1.2.3 linux-x64 sha256:${"A".repeat(64)}\n`)).toBeUndefined();
    expect(parseReleaseStatement(`infra-watch-agent 1.2.3 linux-x64 sha256:${sha}\nextra\n`)).toBeUndefined();
  });
});

describe("compareVersions", () => {
  it("orders by number, not text, and a pre-release before its release", () => {
    expect(compareVersions("0.10.0", "0.9.9")).toBeGreaterThan(0);
    expect(compareVersions("1.0.0", "1.0.0")).toBe(0);
    expect(compareVersions("1.0.0-rc.1", "1.0.0")).toBeLessThan(0);
    expect(compareVersions("1.0.0", "1.0.0-rc.1")).toBeGreaterThan(0);
    expect(compareVersions("0.0.1", "0.1.0")).toBeLessThan(0);
  });
});

describe("protocolVerdict", () => {
  it("treats a missing header as version 1 (agents older than the header)", () => {
    expect(protocolVerdict(null)).toEqual({ ok: true, version: 1 });
    expect(protocolVerdict(String(PROTOCOL_VERSION))).toEqual({ ok: true, version: PROTOCOL_VERSION });
  });
  it("says which side to upgrade", () => {
    const tooNew = protocolVerdict("7", { min: 2, max: 3 });
    const tooOld = protocolVerdict("1", { min: 2, max: 3 });
    expect(tooNew.ok || tooNew.message).toMatch(/upgrade the Infra-Watch server/);
    expect(tooOld.ok || tooOld.message).toMatch(/upgrade the agent/);
    expect(protocolVerdict("abc").ok).toBe(false);
    expect(protocolVerdict("99999999999").ok).toBe(false);
  });
});
