import { chmod, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_WATCHED_FILES, WatchedFileSchema } from "../../lib/protocol";
import { DISTROS, fixture, fixtureRoot } from "../collect/fixtures/fixture";
import { hostPaths } from "../collect/host-paths";
import { DEFAULT_WATCH_FILES } from "../settings";
import { collectWatchedFiles, expandWatchList, fingerprint, matchesGlob, octalMode } from "./files";

const owners = { user: (uid: number) => (uid === 0 ? "root" : String(uid)), group: (gid: number) => (gid === 0 ? "root" : String(gid)) };
const sha = (text: string) => createHash("sha256").update(text).digest("hex");

describe("globs over one directory", () => {
  it.each([
    ["deploy", "*", true],
    ["deploy", "d*", true],
    ["deploy", "*y", true],
    ["a.conf", "*.conf", true],
    ["a.conf.bak", "*.conf", false],
    ["ab", "a*b*c", false],
    ["axbyc", "a*b*c", true],
    ["abc", "abc", true],
    ["aXc", "a*c*c", false],
  ] as const)("%s ~ %s = %s", (name, pattern, expected) => {
    expect(matchesGlob(name, pattern)).toBe(expected);
  });

  it("expands the default list against a host root: sudoers.d's listing, missing files kept for the caller to drop", async () => {
    const files = await expandWatchList(hostPaths(fixtureRoot("debian12")), DEFAULT_WATCH_FILES);
    expect(files).toContain("/etc/sudoers.d/README");
    expect(files).toContain("/etc/sudoers.d/deploy");
    expect(files).not.toContain("/etc/sudoers.d/*");
    expect(files).toContain("/etc/fstab");
  });

  it(`stops at ${MAX_WATCHED_FILES} files`, async () => {
    const patterns = Array.from({ length: MAX_WATCHED_FILES + 5 }, (_, i) => `/etc/f${i}`);
    expect(await expandWatchList(hostPaths("/"), patterns)).toHaveLength(MAX_WATCHED_FILES);
  });
});

describe("fingerprints", () => {
  it.each(DISTROS)("of the %s fixture's watched files: hash, size, mode, owner, mtime; absent ones left out", async (distro) => {
    const files = await collectWatchedFiles(hostPaths(fixtureRoot(distro)), DEFAULT_WATCH_FILES, owners);
    const hosts = files.find((f) => f.path === "/etc/hosts")!;
    expect(hosts).toMatchObject({ sha256: sha(fixture(distro, "etc/hosts")), size: fixture(distro, "etc/hosts").length, mode: expect.stringMatching(/^0[0-7]{3}$/) });
    expect(files.map((f) => f.path)).toContain("/etc/ssh/sshd_config");
    expect(files.map((f) => f.path)).not.toContain("/etc/fstab");
    for (const f of files) expect(WatchedFileSchema.safeParse(f).success, f.path).toBe(true);
  });

  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "iw-files-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("follows symlinks, says why a file is not hashed, and never returns content", async () => {
    await writeFile(path.join(dir, "target"), "nameserver 10.0.0.53\n");
    await symlink(path.join(dir, "target"), path.join(dir, "link"));
    await writeFile(path.join(dir, "secret"), "top secret");
    await chmod(path.join(dir, "secret"), 0o4750);
    const root = hostPaths("/");
    const link = await fingerprint(root, path.join(dir, "link"), owners);
    expect(link).toMatchObject({ sha256: sha("nameserver 10.0.0.53\n"), size: 21 });
    expect(JSON.stringify(link)).not.toContain("nameserver");
    expect((await fingerprint(root, path.join(dir, "secret"), owners))!.mode).toBe("4750");
    expect(await fingerprint(root, path.join(dir, "missing"), owners)).toBeUndefined();
    expect(await fingerprint(root, dir, owners)).toBeUndefined();
    expect(await fingerprint(root, "/dev/null", owners)).toMatchObject({ error: "not a regular file" });
    expect(octalMode(0o100644)).toBe("0644");
  });
});
