import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AuthSecretError, resolveAuthSecret } from "./secret";

const dirs: string[] = [];
function dataDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "iw-secret-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe("resolveAuthSecret", () => {
  it("generates a secret once, owner-only, and reads the same one back", () => {
    const dir = dataDir();
    const first = resolveAuthSecret({ authSecret: undefined, dataDir: dir });
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(fs.statSync(path.join(dir, "auth-secret")).mode & 0o777).toBe(0o600);
    expect(resolveAuthSecret({ authSecret: undefined, dataDir: dir })).toBe(first);
  });

  it.each([
    ["empty", ""],
    ["whitespace only", "  \n\t \n"],
    ["too short", "short-secret\n"],
  ])("refuses a %s secret file with a message naming the file", (_, content) => {
    const dir = dataDir();
    fs.writeFileSync(path.join(dir, "auth-secret"), content, { mode: 0o600 });
    expect(() => resolveAuthSecret({ authSecret: undefined, dataDir: dir })).toThrow(AuthSecretError);
    expect(() => resolveAuthSecret({ authSecret: undefined, dataDir: dir })).toThrow(/auth-secret.*at least 32 characters/);
  });

  it("AUTH_SECRET wins over the file", () => {
    const dir = dataDir();
    fs.writeFileSync(path.join(dir, "auth-secret"), "");
    expect(resolveAuthSecret({ authSecret: "x".repeat(40), dataDir: dir })).toBe("x".repeat(40));
  });
});
