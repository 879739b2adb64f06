import { describe, expect, it } from "vitest";
import type { SnapshotDiff, SnapshotSummary } from "@/lib/client/types";
import { diffUnavailable, isEmptyDiff, pkgName } from "./diff-view";

const none: SnapshotDiff = { kernel: null, os: null, packages: { added: [], removed: [], changed: [] }, env: { added: [], removed: [], changed: [] } } as unknown as SnapshotDiff;
const snaps = [
  { id: "s2", ts: "2026-01-02T00:00:00Z", changed: true, summary: "1 package changed" },
  { id: "s1", ts: "2026-01-01T00:00:00Z", changed: false, summary: "first" },
] as SnapshotSummary[];

describe("pkgName", () => {
  it("adds the architecture when known", () => {
    expect(pkgName({ name: "libc6", arch: "amd64" })).toBe("libc6:amd64");
    expect(pkgName({ name: "left-pad" })).toBe("left-pad");
  });
});

describe("isEmptyDiff", () => {
  it("is empty only when no part changed", () => {
    expect(isEmptyDiff(none)).toBe(true);
    expect(isEmptyDiff({ ...none, kernel: { from: "a", to: "b" } } as SnapshotDiff)).toBe(false);
    expect(isEmptyDiff({ ...none, env: { ...none.env, removed: ["X"] } } as SnapshotDiff)).toBe(false);
    expect(isEmptyDiff({ ...none, packages: { ...none.packages, changed: [{ name: "a", from: "1", to: "2" }] } } as SnapshotDiff)).toBe(false);
  });
});

describe("diffUnavailable", () => {
  it("needs two snapshots", () => {
    expect(diffUnavailable([], null, "previous")).toMatch(/none yet/);
    expect(diffUnavailable(snaps.slice(1), "s1", "previous")).toMatch(/only its first/);
  });
  it("needs a chosen snapshot", () => {
    expect(diffUnavailable(snaps, null, "previous")).toBe("Choose a snapshot.");
  });
  it("has nothing before the first snapshot, but the first can be compared with another", () => {
    expect(diffUnavailable(snaps, "s1", "previous")).toMatch(/first snapshot/);
    expect(diffUnavailable(snaps, "s1", "s2")).toBeNull();
    expect(diffUnavailable(snaps, "s2", "previous")).toBeNull();
  });
});
