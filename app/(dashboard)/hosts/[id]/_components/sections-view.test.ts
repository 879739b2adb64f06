import { describe, expect, it } from "vitest";
import type { SnapshotDiff } from "@/lib/client/types";
import { presentSections, sectionChanges, sectionTable } from "./sections-view";

const ports = [
  { proto: "tcp" as const, address: "0.0.0.0", port: 22, process: "sshd" },
  { proto: "udp" as const, address: "127.0.0.53", port: 53, process: "systemd-resolve" },
  { proto: "tcp6" as const, address: "::", port: 8080 },
];

describe("sectionTable", () => {
  it("lists every item by name with the section's columns", () => {
    const t = sectionTable("ports", ports, "");
    expect(t.columns).toEqual(["Protocol", "Address", "Port", "Process"]);
    expect(t.rows.map((r) => r.cells)).toEqual([
      ["tcp", "0.0.0.0", "22", "sshd"],
      ["tcp6", "::", "8080", ""],
      ["udp", "127.0.0.53", "53", "systemd-resolve"],
    ]);
    expect([t.total, t.hits]).toEqual([3, 3]);
  });

  it("searches every cell, case-insensitive and literal, and caps the rows drawn", () => {
    expect(sectionTable("ports", ports, "SSH").rows.map((r) => r.cells[2])).toEqual(["22"]);
    expect(sectionTable("ports", ports, "8080").hits).toBe(1);
    expect(sectionTable("ports", ports, ".*").hits).toBe(0);
    const many = Array.from({ length: 30 }, (_, i) => ({ unit: `u${i}.service`, active: "active" }));
    const t = sectionTable("services", many, "", 10);
    expect([t.rows.length, t.hits]).toEqual([10, 30]);
  });

  it("shows a file the agent could not read as such", () => {
    expect(sectionTable("files", [{ path: "/etc/sudoers", size: 1, mode: "0440", error: "permission denied" }], "").rows[0]!.cells[1]).toBe("unreadable: permission denied");
  });
});

describe("presentSections and sectionChanges", () => {
  it("lists the sections the snapshot carries, in display order", () => {
    expect(presentSections({ services: [], ports: [], kernelCmdline: "ro" })).toEqual(["ports", "services"]);
  });

  it("turns a section's diff into lines naming each item and what changed", () => {
    const diff = {
      packages: { added: [], removed: [], changed: [] },
      env: { added: [], removed: [], changed: [] },
      kernel: null,
      os: null,
      ports: { added: [ports[0]!], removed: [], changed: [] },
      users: { added: [], removed: [], changed: [{ name: "bob", fields: ["shell"], from: { name: "bob", uid: 1, gid: 1, shell: "/bin/bash" }, to: { name: "bob", uid: 1, gid: 1, shell: "/bin/zsh" } }] },
    } satisfies SnapshotDiff;
    expect(sectionChanges("ports", diff)).toEqual([{ kind: "added", text: "tcp 0.0.0.0:22" }]);
    expect(sectionChanges("users", diff)).toEqual([{ kind: "changed", text: "bob: shell /bin/bash → /bin/zsh" }]);
    expect(sectionChanges("jobs", diff)).toEqual([]);
  });
});
