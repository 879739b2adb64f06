import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fixtureRoot } from "./fixtures/fixture";
import { hostPaths } from "./host-paths";
import { millidegrees, readCpuTemperature } from "./temperature";

const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map((r) => rm(r, { recursive: true, force: true })));
});

/** A root with the given sysfs files (path below /sys -> content). */
async function sysTree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), "iw-temp-"));
  roots.push(root);
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, "sys", file)), { recursive: true });
    await writeFile(path.join(root, "sys", file), `${content}\n`);
  }
  return root;
}

describe("readCpuTemperature", () => {
  it("Rocky 9: the hottest coretemp reading over both sockets; the ACPI zone and the NVMe's hotter sensor are not the CPU", async () => {
    expect(await readCpuTemperature(hostPaths(fixtureRoot("rocky9")))).toBe(61);
  });

  it("Alpine 3.19 on a Raspberry Pi: the SoC's cpu_thermal hwmon", async () => {
    expect(await readCpuTemperature(hostPaths(fixtureRoot("alpine319")))).toBe(48.7);
  });

  it("Debian 12 (this VM): no sensors, so no value rather than a made-up one", async () => {
    expect(await readCpuTemperature(hostPaths(fixtureRoot("debian12")))).toBeUndefined();
  });

  it("reads AMD's k10temp (Tctl, Tccd1)", async () => {
    const root = await sysTree({ "class/hwmon/hwmon2/name": "k10temp", "class/hwmon/hwmon2/temp1_input": "67125", "class/hwmon/hwmon2/temp3_input": "58250" });
    expect(await readCpuTemperature(hostPaths(root))).toBe(67.1);
  });

  it("falls back to a CPU thermal zone when no CPU hwmon exists", async () => {
    const root = await sysTree({
      "class/hwmon/hwmon0/name": "acpitz",
      "class/hwmon/hwmon0/temp1_input": "27800",
      "class/thermal/thermal_zone0/type": "acpitz",
      "class/thermal/thermal_zone0/temp": "27800",
      "class/thermal/thermal_zone1/type": "x86_pkg_temp",
      "class/thermal/thermal_zone1/temp": "44000",
    });
    expect(await readCpuTemperature(hostPaths(root))).toBe(44);
  });

  it("skips faulty readings", async () => {
    const root = await sysTree({ "class/hwmon/hwmon0/name": "coretemp", "class/hwmon/hwmon0/temp1_input": "-273000", "class/hwmon/hwmon0/temp2_input": "garbage" });
    expect(await readCpuTemperature(hostPaths(root))).toBeUndefined();
    expect(millidegrees("45500")).toBe(45.5);
    expect(millidegrees("255000")).toBeUndefined();
  });
});
