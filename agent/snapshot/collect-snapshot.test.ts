import { describe, expect, it } from "vitest";
import { REDACTED_PREFIX } from "../../lib/protocol/constants";
import { SnapshotSchema } from "../../lib/protocol";
import { fixtureRoot } from "../collect/fixtures/fixture";
import { hostPaths } from "../collect/host-paths";
import { collectSnapshot } from "./collect-snapshot";
import { snapshotContentHash } from "./content-hash";

const hostKey = "k".repeat(64);

describe("collectSnapshot", () => {
  it("reads an Alpine host root: apk database, os-release, kernel, redacted /etc/environment", async () => {
    const s = await collectSnapshot({ paths: hostPaths(fixtureRoot("alpine319")), hostKey, processEnv: { PATH: "/usr/bin" }, warn: () => {} });
    expect(SnapshotSchema.safeParse(s).success).toBe(true);
    expect(s.os).toBe("Alpine Linux v3.19");
    expect(s.kernel).toBe("6.6.14-0-virt");
    expect(s.packages.filter((p) => p.manager === "apk")).toHaveLength(5);
    expect(s.env.REGISTRY_URL?.startsWith(REDACTED_PREFIX)).toBe(true);
    expect(s.env.PATH).toBe("/usr/bin");
    // The hardware section from the fixture's sysfs; no Engine API given, so no container list.
    expect(s.hardware?.cpu?.model).toBe("ARM Cortex-A72");
    expect(s.hardware?.disks.map((d) => d.name)).toEqual(["mmcblk0", "sda"]);
    expect(s.containers).toBeUndefined();
  });

  it("keeps the environment within the protocol's character budget, so the server accepts the snapshot", async () => {
    const processEnv = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`BULK_${String(i).padStart(2, "0")}`, "v".repeat(30_000)]));
    const s = await collectSnapshot({ paths: hostPaths(fixtureRoot("alpine319")), hostKey, processEnv, warn: () => {} });
    expect(SnapshotSchema.safeParse(s).success).toBe(true);
    expect(Object.keys(s.env).filter((k) => k.startsWith("BULK_")).length).toBeGreaterThan(30);
  });
});

describe("snapshotContentHash", () => {
  const base = { ts: "2026-12-01T00:00:00.000Z", os: "X", kernel: "1", packages: [{ name: "a", version: "1" }, { name: "b", version: "2" }], env: { A: "1", B: "2" } };
  it("ignores the timestamp and the order of packages and env keys", () => {
    const same = { ...base, ts: "2026-12-02T00:00:00.000Z", packages: [...base.packages].reverse(), env: { B: "2", A: "1" } };
    expect(snapshotContentHash(same)).toBe(snapshotContentHash(base));
  });
  it("changes with a package version, an env value or the kernel", () => {
    const h = snapshotContentHash(base);
    expect(snapshotContentHash({ ...base, packages: [{ name: "a", version: "1.1" }, { name: "b", version: "2" }] })).not.toBe(h);
    expect(snapshotContentHash({ ...base, env: { A: "1", B: "3" } })).not.toBe(h);
    expect(snapshotContentHash({ ...base, kernel: "2" })).not.toBe(h);
    // A container stopped, a disk swapped: the agent must send the snapshot again.
    const web = { id: "a", name: "web", image: "nginx", state: "running" as const };
    expect(snapshotContentHash({ ...base, containers: [web] })).not.toBe(snapshotContentHash({ ...base, containers: [{ ...web, state: "exited" }] }));
    const hw = (serial: string) => ({ memory: [], disks: [{ name: "sda", serial, sizeBytes: 1, type: "ssd" as const }], nics: [], gpus: [] });
    expect(snapshotContentHash({ ...base, hardware: hw("A") })).not.toBe(snapshotContentHash({ ...base, hardware: hw("B") }));
  });
  it("changes with every inventory section (a watched file's hash, a port, a sysctl value), not with key order", () => {
    const file = { path: "/etc/hosts", sha256: "a".repeat(64), size: 1, mode: "0644" };
    const inventory = { ...base, files: [file], ports: [{ proto: "tcp" as const, address: "0.0.0.0", port: 22 }], sysctl: { a: "1", b: "2" } };
    const h = snapshotContentHash(inventory);
    expect(h).not.toBe(snapshotContentHash(base));
    expect(snapshotContentHash({ ...inventory, files: [{ ...file, sha256: "b".repeat(64) }] })).not.toBe(h);
    expect(snapshotContentHash({ ...inventory, ports: [{ proto: "tcp", address: "0.0.0.0", port: 2222 }] })).not.toBe(h);
    expect(snapshotContentHash({ ...inventory, sysctl: { a: "1", b: "3" } })).not.toBe(h);
    expect(snapshotContentHash({ ...inventory, sysctl: { b: "2", a: "1" }, files: [{ mode: "0644", size: 1, sha256: "a".repeat(64), path: "/etc/hosts" }] })).toBe(h);
  });
});
