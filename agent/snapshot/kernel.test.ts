import { describe, expect, it } from "vitest";
import { SnapshotSchema } from "../../lib/protocol";
import { DISTROS, fixture, fixtureRoot } from "../collect/fixtures/fixture";
import { hostPaths } from "../collect/host-paths";
import { DEFAULT_SYSCTL_KEYS } from "../settings";
import { collectSysctl, kernelCmdline, readKernelCmdline, sysctlFile, sysctlValue } from "./kernel";

describe("kernel command line", () => {
  it.each(DISTROS)("reads the %s fixture's /proc/cmdline as one line", async (distro) => {
    const line = await readKernelCmdline(hostPaths(fixtureRoot(distro)));
    expect(line).toBe(fixture(distro, "proc/cmdline").trim());
    expect(SnapshotSchema.shape.kernelCmdline.safeParse(line).success).toBe(true);
  });

  it("redacts a secret a boot parameter carries", () => {
    expect(kernelCmdline("root=/dev/sda1 ip=dhcp iscsi_password=hunter2 quiet\n")).toBe("root=/dev/sda1 ip=dhcp iscsi_password=[redacted] quiet");
  });
});

describe("sysctl", () => {
  it("maps keys to /proc/sys files and shows multi-field values as sysctl -n does", () => {
    expect(sysctlFile("net.ipv4.conf.all.rp_filter")).toBe("sys/net/ipv4/conf/all/rp_filter");
    expect(sysctlValue(fixture("debian12", "proc/sys/net/ipv4/ip_local_port_range"))).toBe("32768 60999");
  });

  it.each([
    ["debian12", { "kernel.randomize_va_space": "2", "net.ipv4.ip_forward": "0", "net.ipv4.conf.all.rp_filter": "2", "fs.protected_symlinks": "1", "fs.protected_regular": "2" }],
    ["rocky9", { "kernel.randomize_va_space": "2", "net.ipv4.ip_forward": "1", "net.ipv6.conf.all.forwarding": "0", "net.ipv4.conf.all.rp_filter": "0", "fs.protected_hardlinks": "1", "fs.protected_symlinks": "1" }],
    ["alpine319", { "kernel.randomize_va_space": "2", "net.ipv4.ip_forward": "0", "net.ipv4.conf.all.rp_filter": "0", "fs.protected_symlinks": "1" }],
  ] as const)("reads the default security set from the %s fixture, leaving out keys the kernel lacks", async (distro, expected) => {
    expect(await collectSysctl(hostPaths(fixtureRoot(distro)), DEFAULT_SYSCTL_KEYS)).toEqual(expected);
  });

  it("reads this machine's values", async () => {
    const values = await collectSysctl(hostPaths("/"), ["kernel.randomize_va_space", "net.ipv4.ip_forward", "no.such.key"]);
    expect(Object.keys(values)).toEqual(["kernel.randomize_va_space", "net.ipv4.ip_forward"]);
    expect(values["kernel.randomize_va_space"]).toMatch(/^[012]$/);
  });
});
