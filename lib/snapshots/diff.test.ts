import { describe, expect, it } from "vitest";
import { SnapshotDiffSchema, type SnapshotDiff } from "@/lib/protocol";
import {
  applyDiff,
  canonicalSnapshotHash,
  diffSnapshots,
  isEmptyDiff,
  normalizeSnapshot,
  summarizeDiff,
  summarizeFirst,
  type SnapshotContent,
} from "./diff";
import { mutateSnapshot, seededRandom, shuffle, syntheticSnapshot } from "./synthetic";

const snap = (over: Partial<SnapshotContent> = {}): SnapshotContent => ({ os: "Debian 12", kernel: "6.1.0-17", packages: [], env: {}, ...over });

const emptyDiff: SnapshotDiff = {
  packages: { added: [], removed: [], changed: [] },
  env: { added: [], removed: [], changed: [] },
  kernel: null,
  os: null,
};

describe("diffSnapshots", () => {
  it("reports added, removed and version-changed packages, env keys, kernel and os", () => {
    const prev = snap({
      packages: [
        { name: "openssl", version: "3.0.11" },
        { name: "curl", version: "7.88" },
        { name: "vim", version: "9.0" },
      ],
      env: { PATH: "/usr/bin", LANG: "C", OLD: "1" },
    });
    const next = snap({
      kernel: "6.1.0-18",
      os: "Debian 12.5",
      packages: [
        { name: "vim", version: "9.0" },
        { name: "openssl", version: "3.0.13" },
        { name: "nginx", version: "1.22" },
      ],
      env: { PATH: "/usr/local/bin:/usr/bin", LANG: "C", NEW: "1" },
    });
    expect(diffSnapshots(prev, next)).toEqual({
      packages: {
        added: [{ name: "nginx", version: "1.22" }],
        removed: [{ name: "curl", version: "7.88" }],
        changed: [{ name: "openssl", from: "3.0.11", to: "3.0.13" }],
      },
      env: { added: ["NEW"], removed: ["OLD"], changed: ["PATH"] },
      kernel: { from: "6.1.0-17", to: "6.1.0-18" },
      os: { from: "Debian 12", to: "Debian 12.5" },
    });
  });

  it("is empty for the same configuration in another order", () => {
    const a = snap({ packages: [{ name: "a", version: "1" }, { name: "b", version: "2", arch: "amd64" }], env: { X: "1", Y: "2" } });
    const b = snap({ packages: [{ name: "b", version: "2", arch: "amd64" }, { name: "a", version: "1" }], env: { Y: "2", X: "1" } });
    const diff = diffSnapshots(a, b);
    expect(isEmptyDiff(diff)).toBe(true);
    expect(diff).toEqual(emptyDiff);
  });

  it("keeps the same name with different arch apart and says which arch changed", () => {
    const prev = snap({
      packages: [
        { name: "libc6", version: "2.36-9", arch: "amd64", manager: "apt" },
        { name: "libc6", version: "2.36-9", arch: "i386", manager: "apt" },
      ],
    });
    const next = snap({
      packages: [
        { name: "libc6", version: "2.36-9+deb12u4", arch: "amd64", manager: "apt" },
        { name: "libc6", version: "2.36-9", arch: "i386", manager: "apt" },
        { name: "libc6", version: "2.36-9", arch: "arm64", manager: "apt" },
      ],
    });
    expect(diffSnapshots(prev, next).packages).toEqual({
      added: [{ name: "libc6", version: "2.36-9", arch: "arm64", manager: "apt" }],
      removed: [],
      changed: [{ name: "libc6", from: "2.36-9", to: "2.36-9+deb12u4", arch: "amd64", manager: "apt" }],
    });
  });

  it("treats the same name under two managers as two packages", () => {
    const prev = snap({ packages: [{ name: "requests", version: "2.28", manager: "apt" }] });
    const next = snap({ packages: [{ name: "requests", version: "2.28", manager: "apt" }, { name: "requests", version: "2.31", manager: "pip" }] });
    expect(diffSnapshots(prev, next).packages.added).toEqual([{ name: "requests", version: "2.31", manager: "pip" }]);
    expect(diffSnapshots(prev, next).packages.changed).toEqual([]);
  });

  it("treats a missing arch and an empty arch as the same package", () => {
    const prev = snap({ packages: [{ name: "a", version: "1", arch: "" }] });
    const next = snap({ packages: [{ name: "a", version: "2" }] });
    expect(diffSnapshots(prev, next).packages).toEqual({ added: [], removed: [], changed: [{ name: "a", from: "1", to: "2" }] });
  });

  it("collapses exact duplicate entries", () => {
    const prev = snap({ packages: [{ name: "a", version: "1" }, { name: "a", version: "1" }] });
    const next = snap({ packages: [{ name: "a", version: "1" }] });
    expect(isEmptyDiff(diffSnapshots(prev, next))).toBe(true);
    expect(canonicalSnapshotHash(prev)).toBe(canonicalSnapshotHash(next));
  });

  it("reports side-by-side versions of one package as added and removed, never as an invented upgrade", () => {
    const prev = snap({ packages: [{ name: "kernel", version: "5.14.0-362", arch: "x86_64" }, { name: "kernel", version: "5.14.0-427", arch: "x86_64" }] });
    const next = snap({ packages: [{ name: "kernel", version: "5.14.0-427", arch: "x86_64" }, { name: "kernel", version: "5.14.0-503", arch: "x86_64" }] });
    expect(diffSnapshots(prev, next).packages).toEqual({
      added: [{ name: "kernel", version: "5.14.0-503", arch: "x86_64" }],
      removed: [{ name: "kernel", version: "5.14.0-362", arch: "x86_64" }],
      changed: [],
    });
    const single = snap({ packages: [{ name: "kernel", version: "5.14.0-427", arch: "x86_64" }] });
    expect(diffSnapshots(single, prev).packages).toEqual({ added: [{ name: "kernel", version: "5.14.0-362", arch: "x86_64" }], removed: [], changed: [] });
  });

  it("sorts every list by name, then arch", () => {
    const next = snap({
      packages: [
        { name: "zlib", version: "1" },
        { name: "b", version: "1", arch: "i386" },
        { name: "b", version: "1", arch: "amd64" },
        { name: "B", version: "1" },
        { name: "a", version: "1" },
      ],
      env: { Z: "1", A: "1", m: "1" },
    });
    const diff = diffSnapshots(snap(), next);
    expect(diff.packages.added.map((p) => `${p.name}:${p.arch ?? ""}`)).toEqual(["B:", "a:", "b:amd64", "b:i386", "zlib:"]);
    expect(diff.env.added).toEqual(["A", "Z", "m"]);
  });

  it("never puts env values in the diff, even for changed keys", () => {
    const prev = snap({ env: { DB_PASSWORD: "redacted:hmac-sha256:aaaa", HOME: "/root" } });
    const next = snap({ env: { DB_PASSWORD: "redacted:hmac-sha256:bbbb", HOME: "/root" } });
    const diff = diffSnapshots(prev, next);
    expect(diff.env).toEqual({ added: [], removed: [], changed: ["DB_PASSWORD"] });
    expect(JSON.stringify(diff)).not.toMatch(/aaaa|bbbb|\/root/);
  });

  it("reports a kernel that went missing or appeared as a change from or to null", () => {
    expect(diffSnapshots(snap({ kernel: "6.1" }), snap({ kernel: undefined })).kernel).toEqual({ from: "6.1", to: null });
    expect(diffSnapshots(snap({ os: null }), snap({ os: "Debian" })).os).toEqual({ from: null, to: "Debian" });
    expect(diffSnapshots(snap({ kernel: undefined }), snap({ kernel: null })).kernel).toBeNull();
  });

  it("handles env keys that shadow Object.prototype", () => {
    const diff = diffSnapshots(snap({ env: { constructor: "1" } }), snap({ env: { toString: "1" } }));
    expect(diff.env).toEqual({ added: ["toString"], removed: ["constructor"], changed: [] });
  });

  it("sees an env key named __proto__ as an ordinary key", () => {
    const prev = snap({ env: JSON.parse('{"__proto__": "a", "X": "1"}') as Record<string, string> });
    const next = snap({ env: JSON.parse('{"__proto__": "b", "X": "1"}') as Record<string, string> });
    expect(diffSnapshots(prev, next).env).toEqual({ added: [], removed: [], changed: ["__proto__"] });
    expect(canonicalSnapshotHash(prev)).not.toBe(canonicalSnapshotHash(next));
  });

  it("produces what the wire schema accepts", () => {
    const rng = seededRandom(7);
    const a = syntheticSnapshot(rng, { packages: 300, envKeys: 20 });
    const diff = diffSnapshots(a, mutateSnapshot(rng, a, 50));
    expect(SnapshotDiffSchema.parse(diff)).toEqual(diff);
  });
});

describe("20,000-package snapshots", () => {
  const rng = seededRandom(20_000);
  const a = syntheticSnapshot(rng, { packages: 20_000, envKeys: 2_000 });

  it("finds exactly the planted changes", () => {
    const nameCount = new Map<string, number>();
    for (const p of a.packages) nameCount.set(p.name, (nameCount.get(p.name) ?? 0) + 1);
    const [upgrade, remove] = a.packages.filter((p) => nameCount.get(p.name) === 1);
    const b: SnapshotContent = {
      ...a,
      packages: [
        ...a.packages.filter((p) => p !== remove).map((p) => (p === upgrade ? { ...p, version: "99.0" } : p)),
        { name: "zz-new", version: "1.0", arch: "amd64" },
      ],
      env: { ...a.env, VAR_1: "changed" },
    };
    const identity = (p: { arch?: string; manager?: string }) => ({ ...(p.arch ? { arch: p.arch } : {}), ...(p.manager ? { manager: p.manager } : {}) });
    expect(diffSnapshots(a, { ...b, packages: shuffle(rng, b.packages) })).toEqual({
      packages: {
        added: [{ name: "zz-new", version: "1.0", arch: "amd64" }],
        removed: [{ name: remove!.name, version: remove!.version, ...identity(remove!) }],
        changed: [{ name: upgrade!.name, from: upgrade!.version, to: "99.0", ...identity(upgrade!) }],
      },
      env: { added: [], removed: [], changed: ["VAR_1"] },
      kernel: null,
      os: null,
    });
  });

  it("diffs 20,000-package snapshots exactly (its speed is measured by npm run bench)", () => {
    const b = mutateSnapshot(rng, a, 500);
    const applied = applyDiff(a, diffSnapshots(a, b));
    expect(applied).toEqual(normalizeSnapshot(b));
  });

  it("is empty against a shuffled copy of itself, with an equal hash", () => {
    const b: SnapshotContent = { ...a, packages: shuffle(rng, a.packages) };
    expect(isEmptyDiff(diffSnapshots(a, b))).toBe(true);
    expect(canonicalSnapshotHash(b)).toBe(canonicalSnapshotHash(a));
  });
});

describe("properties over seeded random snapshots", () => {
  const SEEDS = Array.from({ length: 60 }, (_, i) => 1_000 + i);

  it.each(SEEDS)("seed %i: diff(a, a) is empty and a shuffled a hashes the same", (seed) => {
    const rng = seededRandom(seed);
    const a = syntheticSnapshot(rng, { packages: 200 + (seed % 7) * 50, envKeys: seed % 30, collisionRate: 0.2 });
    expect(isEmptyDiff(diffSnapshots(a, a))).toBe(true);
    const reordered: SnapshotContent = { ...a, packages: shuffle(rng, a.packages), env: Object.fromEntries(shuffle(rng, Object.entries(a.env))) };
    expect(isEmptyDiff(diffSnapshots(a, reordered))).toBe(true);
    expect(canonicalSnapshotHash(reordered)).toBe(canonicalSnapshotHash(a));
  });

  it.each(SEEDS)("seed %i: applying diff(a, b) to a gives b; hashes agree with emptiness", (seed) => {
    const rng = seededRandom(seed);
    const a = syntheticSnapshot(rng, { packages: 150 + (seed % 5) * 40, envKeys: 5 + (seed % 11), collisionRate: 0.2 });
    const b = mutateSnapshot(rng, a, seed % 3 === 0 ? 0 : 1 + (seed % 60));
    const diff = diffSnapshots(a, b);
    expect(applyDiff(a, diff)).toEqual(normalizeSnapshot(b));
    expect(canonicalSnapshotHash(a) === canonicalSnapshotHash(b)).toBe(isEmptyDiff(diff));
    expect(diffSnapshots(a, b)).toEqual(diff);
  });

  it.each(SEEDS.slice(0, 20))("seed %i: diff(b, a) is diff(a, b) reversed", (seed) => {
    const rng = seededRandom(seed);
    const a = syntheticSnapshot(rng, { packages: 200, envKeys: 10, collisionRate: 0.2 });
    const b = mutateSnapshot(rng, a, 40);
    const forward = diffSnapshots(a, b);
    const back = diffSnapshots(b, a);
    expect(back.packages.added).toEqual(forward.packages.removed);
    expect(back.packages.removed).toEqual(forward.packages.added);
    expect(back.packages.changed).toEqual(forward.packages.changed.map(({ from, to, ...rest }) => ({ ...rest, from: to, to: from })));
    expect(back.env).toEqual({ added: forward.env.removed, removed: forward.env.added, changed: forward.env.changed });
    expect(applyDiff(b, back)).toEqual(normalizeSnapshot(a));
  });
});

describe("applyDiff", () => {
  it("refuses a diff that does not fit", () => {
    const a = snap({ packages: [{ name: "a", version: "1" }] });
    expect(() => applyDiff(a, { ...emptyDiff, packages: { added: [], removed: [{ name: "b", version: "1" }], changed: [] } })).toThrow(/does not apply/);
    expect(() => applyDiff(a, { ...emptyDiff, packages: { added: [{ name: "a", version: "1" }], removed: [], changed: [] } })).toThrow(/already present/);
    expect(() => applyDiff(a, { ...emptyDiff, kernel: { from: "5.0", to: "6.0" } })).toThrow(/kernel/);
    expect(() => applyDiff(a, { ...emptyDiff, env: { added: [], removed: ["X"], changed: [] } })).toThrow(/env X/);
  });
});

describe("canonicalSnapshotHash", () => {
  it("is a sha256 hex digest that changes with any part of the configuration", () => {
    const base = snap({ packages: [{ name: "a", version: "1" }], env: { A: "1" } });
    const h = canonicalSnapshotHash(base);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    const variants: SnapshotContent[] = [
      { ...base, kernel: "6.1.0-18" },
      { ...base, os: null },
      { ...base, packages: [{ name: "a", version: "2" }] },
      { ...base, packages: [{ name: "a", version: "1", arch: "amd64" }] },
      { ...base, packages: [{ name: "a", version: "1", manager: "pip" }] },
      { ...base, env: { A: "2" } },
      { ...base, env: { B: "1" } },
    ];
    for (const v of variants) expect(canonicalSnapshotHash(v)).not.toBe(h);
  });

  it("does not confuse fields whose text runs together", () => {
    const a = snap({ packages: [{ name: "ab", version: "c" }] });
    const b = snap({ packages: [{ name: "a", version: "bc" }] });
    expect(canonicalSnapshotHash(a)).not.toBe(canonicalSnapshotHash(b));
    expect(canonicalSnapshotHash(snap({ kernel: null }))).not.toBe(canonicalSnapshotHash(snap({ kernel: "null" })));
  });

  it("ignores the snapshot timestamp and other extra fields", () => {
    const base = snap({ packages: [{ name: "a", version: "1" }] });
    const withTs = { ...base, ts: "2026-12-01T00:00:00Z" } as SnapshotContent;
    expect(canonicalSnapshotHash(withTs)).toBe(canonicalSnapshotHash(base));
  });
});

describe("summaries", () => {
  it("summarises a diff on one line", () => {
    const diff: SnapshotDiff = {
      packages: {
        added: [{ name: "a", version: "1" }, { name: "b", version: "1" }],
        removed: [{ name: "c", version: "1" }, { name: "d", version: "1" }, { name: "e", version: "1" }],
        changed: [1, 2, 3, 4].map((i) => ({ name: `p${i}`, from: "1", to: "2" })),
      },
      env: { added: [], removed: [], changed: ["PATH"] },
      kernel: { from: "6.1.0-17", to: "6.1.0-18" },
      os: null,
    };
    expect(summarizeDiff(diff)).toBe("+2 \u22123 ~4 packages, 1 env changed, kernel 6.1.0-17 -> 6.1.0-18");
  });

  it("leaves out what did not change and says so when nothing did", () => {
    expect(summarizeDiff(emptyDiff)).toBe("no changes");
    expect(summarizeDiff({ ...emptyDiff, env: { added: ["A"], removed: ["B"], changed: [] } })).toBe("2 env changed");
    expect(summarizeDiff({ ...emptyDiff, os: { from: null, to: "Debian 12" } })).toBe("os none -> Debian 12");
  });

  it("summarises a first snapshot", () => {
    const s = snap({
      kernel: "6.1.0-18",
      packages: [{ name: "a", version: "1" }, { name: "a", version: "1" }, { name: "b", version: "1" }],
      env: { A: "1", B: "2" },
    });
    expect(summarizeFirst(s)).toBe("first snapshot: 2 packages, 2 env keys, kernel 6.1.0-18");
    expect(summarizeFirst(snap({ kernel: null }))).toBe("first snapshot: 0 packages, 0 env keys");
  });
});

describe("diff cost with many versions of one name (issue 11.8)", () => {
  /**
   * Counts the elements that linear searches (`includes`, `indexOf`, `splice`) walk while `fn`
   * runs: a quadratic diff walks the version list once per version, a linear one never walks a
   * list longer than a handful. Structural, so it does not depend on the machine's speed.
   */
  function elementsScanned(fn: () => void): number {
    let scanned = 0;
    const proto = Array.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
    const originals = { includes: proto.includes!, indexOf: proto.indexOf!, splice: proto.splice! };
    for (const [name, original] of Object.entries(originals)) {
      proto[name] = function (this: unknown[], ...args: unknown[]) {
        scanned += this.length;
        return original.apply(this, args);
      };
    }
    try {
      fn();
    } finally {
      Object.assign(proto, originals);
    }
    return scanned;
  }

  const versions = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ name: "evil", version: `${from + i}` }));

  it("diffs, applies and compares 20,000 versions of one name with linear work", () => {
    const n = 20_000;
    // Half the versions stay, half are replaced, and every entry appears twice (duplicates collapse).
    const prev = snap({ packages: [...versions(n, 0), ...versions(n, 0)] });
    const next = snap({ packages: [...versions(n, n / 2), ...versions(n, n / 2)] });
    let diff = emptyDiff;
    const scanned = elementsScanned(() => {
      diff = diffSnapshots(prev, next);
      applyDiff(prev, diff);
    });
    expect(diff.packages.removed).toHaveLength(n / 2);
    expect(diff.packages.added).toHaveLength(n / 2);
    expect(diff.packages.changed).toEqual([]);
    expect(applyDiff(prev, diff)).toEqual(normalizeSnapshot(next));
    // Quadratic: ~n^2 = 4e8 elements walked. Linear: a small multiple of n at most.
    expect(scanned).toBeLessThan(20 * n);
  });
});
