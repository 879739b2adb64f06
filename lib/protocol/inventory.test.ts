import { describe, expect, it } from "vitest";
import { MAX_CMDLINE_CHARS, MAX_PORTS, MAX_PROCESSES_PER_SAMPLE, SampleSchema, SnapshotSchema, TelemetryBodySchema } from "./index";

const sample = { ts: "2026-12-01T12:00:00Z", cpuPct: 1, memPct: 2, diskPct: 3, uptimeS: 4 };
const snapshot = { ts: "2026-12-01T12:00:00Z", packages: [], env: {} };
const proc = { pid: 42, name: "nginx", user: "www-data", cpuPct: 12.5, rssBytes: 1_048_576, state: "S", startedAt: "2026-12-01T11:00:00Z", cmdline: "nginx: worker process" };

const paths = (r: { error?: { issues: { path: PropertyKey[] }[] } }) => r.error?.issues.map((i) => i.path.join(".")) ?? [];

describe("a sample's processes", () => {
  it("accepts the contract's shape and a sample without processes (older agents)", () => {
    expect(SampleSchema.safeParse({ ...sample, processes: [proc, { pid: 1, name: "init", cpuPct: 0, rssBytes: 0 }] }).success).toBe(true);
    expect(SampleSchema.safeParse(sample).success).toBe(true);
  });

  it(`refuses more than ${MAX_PROCESSES_PER_SAMPLE} processes, naming the field inside a batch`, () => {
    const processes = Array.from({ length: MAX_PROCESSES_PER_SAMPLE + 1 }, (_, i) => ({ ...proc, pid: i + 1 }));
    const r = TelemetryBodySchema.safeParse({ samples: [{ ...sample, processes }] });
    expect(r.success).toBe(false);
    expect(paths(r)).toEqual(["samples.0.processes"]);
    expect(r.error!.issues[0]!.message).toBe(`at most ${MAX_PROCESSES_PER_SAMPLE} processes per sample`);
  });

  it(`refuses a command line past ${MAX_CMDLINE_CHARS} characters, NUL bytes and unpaired surrogates`, () => {
    expect(SampleSchema.safeParse({ ...sample, processes: [{ ...proc, cmdline: "x".repeat(MAX_CMDLINE_CHARS) }] }).success).toBe(true);
    for (const bad of [{ cmdline: "x".repeat(MAX_CMDLINE_CHARS + 1) }, { cmdline: "a\u0000b" }, { name: "\uD800x" }, { user: "\uDC00" }]) {
      const r = TelemetryBodySchema.safeParse({ samples: [{ ...sample, processes: [{ ...proc, ...bad }] }] });
      expect(paths(r), JSON.stringify(bad)).toEqual([`samples.0.processes.0.${Object.keys(bad)[0]}`]);
    }
  });

  it("bounds the numbers: pid, share of the host's CPU, bytes", () => {
    for (const bad of [{ pid: -1 }, { pid: 1.5 }, { pid: 5_000_000 }, { cpuPct: 100.1 }, { cpuPct: -1 }, { rssBytes: Number.NaN }, { rssBytes: 0.5 }, { startedAt: "yesterday" }, { name: "" }]) {
      const r = SampleSchema.safeParse({ ...sample, processes: [{ ...proc, ...bad }] });
      expect(paths(r), JSON.stringify(bad)).toEqual([`processes.0.${Object.keys(bad)[0]}`]);
    }
  });
});

const sections = {
  ports: [{ proto: "tcp", address: "0.0.0.0", port: 22, process: "sshd" }, { proto: "udp6", address: "::", port: 53 }],
  users: [{ name: "root", uid: 0, gid: 0, shell: "/bin/bash", home: "/root" }, { name: "nobody", uid: 65534, gid: 65534 }],
  groups: [{ name: "sudo", gid: 27, members: ["alice", "bob"] }],
  services: [{ unit: "ssh.service", enabled: "enabled", active: "active", sub: "running" }],
  servicesUnavailable: undefined,
  jobs: [{ source: "/etc/crontab", schedule: "17 * * * *", command: "cd / && run-parts --report /etc/cron.hourly", user: "root" }],
  files: [
    { path: "/etc/hosts", sha256: "a".repeat(64), size: 221, mode: "0644", owner: "root:root", mtime: "2026-11-30T08:00:00Z" },
    { path: "/etc/sudoers", size: 1800, mode: "0440", owner: "root:root", error: "permission denied" },
  ],
  kernelCmdline: "BOOT_IMAGE=/vmlinuz root=UUID=1234 ro quiet",
  sysctl: { "net.ipv4.ip_forward": "0", "kernel.randomize_va_space": "2" },
};

describe("a snapshot's inventory sections", () => {
  it("accepts every section, and a snapshot with none of them (older agents)", () => {
    const r = SnapshotSchema.safeParse({ ...snapshot, ...sections });
    expect(r.success).toBe(true);
    expect(r.data!.ports).toEqual(sections.ports);
    expect(SnapshotSchema.safeParse(snapshot).success).toBe(true);
    expect(SnapshotSchema.safeParse({ ...snapshot, services: [], servicesUnavailable: "systemd is not running (PID 1 is busybox)" }).success).toBe(true);
  });

  it.each([
    ["ports.0.proto", { ports: [{ proto: "sctp", address: "0.0.0.0", port: 1 }] }],
    ["ports.0.port", { ports: [{ proto: "tcp", address: "0.0.0.0", port: 65_536 }] }],
    ["ports.0.address", { ports: [{ proto: "tcp", address: "1\u0000", port: 1 }] }],
    ["users.0.uid", { users: [{ name: "x", uid: -1, gid: 0 }] }],
    ["users.0.name", { users: [{ name: "", uid: 1, gid: 0 }] }],
    ["groups.0.members.0", { groups: [{ name: "g", gid: 1, members: ["\uD800"] }] }],
    ["services.0.unit", { services: [{ unit: "x".repeat(257) }] }],
    ["jobs.0.command", { jobs: [{ source: "/etc/crontab", schedule: "@daily", command: "x".repeat(4097) }] }],
    ["files.0.sha256", { files: [{ path: "/etc/hosts", sha256: "ABC", size: 1, mode: "0644" }] }],
    ["files.0.mode", { files: [{ path: "/etc/hosts", size: 1, mode: "rw-r--r--" }] }],
    ["kernelCmdline", { kernelCmdline: "x".repeat(4097) }],
    ["sysctl", { sysctl: Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`k${i}`, "1"])) }],
    ["sysctl.k", { sysctl: { k: "\u0000" } }],
  ])("refuses a bad %s", (path, bad) => {
    expect(paths(SnapshotSchema.safeParse({ ...snapshot, ...bad }))).toEqual([path]);
  });

  it(`refuses more than ${MAX_PORTS} ports with the limit in the message`, () => {
    const ports = Array.from({ length: MAX_PORTS + 1 }, (_, i) => ({ proto: "tcp", address: "0.0.0.0", port: i % 65_536 }));
    const r = SnapshotSchema.safeParse({ ...snapshot, ports });
    expect(paths(r)).toEqual(["ports"]);
    expect(r.error!.issues[0]!.message).toBe(`at most ${MAX_PORTS} ports per snapshot`);
  });
});
