import { describe, expect, it } from "vitest";
import { hasHighEntropyToken, hasSecretAssignment, hasUrlPassword, isSecretKey, isSecretValue, needsRedaction } from "./redaction";

/** Counts the characters String.prototype.indexOf/includes walk (up to the match), the only searches the scanners use. */
function charactersSearched(fn: () => void): number {
  let searched = 0;
  const proto = String.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const indexOf = String.prototype.indexOf;
  const originals = { indexOf: proto.indexOf!, includes: proto.includes! };
  const count = (s: string, needle: string, from: number) => {
    const at = indexOf.call(s, needle, from);
    searched += at >= 0 ? at - from + needle.length : Math.max(0, s.length - from);
  };
  proto.indexOf = function (this: string, needle: unknown, from?: unknown) {
    count(this, String(needle), typeof from === "number" ? from : 0);
    return originals.indexOf.call(this, needle, from);
  };
  proto.includes = function (this: string, needle: unknown, from?: unknown) {
    count(this, String(needle), typeof from === "number" ? from : 0);
    return originals.includes.call(this, needle, from);
  };
  try {
    fn();
  } finally {
    Object.assign(proto, originals);
  }
  return searched;
}

describe("redaction scanners on hostile values (linear, no backtracking)", () => {
  const n = 32 * 1024; // the protocol's longest env value
  const hostile = [
    "://".repeat(n / 3), // many authorities, none closed
    "a://b:".repeat(n / 6), // colons without @
    "x=".repeat(n / 2), // an assignment per two characters
    "a".repeat(n - 1) + "=", // one long name before =
    "-----BEGIN ".repeat(n / 11),
    "aB3".repeat(n / 3), // one long low-entropy run
    "-".repeat(n),
  ];

  it.each(hostile.map((v, i) => [i, v] as const))("case %i: searches a bounded multiple of the value's length", (_i, value) => {
    let result = true;
    const searched = charactersSearched(() => {
      result = isSecretValue(value);
    });
    expect(typeof result).toBe("boolean");
    // A quadratic scan of 32 KiB reads ~1e8-1e9 characters; linear stays within a few dozen
    // passes (each `=` checks its short name against the secret words).
    expect(searched).toBeLessThan(40 * n);
  });

  it("finds what it should in those shapes", () => {
    expect(hasUrlPassword("://".repeat(1000) + "u:p@h")).toBe(true);
    expect(hasSecretAssignment("x=".repeat(1000) + "&password=1")).toBe(true);
    expect(hasHighEntropyToken("aB3".repeat(1000))).toBe(false);
  });
});

describe("needsRedaction (the server's second look)", () => {
  it("leaves the agent's keyed hashes alone and catches what an older agent sent in clear", () => {
    expect(needsRedaction("DB_PASSWORD", "redacted:hmac-sha256:abc", "redacted:hmac-sha256:")).toBe(false);
    expect(needsRedaction("MYSQL_PWD", "hunter2", "redacted:hmac-sha256:")).toBe(true);
    expect(needsRedaction("DATABASE_URL", "postgres://a:b@h/db", "redacted:hmac-sha256:")).toBe(true);
    expect(needsRedaction("LANG", "C.UTF-8", "redacted:hmac-sha256:")).toBe(false);
    expect(isSecretKey("lang")).toBe(false);
  });
});
