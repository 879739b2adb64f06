import { describe, expect, it } from "vitest";
import { fixture } from "../collect/fixtures/fixture";
import { parseApkInstalled, parseDpkgQuery, parsePacmanQuery, parseRpmQuery, sortPackages } from "./packages";

describe("package lists", () => {
  it("reads dpkg-query output recorded on Debian", () => {
    const packages = parseDpkgQuery(fixture("debian12", "commands/dpkg-query.txt"));
    expect(packages).toHaveLength(40);
    expect(packages[0]).toEqual({ name: "adduser", version: "3.134", arch: "all", manager: "dpkg" });
  });

  it("skips dpkg packages that are removed but keep their config files (rc)", () => {
    expect(parseDpkgQuery("rc \told-thing\t1.0\tamd64\nii \tbash\t5.2.15-2+b2\tamd64\n").map((p) => p.name)).toEqual(["bash"]);
  });

  it("reads rpm output with epochs, multilib duplicates and gpg-pubkey (Rocky)", () => {
    const packages = parseRpmQuery(fixture("rocky9", "commands/rpm-query.txt"));
    expect(packages).toHaveLength(15);
    expect(packages.find((p) => p.name === "openssl")).toEqual({ name: "openssl", version: "1:3.0.7-25.el9_3", arch: "x86_64", manager: "rpm" });
    expect(packages.filter((p) => p.name === "glibc").map((p) => p.arch)).toEqual(["x86_64", "i686"]);
    expect(packages.find((p) => p.name === "gpg-pubkey")).toEqual({ name: "gpg-pubkey", version: "350d275d-6279464b", manager: "rpm" });
  });

  it("reads apk's installed database (Alpine)", () => {
    const packages = parseApkInstalled(fixture("alpine319", "lib/apk/db/installed"));
    expect(packages.map((p) => `${p.name} ${p.version}`)).toEqual([
      "musl 1.2.4_git20230717-r4",
      "busybox 1.36.1-r15",
      "alpine-baselayout-data 3.4.3-r2",
      "ca-certificates-bundle 20230506-r0",
      "openssl 3.1.4-r5",
    ]);
    expect(packages[0]?.arch).toBe("x86_64");
  });

  it("reads pacman -Q", () => {
    expect(parsePacmanQuery("linux 6.6.8.arch1-1\nbash 5.2.021-1\n")).toEqual([
      { name: "linux", version: "6.6.8.arch1-1", manager: "pacman" },
      { name: "bash", version: "5.2.021-1", manager: "pacman" },
    ]);
  });

  it("sorts into one canonical order", () => {
    const a = parseRpmQuery(fixture("rocky9", "commands/rpm-query.txt"));
    expect(sortPackages([...a].reverse())).toEqual(sortPackages(a));
  });
});
