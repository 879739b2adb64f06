import { mkdtemp, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeDir } from "./make-dir";

describe("makeDir", () => {
  it("creates missing parents and accepts an existing directory", async () => {
    const dir = path.join(await mkdtemp(path.join(os.tmpdir(), "iw-mkdir-")), "a/b/c");
    await makeDir(dir);
    await makeDir(dir);
    expect((await stat(dir)).isDirectory()).toBe(true);
  });

  it("fails (instead of hanging) where the kernel refuses, below /proc", async () => {
    await expect(makeDir("/proc/infra-watch-test/x")).rejects.toMatchObject({ code: "ENOENT" });
  });
});
