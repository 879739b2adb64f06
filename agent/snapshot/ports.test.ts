import { describe, expect, it } from "vitest";
import { ListeningPortSchema } from "../../lib/protocol";
import { fixture, fixtureRoot } from "../collect/fixtures/fixture";
import { hostPaths } from "../collect/host-paths";
import { collectPorts, listeningPorts, parseProcNet, socketOwners } from "./ports";

describe("parseProcNet", () => {
  it("keeps listening TCP sockets only (the Debian machine's 75 lines are mostly connections)", () => {
    const sockets = parseProcNet(fixture("debian12", "proc/net/tcp"), "tcp");
    expect(sockets.map((s) => s.port).sort((a, b) => a - b)).toEqual([1883, 2024, 3306, 4222, 4369, 5432, 5433, 5672, 6379, 25672]);
    expect(sockets.find((s) => s.port === 5432)).toEqual({ proto: "tcp", address: "127.0.0.1", port: 5432, inode: "4546" });
  });

  it("decodes IPv6 addresses word by word, short form, and v4-mapped ones", () => {
    expect(parseProcNet(fixture("debian12", "proc/net/tcp6"), "tcp6")).toContainEqual({ proto: "tcp6", address: "::1", port: 6379, inode: "4642" });
    expect(parseProcNet(fixture("rocky9", "proc/net/tcp6"), "tcp6").map((s) => [s.address, s.port])).toEqual([
      ["::", 22],
      ["::ffff:10.0.2.15", 80],
    ]);
  });

  it("keeps bound, unconnected UDP sockets and leaves out connected ones (a resolver's query)", () => {
    expect(parseProcNet(fixture("rocky9", "proc/net/udp"), "udp")).toEqual([{ proto: "udp", address: "127.0.0.1", port: 323, inode: "19022" }]);
    expect(parseProcNet(fixture("rocky9", "proc/net/udp6"), "udp6")).toEqual([{ proto: "udp6", address: "::1", port: 323, inode: "19023" }]);
    expect(parseProcNet(fixture("alpine319", "proc/net/udp"), "udp")).toEqual([]);
  });

  it("skips malformed lines", () => {
    expect(parseProcNet("header\n 0: zz:0016 00000000:0000 0A 0 0 0 0 0 1\n 1: 00000000:XYZW 00000000:0000 0A 0 0 0 0 0 1\n", "tcp")).toEqual([]);
  });
});

describe("owners and the section", () => {
  it("names each socket's process from the fd links, once per address and port", async () => {
    const paths = hostPaths(fixtureRoot("rocky9"));
    const owners = await socketOwners(paths, new Set(["20431", "20433", "19022", "24410", "33817"]));
    expect(Object.fromEntries(owners)).toEqual({ "20431": "sshd", "20433": "sshd", "19022": "chronyd", "24410": "dockerd" });
    const dup = [
      { proto: "tcp" as const, address: "0.0.0.0", port: 80, inode: "1" },
      { proto: "tcp" as const, address: "0.0.0.0", port: 80, inode: "2" },
    ];
    expect(listeningPorts(dup, new Map([["2", "nginx"]]))).toEqual([{ proto: "tcp", address: "0.0.0.0", port: 80, process: "nginx" }]);
  });

  it.each([
    ["debian12", { proto: "tcp", address: "127.0.0.1", port: 5432, process: "postgres" }, 12],
    ["rocky9", { proto: "tcp", address: "0.0.0.0", port: 22, process: "sshd" }, 7],
    ["alpine319", { proto: "tcp", address: "0.0.0.0", port: 80, process: "nginx" }, 3],
  ] as const)("lists the %s fixture's ports with their processes", async (distro, expected, count) => {
    const ports = await collectPorts(hostPaths(fixtureRoot(distro)));
    expect(ports).toHaveLength(count);
    expect(ports).toContainEqual(expected);
    for (const p of ports) expect(ListeningPortSchema.safeParse(p).success).toBe(true);
  });
});
