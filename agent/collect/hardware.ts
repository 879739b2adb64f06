import { execFile } from "node:child_process";
import { readFile, readdir, readlink } from "node:fs/promises";
import path from "node:path";
import type { Gpu, Hardware, HardwareCpu, HardwareDisk, HardwareSystem, NetworkInterface } from "../../lib/protocol/hardware";
import { HARDWARE_LIMITS, type DiskType } from "../../lib/protocol/constants";
import { cleanFirmwareString, parseSmbiosMemory } from "./hardware-smbios";
import { inProc, inRoot, type HostPaths } from "./host-paths";

/**
 * The machine's hardware, read straight from sysfs and /proc with each snapshot: DMI ids,
 * /proc/cpuinfo, the SMBIOS table (memory modules, root only), /sys/block, /sys/class/net and
 * /sys/class/drm. Every part is optional: a VM without DMI, a non-root agent or a container
 * without /sys simply reports less. `smartctl` is asked for each disk's health when it exists.
 */

const readText = (file: string) => readFile(file, "utf8").then((t) => t.trim(), () => undefined);
const list = (dir: string) => readdir(dir).then((names) => names.sort(), () => [] as string[]);

/** Arm Ltd. (implementer 0x41) core part numbers, as the kernel's cputype.h names them. */
const ARM_PARTS: Record<string, string> = {
  "0xd03": "Cortex-A53",
  "0xd04": "Cortex-A35",
  "0xd05": "Cortex-A55",
  "0xd07": "Cortex-A57",
  "0xd08": "Cortex-A72",
  "0xd09": "Cortex-A73",
  "0xd0a": "Cortex-A75",
  "0xd0b": "Cortex-A76",
  "0xd0c": "Neoverse-N1",
  "0xd40": "Neoverse-V1",
  "0xd49": "Neoverse-N2",
  "0xd4f": "Neoverse-V2",
};

function armModel(implementer: string | undefined, part: string | undefined): string | undefined {
  if (!implementer) return undefined;
  const known = implementer === "0x41" && part ? ARM_PARTS[part.toLowerCase()] : undefined;
  return known ? `ARM ${known}` : `ARM implementer ${implementer} part ${part ?? "unknown"}`;
}

/** /proc/cpuinfo's blocks (one per logical CPU) as key/value maps. */
export function parseCpuinfo(text: string): HardwareCpu | undefined {
  const blocks = text
    .split(/\n\s*\n/)
    .map((block) => new Map(block.split("\n").map((line) => [line.slice(0, line.indexOf(":")).trim(), line.slice(line.indexOf(":") + 1).trim()] as const)))
    .filter((b) => b.has("processor"));
  if (!blocks.length) return undefined;
  const first = blocks[0]!;
  // x86 says "model name"; arm64 kernels give only the implementer and part numbers.
  const model = first.get("model name") || armModel(first.get("CPU implementer"), first.get("CPU part"));
  if (!model) return undefined;
  const sockets = new Set(blocks.map((b) => b.get("physical id") ?? "0"));
  const cores = new Set(blocks.map((b) => `${b.get("physical id") ?? "0"}:${b.get("core id") ?? b.get("processor")}`));
  const cpu: HardwareCpu = { model: model.replace(/\s+/g, " ").slice(0, 256), sockets: sockets.size, cores: cores.size, threads: blocks.length };
  const vendor = first.get("vendor_id");
  if (vendor) cpu.vendor = vendor;
  return cpu;
}

async function readSystem(sys: string): Promise<HardwareSystem | undefined> {
  const dmi = (name: string) => readText(path.join(sys, "class/dmi/id", name)).then(cleanFirmwareString);
  const [vendor, product, boardVendor, boardName, biosVendor, biosVersion, biosDate] = await Promise.all(
    ["sys_vendor", "product_name", "board_vendor", "board_name", "bios_vendor", "bios_version", "bios_date"].map(dmi),
  );
  const system: HardwareSystem = Object.fromEntries(
    Object.entries({ vendor, product, boardVendor, boardName, biosVendor, biosVersion, biosDate }).filter(([, v]) => v !== undefined),
  );
  return Object.keys(system).length ? system : undefined;
}

/** Block devices that are not disks: loop, RAM, compressed swap, device-mapper and md layers, optical, floppies, network blocks. */
const NOT_A_DISK = /^(loop|ram|zram|dm-|md|sr|fd|nbd|zd|drbd)\d|^mmcblk\d+(boot\d|rpmb)$/;

/** Hypervisors' disk vendors (sysfs `device/vendor`). */
const VIRTUAL_VENDORS = /^(qemu|vmware|msft|virtual|xen|red hat|vbox)/i;

export function diskType(name: string, rotational: string | undefined, vendor: string | undefined): DiskType {
  if (name.startsWith("nvme")) return "nvme";
  if (/^(vd|xvd)/.test(name) || (vendor && VIRTUAL_VENDORS.test(vendor))) return "virtual";
  return rotational === "1" ? "hdd" : "ssd";
}

/** A SCSI/SATA disk's unit serial number page (VPD 0x80): a 4-byte header, then the serial. */
export function parseVpdSerial(page: Buffer): string | undefined {
  if (page.length < 4 || page[1] !== 0x80) return undefined;
  const length = page.readUInt16BE(2);
  return cleanFirmwareString(page.toString("latin1", 4, Math.min(page.length, 4 + length)));
}

async function readDisk(sys: string, name: string): Promise<HardwareDisk | undefined> {
  const dir = path.join(sys, "block", name);
  const [size, rotational, vendor, model, mmcName, serialAttr, deviceSerial, vpd] = await Promise.all([
    readText(path.join(dir, "size")),
    readText(path.join(dir, "queue/rotational")),
    readText(path.join(dir, "device/vendor")),
    readText(path.join(dir, "device/model")),
    readText(path.join(dir, "device/name")),
    readText(path.join(dir, "serial")),
    readText(path.join(dir, "device/serial")),
    readFile(path.join(dir, "device/vpd_pg80")).catch(() => undefined),
  ]);
  // sysfs sizes are in 512-byte sectors whatever the disk's own sector size.
  const sizeBytes = Number(size) * 512;
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes <= 0) return undefined;
  const disk: HardwareDisk = { name, sizeBytes, type: diskType(name, rotational, vendor) };
  // "ATA" (libata), a PCI id (virtio's "0x1af4") or a hypervisor's name says nothing about the model.
  const maker = vendor && !/^(ata|0x[0-9a-f]+)$/i.test(vendor) && !VIRTUAL_VENDORS.test(vendor) ? vendor : "";
  const cleanModel = cleanFirmwareString(`${maker} ${model ?? mmcName ?? ""}`);
  const serial = cleanFirmwareString(deviceSerial) ?? cleanFirmwareString(serialAttr) ?? (vpd ? parseVpdSerial(vpd) : undefined);
  if (cleanModel) disk.model = cleanModel;
  if (serial) disk.serial = serial;
  return disk;
}

async function readNic(sys: string, name: string): Promise<NetworkInterface | undefined> {
  const dir = path.join(sys, "class/net", name);
  // Only interfaces backed by a device (physical or paravirtual): bridges, veths and tunnels
  // come and go with containers and VPNs and would make the inventory drift on every restart.
  const hasDevice = await readlink(path.join(dir, "device")).then(() => true, () => false);
  if (!hasDevice) return undefined;
  const [mac, speed] = await Promise.all([readText(path.join(dir, "address")), readText(path.join(dir, "speed"))]);
  const nic: NetworkInterface = { name };
  if (mac && mac !== "00:00:00:00:00:00") nic.mac = mac.slice(0, 64);
  const mbps = Number(speed);
  if (speed && Number.isInteger(mbps) && mbps > 0) nic.speedMbps = mbps;
  return nic;
}

const PCI_VENDORS: Record<string, string> = {
  "0x10de": "NVIDIA",
  "0x1002": "AMD",
  "0x8086": "Intel",
  "0x1af4": "Red Hat (virtio)",
  "0x1234": "QEMU",
  "0x15ad": "VMware",
  "0x1414": "Microsoft",
  "0x1a03": "ASPEED",
  "0x102b": "Matrox",
};

async function readGpu(sys: string, card: string): Promise<Gpu | undefined> {
  const device = path.join(sys, "class/drm", card, "device");
  const target = await readlink(device).catch(() => undefined);
  if (!target) return undefined;
  const [vendorId, deviceId, driver] = await Promise.all([
    readText(path.join(device, "vendor")),
    readText(path.join(device, "device")),
    readlink(path.join(device, "driver")).then((t) => path.basename(t), () => undefined),
  ]);
  if (!vendorId || !deviceId) return undefined;
  const gpu: Gpu = { slot: path.basename(target), vendorId, deviceId };
  const vendor = PCI_VENDORS[vendorId.toLowerCase()];
  if (vendor) gpu.vendor = vendor;
  if (driver) gpu.driver = driver.slice(0, 64);
  return gpu;
}

/** smartctl's JSON: `smart_status.passed` when it could ask the disk, nothing otherwise. */
export function parseSmartHealth(json: string): "passed" | "failed" | undefined {
  try {
    const passed = (JSON.parse(json) as { smart_status?: { passed?: unknown } }).smart_status?.passed;
    return passed === true ? "passed" : passed === false ? "failed" : undefined;
  } catch {
    return undefined;
  }
}

/** smartctl exits non-zero with health bits set (and still prints JSON): the output is read either way. */
export const runSmartctl =
  (smartctl: string): ((disk: string) => Promise<string>) =>
  (disk) =>
    new Promise((resolve) => {
      execFile(smartctl, ["-H", "-j", `/dev/${disk}`], { timeout: 10_000, maxBuffer: 1024 * 1024, env: { ...process.env, LC_ALL: "C" } }, (_err, stdout) =>
        resolve(String(stdout ?? "")),
      );
    });

/** At most this many disks are asked (sequentially, 10 s each at worst): a snapshot's cost stays bounded. */
const MAX_SMART_QUERIES = 32;

export interface HardwareOptions {
  /** Health of one disk by kernel name (smartctl's JSON); absent when smartctl is not installed. */
  smart?: (disk: string) => Promise<string>;
}

export async function collectHardware(paths: HostPaths, options: HardwareOptions = {}): Promise<Hardware> {
  const sys = inRoot(paths, "sys");
  const [system, cpuinfo, dmiTable, blockNames, netNames, drmNames] = await Promise.all([
    readSystem(sys),
    readFile(inProc(paths, "cpuinfo"), "utf8").catch(() => ""),
    readFile(path.join(sys, "firmware/dmi/tables/DMI")).catch(() => undefined),
    list(path.join(sys, "block")),
    list(path.join(sys, "class/net")),
    list(path.join(sys, "class/drm")),
  ]);
  const defined = <T>(items: (T | undefined)[]) => items.filter((i): i is T => i !== undefined);
  const [disks, nics, gpus] = await Promise.all([
    Promise.all(blockNames.filter((n) => !NOT_A_DISK.test(n)).slice(0, HARDWARE_LIMITS.disks).map((n) => readDisk(sys, n))).then(defined),
    Promise.all(netNames.filter((n) => n !== "lo").slice(0, HARDWARE_LIMITS.nics).map((n) => readNic(sys, n))).then(defined),
    // card0, card1...; not the connectors (card0-HDMI-A-1) nor render nodes.
    Promise.all(drmNames.filter((n) => /^card\d+$/.test(n)).slice(0, HARDWARE_LIMITS.gpus).map((n) => readGpu(sys, n))).then(defined),
  ]);
  if (options.smart) {
    for (const disk of disks.slice(0, MAX_SMART_QUERIES)) {
      const health = parseSmartHealth(await options.smart(disk.name));
      if (health) disk.smartHealth = health;
    }
  }
  const cpu = parseCpuinfo(cpuinfo);
  return {
    ...(system ? { system } : {}),
    ...(cpu ? { cpu } : {}),
    memory: dmiTable ? parseSmbiosMemory(dmiTable, HARDWARE_LIMITS.memory) : [],
    disks,
    nics,
    gpus,
  };
}
