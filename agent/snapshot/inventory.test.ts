import { describe, expect, it } from "vitest";
import { SnapshotSchema } from "../../lib/protocol";
import { DISTROS, fixtureRoot } from "../collect/fixtures/fixture";
import { hostPaths } from "../collect/host-paths";
import { DEFAULT_SETTINGS } from "../settings";
import { collectInventory } from "./inventory";

const snapshot = { ts: "2026-12-01T00:00:00Z", packages: [], env: {} };

describe("collectInventory", () => {
  it.each(DISTROS)("collects every section from the %s fixture, valid on the wire", async (distro) => {
    const warnings: string[] = [];
    const inventory = await collectInventory(hostPaths(fixtureRoot(distro)), DEFAULT_SETTINGS, (w) => warnings.push(w));
    expect(SnapshotSchema.safeParse({ ...snapshot, ...inventory }).error?.issues).toBeUndefined();
    expect(inventory.ports!.length).toBeGreaterThan(0);
    expect(inventory.users!.length).toBeGreaterThan(0);
    expect(inventory.groups!.length).toBeGreaterThan(0);
    expect(inventory.jobs!.length).toBeGreaterThan(0);
    expect(inventory.files!.map((f) => f.path)).toContain("/etc/passwd");
    expect(inventory.kernelCmdline!.length).toBeGreaterThan(10);
    expect(inventory.sysctl!["kernel.randomize_va_space"]).toBe("2");
    // A host root mounted elsewhere: systemd is not asked, and the snapshot says why.
    expect(inventory.services).toEqual([]);
    expect(inventory.servicesUnavailable).toMatch(distro === "alpine319" ? /PID 1 is init/ : /container/);
    expect(warnings).toEqual([]);
  });

  it("names file owners from the host's own /etc/passwd and /etc/group", async () => {
    const inventory = await collectInventory(hostPaths(fixtureRoot("rocky9")), { ...DEFAULT_SETTINGS, watchFiles: ["/etc/hosts"] }, () => {});
    expect(inventory.files).toHaveLength(1);
    expect(inventory.files![0]!.owner).toMatch(/^[^:]+:[^:]+$/);
  });

  it("still returns a snapshot when nothing is readable (a root that does not exist)", async () => {
    const inventory = await collectInventory(hostPaths("/nonexistent-root"), DEFAULT_SETTINGS, () => {});
    expect(SnapshotSchema.safeParse({ ...snapshot, ...inventory }).success).toBe(true);
    expect(inventory).toMatchObject({ ports: [], files: [], jobs: [], services: [], sysctl: {} });
    expect(inventory.users).toBeUndefined();
  });

  it("reads this machine's /proc and /etc", async () => {
    const inventory = await collectInventory(hostPaths("/"), DEFAULT_SETTINGS, () => {});
    expect(SnapshotSchema.safeParse({ ...snapshot, ...inventory }).error?.issues).toBeUndefined();
    expect(inventory.users!.some((u) => u.name === "root" && u.uid === 0)).toBe(true);
    expect(inventory.files!.some((f) => f.path === "/etc/passwd" && f.sha256)).toBe(true);
  });
});
