/**
 * The snapshot's `hardware` section (an addition to contract v1.1): what the machine is made of,
 * read by the agent from sysfs and /proc with each snapshot. Lists carry a stable identity per
 * item (`hardwareItemKey`) so the drift engine can diff them like any keyed section: a disk
 * swapped shows as one removed and one added serial, a module resized as a changed slot.
 */
import { z } from "zod";
import { DISK_TYPES, HARDWARE_LIMITS } from "./constants";
import { text } from "./text";

const bytes = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const name = text(256);
const opt = (max = 256) => text(max).optional();

export const HardwareSystemSchema = z.object({
  vendor: opt(),
  product: opt(),
  boardVendor: opt(),
  boardName: opt(),
  biosVendor: opt(),
  biosVersion: opt(),
  biosDate: opt(64),
});

export const HardwareCpuSchema = z.object({
  model: name,
  vendor: opt(),
  sockets: z.number().int().min(0).max(1024),
  cores: z.number().int().min(0).max(65_536),
  threads: z.number().int().min(0).max(65_536),
});

export const MemoryModuleSchema = z.object({
  /** The DIMM's locator ("DIMM_A1", "ChannelA-DIMM0"): its identity. */
  slot: name.min(1),
  sizeBytes: bytes,
  type: opt(32),
  speedMts: z.number().int().min(0).max(1_000_000).optional(),
  manufacturer: opt(),
  partNumber: opt(),
  serial: opt(),
});

export const HardwareDiskSchema = z.object({
  /** Kernel name (sda, nvme0n1, vda); the identity when the disk reports no serial. */
  name: name.min(1),
  model: opt(),
  serial: opt(),
  sizeBytes: bytes,
  type: z.enum(DISK_TYPES),
  smartHealth: z.enum(["passed", "failed"]).optional(),
});

export const NetworkInterfaceSchema = z.object({
  name: name.min(1),
  mac: opt(64),
  speedMbps: z.number().int().min(0).max(10_000_000).optional(),
});

export const GpuSchema = z.object({
  /** PCI address (0000:01:00.0): its identity. */
  slot: name.min(1),
  vendorId: text(16),
  deviceId: text(16),
  vendor: opt(),
  driver: opt(64),
});

export const HardwareSchema = z.object({
  system: HardwareSystemSchema.optional(),
  cpu: HardwareCpuSchema.optional(),
  memory: z.array(MemoryModuleSchema).max(HARDWARE_LIMITS.memory),
  disks: z.array(HardwareDiskSchema).max(HARDWARE_LIMITS.disks),
  nics: z.array(NetworkInterfaceSchema).max(HARDWARE_LIMITS.nics),
  gpus: z.array(GpuSchema).max(HARDWARE_LIMITS.gpus),
});
export type Hardware = z.infer<typeof HardwareSchema>;
export type HardwareSystem = z.infer<typeof HardwareSystemSchema>;
export type HardwareCpu = z.infer<typeof HardwareCpuSchema>;
export type MemoryModule = z.infer<typeof MemoryModuleSchema>;
export type HardwareDisk = z.infer<typeof HardwareDiskSchema>;
export type NetworkInterface = z.infer<typeof NetworkInterfaceSchema>;
export type Gpu = z.infer<typeof GpuSchema>;

/** The keyed lists of `hardware`, each diffed as its own section (`hardware.disks`, ...). */
export const HARDWARE_LISTS = ["memory", "disks", "nics", "gpus"] as const;
export type HardwareList = (typeof HARDWARE_LISTS)[number];
type ItemOf<L extends HardwareList> = Hardware[L][number];

/**
 * An item's identity within its list: a module by slot, a disk by serial (by kernel name when it
 * has none, as virtual disks often do), an interface by name, a GPU by PCI address.
 */
export function hardwareItemKey<L extends HardwareList>(list: L, item: ItemOf<L>): string {
  switch (list) {
    case "memory":
      return (item as MemoryModule).slot;
    case "disks": {
      const d = item as HardwareDisk;
      return d.serial ? `serial:${d.serial}` : `name:${d.name}`;
    }
    case "nics":
      return (item as NetworkInterface).name;
    default:
      return (item as Gpu).slot;
  }
}

/** The kinds of component a `hardware` section lists, as the server stores and diffs them. */
export const HARDWARE_KINDS = ["system", "cpu", "memory", "disk", "nic", "gpu"] as const;
export type HardwareKind = (typeof HARDWARE_KINDS)[number];

/**
 * One component of the machine as the server keeps it: its kind, its identity within the kind
 * (`hardwareItemKey`; "system" and "cpu" are one each) and its fields as the agent sent them.
 * The snapshot's `hardware` object becomes a list of these, so it is stored, shown and diffed
 * like every other inventory section (lib/snapshots/sections.ts).
 */
export const HardwareItemSchema = z
  .object({ kind: z.enum(HARDWARE_KINDS), key: z.string() })
  .catchall(z.union([z.string(), z.number()]));
export type HardwareItem = z.infer<typeof HardwareItemSchema>;

const LIST_KIND = { memory: "memory", disks: "disk", nics: "nic", gpus: "gpu" } as const satisfies Record<HardwareList, HardwareKind>;

/** The snapshot's hardware as a flat list of components (system and CPU first, then each list). */
export function hardwareItems(h: Hardware): HardwareItem[] {
  const out: HardwareItem[] = [];
  if (h.system) out.push({ ...h.system, kind: "system", key: "system" } as HardwareItem);
  if (h.cpu) out.push({ ...h.cpu, kind: "cpu", key: "cpu" } as HardwareItem);
  for (const list of HARDWARE_LISTS) {
    for (const item of h[list] as ItemOf<typeof list>[]) out.push({ ...item, kind: LIST_KIND[list], key: hardwareItemKey(list, item) } as HardwareItem);
  }
  return out;
}
