import type { MemoryModule } from "../../lib/protocol/hardware";

/**
 * Memory modules from the raw SMBIOS table the kernel exposes at /sys/firmware/dmi/tables/DMI
 * (readable by root only): the structures of type 17, "Memory Device". This is what
 * `dmidecode -t 17` decodes, without needing dmidecode installed. Offsets are from the DMTF
 * SMBIOS reference specification (DSP0134, 3.x), section 7.18.
 */

const MEMORY_DEVICE = 17;
const END_OF_TABLE = 127;

/** Memory Type (offset 0x12) values that name a generation; others are left out. */
const MEMORY_TYPES: Record<number, string> = {
  0x0f: "SDRAM",
  0x12: "DDR",
  0x13: "DDR2",
  0x18: "DDR3",
  0x1a: "DDR4",
  0x1b: "LPDDR",
  0x1c: "LPDDR2",
  0x1d: "LPDDR3",
  0x1e: "LPDDR4",
  0x22: "DDR5",
  0x23: "LPDDR5",
};

/** Strings firmware writes where it knows nothing; reported as absent. */
const PLACEHOLDERS = new Set(["", "unknown", "not specified", "none", "to be filled by o.e.m.", "default string", "no module installed", "empty", "[empty]"]);

export function cleanFirmwareString(value: string | undefined): string | undefined {
  const v = value?.replace(/[\u0000-\u001f]/g, "").trim();
  return v && !PLACEHOLDERS.has(v.toLowerCase()) ? v.slice(0, 256) : undefined;
}

/** The strings after a structure's formatted area (1-based; 0 means none), and where the next structure starts. */
function readStrings(table: Buffer, start: number): { strings: string[]; next: number } {
  const strings: string[] = [];
  let i = start;
  // An empty set is two NULs; otherwise each string ends in a NUL and the set in one more.
  if (table[i] === 0 && table[i + 1] === 0) return { strings, next: i + 2 };
  while (i < table.length) {
    const end = table.indexOf(0, i);
    if (end < 0) return { strings, next: table.length };
    strings.push(table.toString("latin1", i, end));
    i = end + 1;
    if (table[i] === 0) return { strings, next: i + 1 };
  }
  return { strings, next: table.length };
}

/** Size in bytes from the Size word and, when it says 0x7FFF, the Extended Size dword (MiB). */
function moduleSize(table: Buffer, at: number, length: number): number | undefined {
  const size = table.readUInt16LE(at + 0x0c);
  if (size === 0 || size === 0xffff) return undefined; // no module in the slot / unknown
  if (size === 0x7fff && length >= 0x20) return (table.readUInt32LE(at + 0x1c) & 0x7fffffff) * 1024 * 1024;
  return size & 0x8000 ? (size & 0x7fff) * 1024 : size * 1024 * 1024;
}

/** Populated slots in table order, at most `max`. A truncated or garbled table yields what parsed before the damage. */
export function parseSmbiosMemory(table: Buffer, max = 256): MemoryModule[] {
  const modules: MemoryModule[] = [];
  let at = 0;
  while (at + 4 <= table.length && modules.length < max) {
    const type = table[at]!;
    const length = table[at + 1]!;
    if (length < 4 || at + length > table.length) break;
    const { strings, next } = readStrings(table, at + length);
    if (type === END_OF_TABLE) break;
    if (type === MEMORY_DEVICE && length >= 0x15) {
      const str = (offset: number) => (length > offset ? cleanFirmwareString(strings[table[at + offset]! - 1]) : undefined);
      const sizeBytes = moduleSize(table, at, length);
      const slot = [str(0x11), str(0x10)].filter(Boolean).join(" / ");
      if (sizeBytes !== undefined && slot) {
        const speed = length >= 0x17 ? table.readUInt16LE(at + 0x15) : 0;
        const type = MEMORY_TYPES[table[at + 0x12]!];
        const dimm: MemoryModule = { slot, sizeBytes };
        if (type) dimm.type = type;
        if (speed > 0 && speed < 0xffff) dimm.speedMts = speed;
        const manufacturer = str(0x17);
        const serial = str(0x18);
        const partNumber = str(0x1a);
        if (manufacturer) dimm.manufacturer = manufacturer;
        if (partNumber) dimm.partNumber = partNumber;
        if (serial) dimm.serial = serial;
        modules.push(dimm);
      }
    }
    at = next;
  }
  return modules;
}
