import { describe, expect, it } from "vitest";
import { HardwareSchema, hardwareItemKey } from "../../lib/protocol/hardware";
import { collectHardware, diskType, parseCpuinfo, parseSmartHealth, parseVpdSerial } from "./hardware";
import { DISTROS, fixtureRoot } from "./fixtures/fixture";
import { hostPaths } from "./host-paths";

const at = (distro: (typeof DISTROS)[number]) => hostPaths(fixtureRoot(distro));

describe("collectHardware on recorded sysfs trees", () => {
  it("Debian 12 (this build machine, a VM without DMI or SMBIOS): CPU, the virtio disk by its serial, eth0 only", async () => {
    const hw = await collectHardware(at("debian12"));
    expect(hw.system).toBeUndefined();
    expect(hw.cpu).toEqual({ model: "AMD EPYC", vendor: "AuthenticAMD", sockets: 1, cores: 2, threads: 2 });
    expect(hw.memory).toEqual([]);
    // loop0 and zram0 are not disks; virtio's PCI vendor id is not a model.
    expect(hw.disks).toEqual([{ name: "vda", sizeBytes: 536870912 * 512, type: "virtual", serial: "overlayblk" }]);
    // ifb0 has no device behind it, lo is loopback; the VM reports no link speed.
    expect(hw.nics).toEqual([{ name: "eth0", mac: "02:fc:00:00:00:01" }]);
    expect(hw.gpus).toEqual([]);
  });

  it("Rocky 9 (a PowerEdge): DMI ids, 4 of 16 DIMM slots, SATA serials from VPD page 0x80, NVMe, onboard NICs, the BMC's VGA", async () => {
    const hw = await collectHardware(at("rocky9"));
    expect(hw.system).toEqual({
      vendor: "Dell Inc.",
      product: "PowerEdge R650",
      boardVendor: "Dell Inc.",
      boardName: "0PYXKY",
      biosVendor: "Dell Inc.",
      biosVersion: "1.9.2",
      biosDate: "01/19/2023",
    });
    expect(hw.cpu).toEqual({ model: "Intel(R) Xeon(R) Silver 4309Y CPU @ 2.80GHz", vendor: "GenuineIntel", sockets: 2, cores: 4, threads: 8 });
    expect(hw.memory.map((m) => m.slot)).toEqual(["A1", "A2", "B1", "B2"]);
    expect(hw.memory[0]).toEqual({ slot: "A1", sizeBytes: 32 * 1024 ** 3, type: "DDR4", speedMts: 3200, manufacturer: "00AD063200AD", partNumber: "HMAA4GR7CJR8N-XN", serial: "8B3C50A1" });
    expect(hw.disks).toEqual([
      { name: "nvme0n1", sizeBytes: 3750748848 * 512, type: "nvme", model: "Dell Ent NVMe CM6 RI 1.92TB", serial: "Y1S0A0ABCDEF" },
      { name: "sda", sizeBytes: 937703088 * 512, type: "ssd", model: "MZ7L3480HCHQ-00A07", serial: "S6KNNE0T512345" },
      { name: "sdb", sizeBytes: 7814037168 * 512, type: "hdd", model: "ST4000NM000A-2HZ100", serial: "WJG1ABCD" },
    ]);
    // docker0 and the veth have no device: they would drift with every container.
    expect(hw.nics).toEqual([
      { name: "eno1", mac: "b0:7b:25:d4:6a:10", speedMbps: 1000 },
      { name: "eno2", mac: "b0:7b:25:d4:6a:11" },
    ]);
    expect(hw.gpus).toEqual([{ slot: "0000:03:00.0", vendorId: "0x102b", deviceId: "0x0536", vendor: "Matrox", driver: "mgag200" }]);
    expect(HardwareSchema.safeParse(hw).success).toBe(true);
  });

  it("Alpine 3.19 (a Raspberry Pi 4): an Arm core named from its part number, the SD card and a USB disk, platform GPUs skipped", async () => {
    const hw = await collectHardware(at("alpine319"));
    expect(hw.system).toBeUndefined();
    expect(hw.cpu).toEqual({ model: "ARM Cortex-A72", sockets: 1, cores: 4, threads: 4 });
    expect(hw.disks).toEqual([
      { name: "mmcblk0", sizeBytes: 62333952 * 512, type: "ssd", model: "SN64G", serial: "0x8b3d9f21" },
      { name: "sda", sizeBytes: 1953525168 * 512, type: "hdd", model: "Samsung Portable SSD T5" },
    ]);
    expect(hw.nics).toEqual([{ name: "eth0", mac: "dc:a6:32:12:34:56", speedMbps: 1000 }, { name: "wlan0", mac: "dc:a6:32:12:34:57" }]);
    // vc4/v3d are platform devices without PCI ids: not reported rather than guessed.
    expect(hw.gpus).toEqual([]);
  });

  it("asks smartctl per disk when it exists and keeps only a clear verdict", async () => {
    const asked: string[] = [];
    const hw = await collectHardware(at("rocky9"), {
      smart: async (disk) => {
        asked.push(disk);
        if (disk === "sda") return JSON.stringify({ smart_status: { passed: true } });
        if (disk === "sdb") return JSON.stringify({ smart_status: { passed: false } });
        return "not json";
      },
    });
    expect(asked).toEqual(["nvme0n1", "sda", "sdb"]);
    expect(hw.disks.map((d) => d.smartHealth)).toEqual([undefined, "passed", "failed"]);
  });

  it("reads this machine's real /sys and /proc into a section the server accepts", async () => {
    const hw = await collectHardware(hostPaths("/"));
    expect(HardwareSchema.safeParse(hw).success).toBe(true);
    expect(hw.cpu?.threads).toBeGreaterThan(0);
    expect(hw.disks.length).toBeGreaterThan(0);
  });

  it("reports nothing, not an error, for a root without /sys or /proc", async () => {
    expect(await collectHardware(hostPaths("/nonexistent-root"))).toEqual({ memory: [], disks: [], nics: [], gpus: [] });
  });
});

describe("hardware parsers", () => {
  it("counts sockets, cores and threads from physical/core ids", () => {
    const block = (p: number, phys: number, core: number) => `processor\t: ${p}\nmodel name\t: X\nphysical id\t: ${phys}\ncore id\t\t: ${core}\n`;
    expect(parseCpuinfo([block(0, 0, 0), block(1, 0, 0), block(2, 0, 1), block(3, 0, 1)].join("\n"))).toMatchObject({ sockets: 1, cores: 2, threads: 4 });
    expect(parseCpuinfo("")).toBeUndefined();
    expect(parseCpuinfo("processor\t: 0\nCPU implementer\t: 0x61\nCPU part\t: 0x022\n")?.model).toBe("ARM implementer 0x61 part 0x022");
  });

  it("classifies disks", () => {
    expect(diskType("nvme1n1", "0", undefined)).toBe("nvme");
    expect(diskType("vdb", "1", "0x1af4")).toBe("virtual");
    expect(diskType("sda", "1", "QEMU")).toBe("virtual");
    expect(diskType("sda", "1", "ATA")).toBe("hdd");
    expect(diskType("sda", "0", "ATA")).toBe("ssd");
  });

  it("reads a VPD serial page and refuses other pages", () => {
    expect(parseVpdSerial(Buffer.from("\x00\x80\x00\x05ABCDE", "latin1"))).toBe("ABCDE");
    expect(parseVpdSerial(Buffer.from("\x00\x83\x00\x05ABCDE", "latin1"))).toBeUndefined();
    expect(parseVpdSerial(Buffer.from([0, 0x80]))).toBeUndefined();
  });

  it("reads smartctl's verdict", () => {
    expect(parseSmartHealth('{"smart_status":{"passed":true}}')).toBe("passed");
    expect(parseSmartHealth('{"smartctl":{"exit_status":1}}')).toBeUndefined();
  });

  it("keys disks by serial, or by name when they have none", () => {
    expect(hardwareItemKey("disks", { name: "sda", serial: "X1", sizeBytes: 1, type: "ssd" })).toBe("serial:X1");
    expect(hardwareItemKey("disks", { name: "vda", sizeBytes: 1, type: "virtual" })).toBe("name:vda");
    expect(hardwareItemKey("memory", { slot: "A1", sizeBytes: 1 })).toBe("A1");
  });
});
