import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { parseArgs } from "./args";
import { resolveToken } from "./token";

const asUser = { env: {}, isRoot: false, home: "/home/u" };
const enroll = (...extra: string[]) => parseArgs(["enroll", "--server", "http://x", ...extra], asUser);

describe("resolveToken", () => {
  it("reads the first line of --token-file", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "iw-token-"));
    const file = path.join(dir, "token");
    await writeFile(file, "iwe_abc \nsecond line\n", { mode: 0o600 });
    expect((await resolveToken(enroll("--token-file", file))).token).toBe("iwe_abc");
  });

  it("reads the token from stdin", async () => {
    expect((await resolveToken(enroll("--token-stdin"), Readable.from(["iwe_", "xyz\n"]))).token).toBe("iwe_xyz");
  });

  it("fails in one line for a missing file, an empty token or a flood on stdin", async () => {
    await expect(resolveToken(enroll("--token-file", "/nonexistent/token"))).rejects.toThrow("--token-file: cannot read /nonexistent/token: ENOENT");
    await expect(resolveToken(enroll("--token-stdin"), Readable.from(["\n"]))).rejects.toThrow("no enrollment token");
    await expect(resolveToken(enroll("--token-stdin"), Readable.from([Buffer.alloc(70 * 1024, 97)]))).rejects.toThrow("more than 64 KiB");
  });

  it("leaves a token from the environment or argv as it is", async () => {
    const o = enroll("--token", "t");
    expect(await resolveToken(o)).toBe(o);
  });
});
