import { describe, expect, it } from "vitest";
import { packageKey, packagesNote, searchPackages, sortedEnv } from "./config-view";

const pkgs = [
  { name: "zlib1g", version: "1:1.2.13" },
  { name: "openssl", version: "3.0.15-1~deb12u1", arch: "amd64", manager: "dpkg" },
  { name: "libssl3", version: "3.0.15-1~deb12u1" },
  { name: "curl", version: "7.88.1" },
];

describe("searchPackages", () => {
  it("lists every package by name when the search is empty", () => {
    const r = searchPackages(pkgs, " ");
    expect(r.rows.map((p) => p.name)).toEqual(["curl", "libssl3", "openssl", "zlib1g"]);
    expect(r).toMatchObject({ total: 4, hits: 4 });
  });
  it("matches a name or a version, case-insensitive and literally", () => {
    expect(searchPackages(pkgs, "SSL").rows.map((p) => p.name)).toEqual(["libssl3", "openssl"]);
    expect(searchPackages(pkgs, "7.88").rows.map((p) => p.name)).toEqual(["curl"]);
    expect(searchPackages(pkgs, "1~deb12").hits).toBe(2);
    expect(searchPackages(pkgs, ".*").hits).toBe(0);
  });
  it("draws at most `shown` rows but counts every match", () => {
    const many = Array.from({ length: 700 }, (_, i) => ({ name: `p${String(i).padStart(3, "0")}`, version: "1" }));
    const r = searchPackages(many, "p", 500);
    expect(r.rows).toHaveLength(500);
    expect(r.hits).toBe(700);
    expect(packagesNote(r, 500)).toBe("showing 500 of 700 matches — refine the search");
    expect(packagesNote({ total: 4, hits: 2 }, 500)).toBe("2 of 4");
  });
  it("leaves the snapshot's list in its order", () => {
    searchPackages(pkgs, "");
    expect(pkgs[0]!.name).toBe("zlib1g");
  });
});

describe("packageKey", () => {
  it("tells apart architectures and managers of one name", () => {
    expect(packageKey({ name: "a", version: "1", arch: "amd64" })).not.toBe(packageKey({ name: "a", version: "1", arch: "i386" }));
    expect(packageKey({ name: "a", version: "1" })).toBe("a//");
  });
});

describe("sortedEnv", () => {
  it("sorts variables by name", () => {
    expect(sortedEnv({ PATH: "/bin", HOME: "/root", LANG: "C" })).toEqual([
      ["HOME", "/root"],
      ["LANG", "C"],
      ["PATH", "/bin"],
    ]);
  });
});
