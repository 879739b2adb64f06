import { describe, expect, it } from "vitest";
import { cleanFirmwareString, parseSmbiosMemory } from "./hardware-smbios";
import { biosInformation, memoryDevice, smbiosTable } from "./fixtures/smbios-table";

describe("parseSmbiosMemory", () => {
  it("lists populated slots with size, type, speed and ids; empty slots and other structures are skipped", () => {
    const table = smbiosTable(
      biosInformation("American Megatrends Inc.", "F12"),
      memoryDevice({ bank: "P0 CHANNEL A", locator: "DIMM 0", sizeMiB: 16384, type: 0x22, speed: 4800, manufacturer: "Kingston", serial: "1A2B3C4D", partNumber: "KF548C38-16" }),
      memoryDevice({ bank: "P0 CHANNEL B", locator: "DIMM 0", sizeMiB: 0 }),
      memoryDevice({ locator: "DIMM 1", sizeMiB: 0, sizeWord: 0x8000 | 512 }),
    );
    expect(parseSmbiosMemory(table)).toEqual([
      { slot: "P0 CHANNEL A / DIMM 0", sizeBytes: 16 * 1024 ** 3, type: "DDR5", speedMts: 4800, manufacturer: "Kingston", partNumber: "KF548C38-16", serial: "1A2B3C4D" },
      // Bit 15 of Size: the value is in KiB.
      { slot: "DIMM 1", sizeBytes: 512 * 1024 },
    ]);
  });

  it("uses Extended Size above 32 GiB", () => {
    expect(parseSmbiosMemory(smbiosTable(memoryDevice({ locator: "A1", sizeMiB: 131072 })))[0]?.sizeBytes).toBe(128 * 1024 ** 3);
  });

  it("stops at a truncated structure and keeps what came before", () => {
    const table = smbiosTable(memoryDevice({ locator: "A1", sizeMiB: 8192 }), memoryDevice({ locator: "A2", sizeMiB: 8192 }));
    expect(parseSmbiosMemory(table.subarray(0, table.length - 20)).map((m) => m.slot)).toEqual(["A1"]);
    expect(parseSmbiosMemory(Buffer.from([17, 2, 0]))).toEqual([]);
  });

  it("bounds the modules it returns", () => {
    const table = smbiosTable(...Array.from({ length: 10 }, (_, i) => memoryDevice({ locator: `S${i}`, sizeMiB: 1024 })));
    expect(parseSmbiosMemory(table, 3)).toHaveLength(3);
  });

  it("drops firmware placeholders", () => {
    expect(cleanFirmwareString("To Be Filled By O.E.M.")).toBeUndefined();
    expect(cleanFirmwareString(" Not Specified ")).toBeUndefined();
    expect(cleanFirmwareString("Dell Inc.\n")).toBe("Dell Inc.");
  });
});
