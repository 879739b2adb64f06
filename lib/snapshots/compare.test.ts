import { describe, expect, it } from "vitest";
import { diffHosts, isSameConfiguration, summarizeComparison } from "./compare";
import { diffSnapshots, indexPackages, type SnapshotContent } from "./diff";
import { mutateSnapshot, seededRandom, shuffle, syntheticSnapshot } from "./synthetic";

const host = (over: Partial<SnapshotContent> = {}): SnapshotContent => ({ os: "Debian 12", kernel: "6.1.0-18", packages: [], env: {}, ...over });

describe("diffHosts", () => {
  it("lists what only this host has, what only the baseline has, and version differences", () => {
    const here = host({
      kernel: "6.1.0-18",
      packages: [
        { name: "nginx", version: "1.22" },
        { name: "openssl", version: "3.0.13" },
        { name: "htop", version: "3.2" },
      ],
    });
    const baseline = host({
      kernel: "6.1.0-17",
      packages: [
        { name: "openssl", version: "3.0.11" },
        { name: "htop", version: "3.2" },
        { name: "chrony", version: "4.3" },
      ],
    });
    const c = diffHosts(here, baseline);
    expect(c).toEqual({
      packages: {
        onlyHere: [{ name: "nginx", version: "1.22" }],
        onlyBaseline: [{ name: "chrony", version: "4.3" }],
        differentVersion: [{ name: "openssl", here: "3.0.13", baseline: "3.0.11" }],
      },
      kernel: { here: "6.1.0-18", baseline: "6.1.0-17" },
      os: null,
    });
    expect(summarizeComparison(c)).toBe("1 only here, 1 only on baseline, 1 other versions, kernel 6.1.0-18 vs 6.1.0-17");
  });

  it("says the configuration is the same as the baseline regardless of order", () => {
    const rng = seededRandom(3);
    const a = syntheticSnapshot(rng, { packages: 500, envKeys: 5 });
    const c = diffHosts(a, { ...a, packages: shuffle(rng, a.packages), env: {} });
    expect(isSameConfiguration(c)).toBe(true);
    expect(summarizeComparison(c)).toBe("same as baseline");
  });

  it("matches packages by name, arch and manager", () => {
    const here = host({ packages: [{ name: "libc6", version: "2.36", arch: "i386" }, { name: "requests", version: "2.31", manager: "pip" }] });
    const baseline = host({ packages: [{ name: "libc6", version: "2.36", arch: "amd64" }, { name: "requests", version: "2.28", manager: "pip" }] });
    expect(diffHosts(here, baseline).packages).toEqual({
      onlyHere: [{ name: "libc6", version: "2.36", arch: "i386" }],
      onlyBaseline: [{ name: "libc6", version: "2.36", arch: "amd64" }],
      differentVersion: [{ name: "requests", here: "2.31", baseline: "2.28", manager: "pip" }],
    });
  });

  it("shows side-by-side versions together", () => {
    const here = host({ packages: [{ name: "kernel", version: "5.14-427" }, { name: "kernel", version: "5.14-362" }] });
    const baseline = host({ packages: [{ name: "kernel", version: "5.14-427" }] });
    expect(diffHosts(here, baseline).packages.differentVersion).toEqual([{ name: "kernel", here: "5.14-362, 5.14-427", baseline: "5.14-427" }]);
  });

  it("reports a missing kernel as null on that side", () => {
    expect(diffHosts(host({ kernel: null }), host()).kernel).toEqual({ here: null, baseline: "6.1.0-18" });
  });

  it.each([11, 12, 13, 14, 15])("seed %i: agrees with the snapshot diff on single-version identities", (seed) => {
    const rng = seededRandom(seed);
    const baseline = syntheticSnapshot(rng, { packages: 2_000, envKeys: 0, collisionRate: 0 });
    const here = mutateSnapshot(rng, baseline, 200);
    const c = diffHosts(here, baseline);
    const d = diffSnapshots(baseline, here);
    const singleVersion = [...indexPackages(here.packages).entries()].every((e) => e.versions.length === 1);
    expect(singleVersion).toBe(true);
    expect(c.packages.onlyHere).toEqual(d.packages.added);
    expect(c.packages.onlyBaseline).toEqual(d.packages.removed);
    expect(c.packages.differentVersion).toEqual(d.packages.changed.map(({ from, to, ...rest }) => ({ ...rest, here: to, baseline: from })));
  });

  it("compares two 20,000-package hosts symmetrically (its speed is measured by npm run bench)", () => {
    const rng = seededRandom(99);
    const baseline = syntheticSnapshot(rng, { packages: 20_000, envKeys: 0 });
    const here = mutateSnapshot(rng, baseline, 1_000);
    const forward = diffHosts(here, baseline);
    const backward = diffHosts(baseline, here);
    expect(forward.packages.onlyHere).toEqual(backward.packages.onlyBaseline);
    expect(forward.packages.onlyBaseline).toEqual(backward.packages.onlyHere);
    expect(forward.packages.differentVersion.length).toBe(backward.packages.differentVersion.length);
  });
});
