import { describe, expect, it } from "vitest";
import { canonicalSnapshotHash, diffSnapshots, isEmptyDiff, summarizeDiff, type SnapshotContent } from "./diff";
import { hardwareItems, type Hardware } from "@/lib/protocol";
import { SECTION_SPECS, canonicalJson, diffKeyedList, diffSections, diffSysctl, isEmptySectionsDiff, type PortItem } from "./sections";

const base = (over: Partial<SnapshotContent> = {}): SnapshotContent => ({ os: "Debian 12", kernel: "6.1", packages: [], env: {}, ...over });
const ssh: PortItem = { proto: "tcp", address: "0.0.0.0", port: 22, process: "sshd" };

describe("diffKeyedList", () => {
  it("keys ports by proto + address + port: a new owner is a change, a new port an addition", () => {
    const d = diffKeyedList(SECTION_SPECS.ports, [ssh, { proto: "udp", address: "::", port: 53 }], [
      { ...ssh, process: "dropbear" },
      { proto: "udp", address: "::", port: 53 },
      { proto: "tcp", address: "::", port: 8080, process: "node" },
    ]);
    expect(d.added).toEqual([{ proto: "tcp", address: "::", port: 8080, process: "node" }]);
    expect(d.removed).toEqual([]);
    expect(d.changed).toEqual([{ name: "tcp 0.0.0.0:22", fields: ["process"], from: ssh, to: { ...ssh, process: "dropbear" } }]);
  });

  it("names IPv6 listeners with brackets so a glob like '* *:22' reads both families", () => {
    expect(SECTION_SPECS.ports.name({ proto: "tcp6", address: "::", port: 22 })).toBe("tcp6 [::]:22");
  });

  it("reports a user's shell change as a change of the field shell", () => {
    const d = diffKeyedList(SECTION_SPECS.users, [{ name: "bob", uid: 1000, gid: 1000, shell: "/bin/bash" }], [{ name: "bob", uid: 1000, gid: 1000, shell: "/bin/zsh" }]);
    expect(d.changed.map((c) => [c.name, c.fields])).toEqual([["bob", ["shell"]]]);
  });

  it("treats a job as its source + schedule + command: a new schedule is one removed and one added", () => {
    const job = { source: "/etc/cron.d/backup", schedule: "0 3 * * *", command: "/usr/local/bin/backup" };
    const d = diffKeyedList(SECTION_SPECS.jobs, [job], [{ ...job, schedule: "0 4 * * *" }]);
    expect(d.removed).toEqual([job]);
    expect(d.added).toEqual([{ ...job, schedule: "0 4 * * *" }]);
    expect(d.changed).toEqual([]);
  });

  it("ignores order and key order, and collapses a repeated identity into its first item", () => {
    const a = [{ path: "/etc/hosts", sha256: "a".repeat(64), size: 1, mode: "0644" }, { path: "/etc/fstab", sha256: "b".repeat(64), size: 2, mode: "0644" }];
    const b = [{ mode: "0644", size: 2, sha256: "b".repeat(64), path: "/etc/fstab" }, a[0]!, { ...a[0]!, sha256: "c".repeat(64) }];
    const d = diffKeyedList(SECTION_SPECS.files, a, b);
    expect(d).toEqual({ added: [], removed: [], changed: [] });
  });

  it("sorts every list by name so a stored diff equals a recomputed one", () => {
    const items = ["zeta.service", "alpha.service", "mid.service"].map((unit) => ({ unit, active: "active" }));
    const d = diffKeyedList(SECTION_SPECS.services, [], items);
    expect(d.added.map((s) => s.unit)).toEqual(["alpha.service", "mid.service", "zeta.service"]);
  });

  it("stays linear: 10,000 ports against 10,000 with one change", () => {
    const many: PortItem[] = Array.from({ length: 10_000 }, (_, i) => ({ proto: "tcp", address: "10.0.0.1", port: i }));
    const next = many.map((p) => (p.port === 5000 ? { ...p, process: "x" } : p));
    const d = diffKeyedList(SECTION_SPECS.ports, many, next);
    expect(d.changed).toHaveLength(1);
    expect(d.added.length + d.removed.length).toBe(0);
  });
});

describe("diffSections", () => {
  it("treats a section that appears as a baseline and one that disappears as unknown, not as all added or removed", () => {
    expect(diffSections({}, { ports: [ssh] })).toEqual({});
    expect(diffSections({ ports: [ssh] }, {})).toEqual({});
    expect(diffSections({ ports: [] }, { ports: [ssh] })).toEqual({ ports: { added: [ssh], removed: [], changed: [] } });
  });

  it("diffs the kernel command line as from/to and sysctl by key", () => {
    const d = diffSections(
      { kernelCmdline: "ro quiet", sysctl: { "net.ipv4.ip_forward": "0", "kernel.randomize_va_space": "2" } },
      { kernelCmdline: "ro quiet mitigations=off", sysctl: { "net.ipv4.ip_forward": "1", "fs.protected_symlinks": "1" } },
    );
    expect(d.kernelCmdline).toEqual({ from: "ro quiet", to: "ro quiet mitigations=off" });
    expect(d.sysctl).toEqual({
      added: [{ key: "fs.protected_symlinks", value: "1" }],
      removed: [{ key: "kernel.randomize_va_space", value: "2" }],
      changed: [{ key: "net.ipv4.ip_forward", from: "0", to: "1" }],
    });
    expect(isEmptySectionsDiff(d)).toBe(false);
    expect(diffSysctl({ a: "1" }, { a: "1" })).toEqual({ added: [], removed: [], changed: [] });
  });

  it("is part of diffSnapshots, isEmptyDiff and the summary", () => {
    const d = diffSnapshots(base({ ports: [ssh], services: [{ unit: "nginx.service", active: "active" }] }), base({ ports: [], services: [{ unit: "nginx.service", active: "failed" }] }));
    expect(d.ports?.removed).toEqual([ssh]);
    expect(d.services?.changed[0]?.fields).toEqual(["active"]);
    expect(isEmptyDiff(d)).toBe(false);
    expect(summarizeDiff(d)).toBe("+0 \u22121 ~0 ports, +0 \u22120 ~1 services");
  });
});

describe("canonicalSnapshotHash with sections", () => {
  it("keeps the v1 hash for snapshots without sections, so old agents' unchanged uploads stay unchanged", () => {
    const old = base({ packages: [{ name: "vim", version: "9" }] });
    expect(canonicalSnapshotHash(old)).toBe(canonicalSnapshotHash({ ...old, ports: undefined }));
  });

  it("is equal exactly when the diff is empty: order and duplicates do not count, content does", () => {
    const a = base({ users: [{ name: "a", uid: 1, gid: 1 }, { name: "b", uid: 2, gid: 2 }] });
    const reordered = base({ users: [{ gid: 2, uid: 2, name: "b" }, { name: "a", uid: 1, gid: 1 }, { name: "a", uid: 9, gid: 9 }] });
    expect(isEmptyDiff(diffSnapshots(a, reordered))).toBe(true);
    expect(canonicalSnapshotHash(a)).toBe(canonicalSnapshotHash(reordered));
    const shell = base({ users: [{ name: "a", uid: 1, gid: 1, shell: "/bin/sh" }, { name: "b", uid: 2, gid: 2 }] });
    expect(canonicalSnapshotHash(a)).not.toBe(canonicalSnapshotHash(shell));
    expect(canonicalSnapshotHash(base({ ports: [] }))).not.toBe(canonicalSnapshotHash(base()));
  });
});

describe("canonicalJson", () => {
  it("sorts keys and drops undefined", () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: undefined }] })).toBe('{"a":[{"d":1}],"b":1}');
  });
});

describe("hardware section", () => {
  const base: Hardware = {
    system: { vendor: "Dell Inc.", product: "PowerEdge R650" },
    cpu: { model: "Xeon Gold 6330", sockets: 2, cores: 56, threads: 112 },
    memory: [{ slot: "A1", sizeBytes: 34359738368, type: "DDR4" }],
    disks: [{ name: "sda", serial: "WD-1", sizeBytes: 1e12, type: "ssd" }],
    nics: [{ name: "eno1", mac: "aa:bb:cc:dd:ee:ff", speedMbps: 1000 }],
    gpus: [],
  };

  it("lists every component once, by kind and identity", () => {
    const items = hardwareItems(base);
    expect(items.map((i) => SECTION_SPECS.hardware.name(i))).toEqual(["system", "cpu", "memory A1", "disk sda (WD-1)", "nic eno1"]);
  });

  it("shows a replaced disk as one removed and one added, a resized module as changed", () => {
    const next: Hardware = { ...base, memory: [{ slot: "A1", sizeBytes: 68719476736, type: "DDR4" }], disks: [{ name: "sda", serial: "WD-2", sizeBytes: 1e12, type: "ssd" }] };
    const d = diffSections({ hardware: hardwareItems(base) }, { hardware: hardwareItems(next) });
    expect(d.hardware?.removed.map((i) => SECTION_SPECS.hardware.name(i))).toEqual(["disk sda (WD-1)"]);
    expect(d.hardware?.added.map((i) => SECTION_SPECS.hardware.name(i))).toEqual(["disk sda (WD-2)"]);
    expect(d.hardware?.changed).toEqual([expect.objectContaining({ name: "memory A1", fields: ["sizeBytes"] })]);
  });

  it("treats hardware that one snapshot lacks as unknown, not as everything removed", () => {
    expect(diffSections({ hardware: hardwareItems(base) }, {})).toEqual({});
    expect(isEmptySectionsDiff(diffSections({ hardware: hardwareItems(base) }, { hardware: hardwareItems(base) }))).toBe(true);
  });
});
