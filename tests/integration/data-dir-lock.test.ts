import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { DataDirLockedError, lockDataDir } from "@/lib/db/lock";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "iw-lock-"));

describe("the embedded data directory lock", () => {
  it("refuses a second holder while the first lives, with a message naming both", () => {
    const dir = tmp();
    // A live pid that is not ours: our parent.
    fs.writeFileSync(path.join(dir, "infra-watch.lock"), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(/already running on the data directory .* \(pid \d+\)/);
  });

  it("takes over a lock whose owner died", () => {
    const dir = tmp();
    const dead = spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" });
    fs.writeFileSync(path.join(dir, "infra-watch.lock"), dead.stdout.trim());
    const release = lockDataDir(dir);
    expect(fs.readFileSync(path.join(dir, "infra-watch.lock"), "utf8")).toBe(String(process.pid));
    release();
    expect(fs.existsSync(path.join(dir, "infra-watch.lock"))).toBe(false);
  });
});
